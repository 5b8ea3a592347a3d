//! `/`: the photo timeline. For now: a welcome for visitors, the empty state for a
//! signed-in user.

use leptos::prelude::*;

use crate::auth::Auth;

#[component]
pub fn Gallery() -> impl IntoView {
    let auth = expect_context::<Auth>();
    move || {
        if auth.user().is_some() {
            view! {
                <section class="empty-state" aria-labelledby="empty-title">
                    <div class="empty-illustration" aria-hidden="true"></div>
                    <h1 id="empty-title">"No photos yet"</h1>
                    <p>"Photos you back up to Shoebox appear here, newest first."</p>
                </section>
            }
            .into_any()
        } else {
            view! {
                <section class="empty-state" aria-labelledby="welcome-title">
                    <div class="empty-illustration" aria-hidden="true"></div>
                    <h1 id="welcome-title">"Your photos, on storage you own"</h1>
                    <p>"Sign in to back up and see your photos."</p>
                    <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                        "Sign in"
                    </button>
                </section>
            }
            .into_any()
        }
    }
}
