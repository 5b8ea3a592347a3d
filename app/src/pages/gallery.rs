//! `/`: the photo timeline. For now, its empty state.

use leptos::prelude::*;

#[component]
pub fn Gallery() -> impl IntoView {
    view! {
        <section class="empty-state" aria-labelledby="empty-title">
            <div class="empty-illustration" aria-hidden="true"></div>
            <h1 id="empty-title">"No photos yet"</h1>
            <p>"Photos you back up to Shoebox appear here, newest first."</p>
        </section>
    }
}
