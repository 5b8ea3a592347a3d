//! The screen shown when the app cannot start (its config is missing or broken).

use leptos::prelude::*;

use crate::error::ConfigError;

#[component]
pub fn StartupError(error: ConfigError, on_retry: impl Fn() + 'static) -> impl IntoView {
    let detail = error.to_string();
    view! {
        <section class="startup-error" role="alert">
            <h1>"Shoebox can't start"</h1>
            <p class="startup-error-message">{error.user_message()}</p>
            <button class="button primary" type="button" on:click=move |_| on_retry()>
                "Try again"
            </button>
            <details>
                <summary>"Details"</summary>
                <p class="startup-error-detail">"Loading config.json: " {detail}</p>
            </details>
        </section>
    }
}
