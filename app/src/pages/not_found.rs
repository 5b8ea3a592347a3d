//! Any path the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="empty-state">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <A href="/" attr:class="button">
                "Back to your photos"
            </A>
        </section>
    }
}
