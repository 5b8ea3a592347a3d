//! The screen shown when the app cannot start (its config is missing or broken).

use leptos::prelude::*;

use crate::error::ConfigError;

#[component]
pub fn StartupError(error: ConfigError, on_retry: impl Fn() + 'static) -> impl IntoView {
    let detail = error.to_string();
    view! {
        <section class="notice-card" role="alert">
            <h1>"Shoebox can't start"</h1>
            <p>{error.user_message()}</p>
            <div class="actions">
                <button class="button primary" type="button" on:click=move |_| on_retry()>
                    "Try again"
                </button>
            </div>
            <details>
                <summary>"Details"</summary>
                <p class="detail">"Loading config.json: " {detail}</p>
            </details>
        </section>
    }
}
