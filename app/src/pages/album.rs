//! `/albums/{id}` (and `/albums/{id}/photo/{photo_id}` over it): one album, in
//! the same timeline and lightbox as the library, with its title, its count,
//! and what its owner can do with it: share it by link, download it as one
//! zip, rename it, delete it
//! (its photos stay in the timeline), and select photos to take out.

use api_types::album::{Album, AlbumChange};
use leptos::{prelude::*, task::spawn_local};
use leptos_router::{components::Outlet, hooks::use_navigate, hooks::use_params_map};

use crate::{
    api::Api,
    components::{
        albums::{add_to_album::photo_count, share_dialog::ShareDialog, title_dialog::TitleDialog},
        care::undo_toast::{UndoToast, UndoToastView},
        confirm_dialog::ConfirmDialog,
        download::zip_dialog::ZipDialog,
        problem_line::ProblemLine,
        timeline::{selection_bar::SelectionBar, timeline_view::TimelineView},
    },
    download::source::ZipSource,
    pages::signed_in::SignedIn,
    timeline::{Source, Status, TimelineStore, selection::Selection},
};

#[component]
pub fn AlbumPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    view! {
        <SignedIn what="this album">
            // A store of its own for each album.
            {move || view! { <AlbumTimeline id=id.get() /> }}
        </SignedIn>
    }
}

#[component]
fn AlbumTimeline(id: String) -> impl IntoView {
    let api = expect_context::<Api>();
    let navigate = use_navigate();
    let store = TimelineStore::new(api, Source::Album(id.clone()));
    provide_context(store);
    provide_context(Selection::new());
    provide_context(UndoToast::new());
    store.refresh();
    let id = StoredValue::new(id);
    let album = RwSignal::new(None::<Album>);
    let problem = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api.album(&id.get_value()).await {
            Ok(found) => album.set(Some(found)),
            // The photos' load says "not found" too, and shows it.
            Err(error) if error.is_not_found() => {}
            Err(error) => problem.set(Some(error.user_message())),
        }
    });
    let title = Signal::derive(move || {
        album.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default())
    });
    // Counted from what is shown, so a photo taken out shows at once.
    let count = Memo::new(move |_| {
        store
            .months()
            .with(|months| months.iter().map(|month| month.count).sum::<u32>())
    });

    let sharing = RwSignal::new(false);
    let zipping = RwSignal::new(false);
    let renaming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let rename = move |title: String| {
        spawn_local(async move {
            let change = AlbumChange {
                title: Some(title),
                cover_id: None,
            };
            match api.change_album(&id.get_value(), &change).await {
                Ok(changed) => album.set(Some(changed)),
                Err(error) => problem.set(Some(format!(
                    "The album was not renamed. {}",
                    error.user_message()
                ))),
            }
        });
    };
    let delete = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            match api.delete_album(&id.get_value()).await {
                Ok(()) => navigate("/albums", Default::default()),
                Err(error) => problem.set(Some(format!(
                    "The album was not deleted. {}",
                    error.user_message()
                ))),
            }
        });
    };

    let body = move || {
        match store.status() {
        Status::Loading => view! {
            <p class="splash" aria-busy="true">
                "Loading the album…"
            </p>
        }.into_any(),
        Status::Failed(error) if error.is_not_found() => view! {
            <section class="notice-card" role="alert">
                <h1>"This album is not here"</h1>
                <p>"It may have been deleted."</p>
                <a class="button primary" href="/albums">
                    "Your albums"
                </a>
            </section>
        }
        .into_any(),
        Status::Failed(error) => view! {
            <section class="notice-card" role="alert">
                <h1>"The album could not be loaded"</h1>
                <p>{error.user_message()}</p>
                <button class="button primary" type="button" on:click=move |_| store.refresh()>
                    "Try again"
                </button>
            </section>
        }
        .into_any(),
        Status::Ready => view! {
            <header class="page-head album-head">
                <div class="album-heading">
                    <a class="back-link" href="/albums">
                        "‹ Albums"
                    </a>
                    <h1 data-testid="album-title">{move || title.get()}</h1>
                    <p class="album-count">{move || photo_count(count.get())}</p>
                </div>
                <div class="album-actions">
                    <button
                        class="button primary"
                        type="button"
                        on:click=move |_| sharing.set(true)
                    >
                        "Share"
                    </button>
                    <button
                        class="button"
                        type="button"
                        disabled=move || count.get() == 0
                        on:click=move |_| zipping.set(true)
                    >
                        "Download"
                    </button>
                    <button class="button" type="button" on:click=move |_| renaming.set(true)>
                        "Rename"
                    </button>
                    <button
                        class="button danger"
                        type="button"
                        on:click=move |_| deleting.set(true)
                    >
                        "Delete album"
                    </button>
                </div>
            </header>
            <ProblemLine problem />
            {move || {
                if count.get() == 0 {
                    view! {
                        <section class="empty-state">
                            <p>
                                "This album is empty. In your timeline, select photos and choose Add to album."
                            </p>
                            <a class="button" href="/">
                                "Go to your photos"
                            </a>
                        </section>
                    }
                        .into_any()
                } else {
                    view! {
                        <SelectionBar />
                        <TimelineView />
                    }
                        .into_any()
                }
            }}
        }
        .into_any(),
    }
    };
    view! {
        {body}
        <UndoToastView />
        <Outlet />
        <ShareDialog
            open=sharing
            album_id=Signal::derive(move || id.get_value())
            album_title=title
        />
        <ZipDialog
            open=zipping
            what=Signal::derive(move || {
                format!(
                    "The originals of the {} in “{}”, as they were uploaded.",
                    photo_count(count.get()),
                    title.get(),
                )
            })
            source=Signal::derive(move || ZipSource::Album(id.get_value()))
            name=Signal::derive(move || format!("{}.zip", title.get()))
            total=Signal::derive(move || (Some(count.get() as usize), None))
        />
        <TitleDialog
            open=renaming
            heading="Rename album"
            initial=title
            confirm="Rename"
            on_confirm=rename
        />
        <ConfirmDialog
            open=deleting
            title=Signal::derive(move || format!("Delete “{}”?", title.get()))
            message="The album and its share links go. Its photos stay in your timeline.".to_owned()
            confirm="Delete album".to_owned()
            on_confirm=delete
        />
    }
}
