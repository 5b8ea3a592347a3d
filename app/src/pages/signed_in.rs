//! What a page that needs the user shows to a visitor: an invitation to sign
//! in, instead of the page.

use leptos::prelude::*;

use crate::auth::Auth;

#[component]
pub fn SignedIn(
    /// What the page shows once signed in ("your albums").
    what: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let auth = expect_context::<Auth>();
    move || {
        if auth.user().is_some() {
            children().into_any()
        } else {
            view! {
                <section class="empty-state" aria-labelledby="sign-in-title">
                    <div class="empty-illustration" aria-hidden="true"></div>
                    <h1 id="sign-in-title">{format!("Sign in to see {what}")}</h1>
                    <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                        "Sign in"
                    </button>
                </section>
            }
            .into_any()
        }
    }
}
