//! The views of the library, each at its own address: Photos (`/`),
//! Favorites, Archive and Trash, with how many each holds. A row of tabs over
//! the photos, on a phone too (it scrolls sideways when it must).

use api_types::care::ViewName;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::timeline::TimelineStore;

#[component]
pub fn ViewTabs() -> impl IntoView {
    let store = expect_context::<TimelineStore>();
    let current = store.source().view();
    let tab = move |view: ViewName, label: &'static str, href: &'static str| {
        let count = move || {
            let views = store.views();
            match view {
                ViewName::Timeline => views.timeline,
                ViewName::Favorites => views.favorites,
                ViewName::Archive => views.archive,
                ViewName::Trash => views.trash,
            }
        };
        let here = current == Some(view);
        view! {
            // The router marks the current one `aria-current="page"`.
            <A
                href=href
                exact=true
                attr:class=if here { "view-tab current" } else { "view-tab" }
                attr:data-testid=format!("view-tab-{}", view.as_str())
            >
                {label}
                <span class="view-count">{move || count().to_string()}</span>
            </A>
        }
    };
    view! {
        <nav class="view-tabs" aria-label="Views of your library">
            {tab(ViewName::Timeline, "Photos", "/")}
            {tab(ViewName::Favorites, "Favorites", "/favorites")}
            {tab(ViewName::Archive, "Archive", "/archive")}
            {tab(ViewName::Trash, "Trash", "/trash")}
        </nav>
    }
}
