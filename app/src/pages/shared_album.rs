//! `/s/{token}` (and `/s/{token}/photo/{id}` over it): the album a share link
//! opens, for anyone holding the link, signed in or not: its title, its photos
//! in the timeline and lightbox, and their originals only if the link allows
//! (one by one, or all as one zip).
//! A link that is unknown, turned off or expired shows one and the same page.

use leptos::prelude::*;
use leptos_router::{components::Outlet, hooks::use_params_map};

use crate::{
    api::Api,
    components::{
        albums::add_to_album::photo_count, download::zip_dialog::ZipDialog,
        timeline::timeline_view::TimelineView,
    },
    download::source::ZipSource,
    timeline::{Source, Status, TimelineStore, selection::Selection},
};

#[component]
pub fn SharedAlbumPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token").unwrap_or_default()));
    move || view! { <SharedTimeline token=token.get() /> }
}

#[component]
fn SharedTimeline(token: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let store = TimelineStore::new(api, Source::Shared(token.clone()));
    provide_context(store);
    provide_context(Selection::new());
    store.refresh();
    let shared = Memo::new(move |_| store.shared());
    let zipping = RwSignal::new(false);
    let token = StoredValue::new(token);
    // The tab says which album; the link's own token never shows in it.
    Effect::new(move |_| {
        let title = match shared.get() {
            Some(shared) => format!("{} · Shoebox", shared.title),
            None => "Shoebox".to_owned(),
        };
        document().set_title(&title);
    });
    on_cleanup(|| document().set_title("Shoebox"));
    let body = move || {
        match store.status() {
        Status::Loading => view! {
            <p class="splash" aria-busy="true">
                "Opening the album…"
            </p>
        }.into_any(),
        Status::Failed(error) if error.is_not_found() => view! {
            <section class="notice-card" role="alert" data-testid="link-unavailable">
                <h1>"This link is not available"</h1>
                <p>
                    "It may have been turned off or have expired. Ask the person who sent it for a new one."
                </p>
            </section>
        }
        .into_any(),
        Status::Failed(error) => view! {
            <section class="notice-card" role="alert">
                <h1>"The album could not be opened"</h1>
                <p>{error.user_message()}</p>
                <button class="button primary" type="button" on:click=move |_| store.refresh()>
                    "Try again"
                </button>
            </section>
        }
        .into_any(),
        Status::Ready => {
            let shared = shared.get();
            view! {
                <header class="page-head album-head">
                    <div class="album-heading">
                        <h1 data-testid="shared-title">
                            {shared.as_ref().map(|s| s.title.clone())}
                        </h1>
                        <p class="album-count">
                            {shared.as_ref().map(|s| photo_count(s.count))}
                            {shared
                                .as_ref()
                                .and_then(|s| match (s.allow_download, s.show_location) {
                                    (true, true) => Some(" · originals can be downloaded"),
                                    (true, false) => Some(" · photos can be downloaded"),
                                    (false, _) => None,
                                })}
                        </p>
                    </div>
                    {shared
                        .as_ref()
                        .filter(|s| s.allow_download && s.count > 0)
                        .map(|_| {
                            view! {
                                <div class="album-actions">
                                    <button
                                        class="button"
                                        type="button"
                                        on:click=move |_| zipping.set(true)
                                    >
                                        "Download all"
                                    </button>
                                </div>
                            }
                        })}
                </header>
                {if shared.as_ref().is_some_and(|s| s.count == 0) {
                    view! {
                        <section class="empty-state">
                            <p>"This album is empty."</p>
                        </section>
                    }
                        .into_any()
                } else {
                    view! { <TimelineView /> }.into_any()
                }}
            }
            .into_any()
        }
    }
    };
    view! {
        {body}
        <Outlet />
        <ZipDialog
            open=zipping
            what=Signal::derive(move || {
                shared
                    .with(|s| {
                        s.as_ref()
                            .map(|s| {
                                let photos = photo_count(s.count);
                                if s.show_location {
                                    format!("The originals of the {photos} in “{}”.", s.title)
                                } else {
                                    format!(
                                        "The {photos} in “{}”, as shared: without where they were taken.",
                                        s.title,
                                    )
                                }
                            })
                            .unwrap_or_default()
                    })
            })
            source=Signal::derive(move || ZipSource::Shared(token.get_value()))
            name=Signal::derive(move || {
                shared
                    .with(|s| {
                        format!("{}.zip", s.as_ref().map(|s| s.title.as_str()).unwrap_or("Shoebox"))
                    })
            })
            total=Signal::derive(move || {
                (shared.with(|s| s.as_ref().map(|s| s.count as usize)), None)
            })
        />
    }
}
