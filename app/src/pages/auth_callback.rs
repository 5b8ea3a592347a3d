//! `/auth/callback`: where the identity provider sends the browser back. Finishes
//! the sign-in and returns the user to where they were, or says clearly why not.

use leptos::{prelude::*, task::spawn_local};
use leptos_router::{
    NavigateOptions,
    components::A,
    hooks::{use_navigate, use_query_map},
};

use crate::auth::{
    Auth, SignInError,
    flow::{self, Callback},
};

#[component]
pub fn AuthCallback() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let navigate = use_navigate();
    let failure = RwSignal::new(None::<SignInError>);
    let callback = query.with_untracked(|query| Callback {
        code: query.get("code"),
        state: query.get("state"),
        error: query.get("error"),
        error_description: query.get("error_description"),
    });
    spawn_local(async move {
        match flow::complete(&auth.config(), callback).await {
            Ok((session, return_to)) => {
                auth.establish(session);
                navigate(
                    &return_to,
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
            Err(error) => {
                leptos::logging::warn!("sign-in failed: {error}");
                failure.set(Some(error));
            }
        }
    });
    move || match failure.get() {
        None => view! {
            <p class="splash" aria-busy="true">
                "Signing you in…"
            </p>
        }
        .into_any(),
        Some(error) => view! {
            <section class="notice-card" role="alert">
                <h1>{error.title()}</h1>
                <p>{error.user_message()}</p>
                <div class="actions">
                    <A href="/" attr:class="button">
                        "Back to Shoebox"
                    </A>
                    <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                        "Sign in again"
                    </button>
                </div>
                <details>
                    <summary>"Details"</summary>
                    <p class="detail">{error.to_string()}</p>
                </details>
            </section>
        }
        .into_any(),
    }
}
