//! The top bar: the app's name and the account area.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="app-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                "Shoebox"
            </A>
            <nav class="account" aria-label="Account">
                // Sign-in arrives with the identity provider (issue 3).
                <button class="button" type="button" disabled=true title="Sign-in is coming soon">
                    "Sign in"
                </button>
            </nav>
        </header>
    }
}
