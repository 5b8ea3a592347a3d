//! Shown when the session could not be renewed: the page stays as it is (nothing
//! in progress is lost) and one tap signs in again, returning here.

use leptos::prelude::*;

use crate::auth::Auth;

#[component]
pub fn SessionBanner() -> impl IntoView {
    let auth = expect_context::<Auth>();
    view! {
        <Show when=move || auth.is_expired()>
            <div class="session-banner" role="status">
                <span>
                    "Your session has ended. Sign in again to keep going; nothing you were doing is lost."
                </span>
                <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                    "Sign in again"
                </button>
            </div>
        </Show>
    }
}
