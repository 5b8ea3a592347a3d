//! The lightbox at `…/photo/{id}`, over a timeline (the library's, an album's
//! or a share link's): one photo large, with the next and previous a key, a
//! click or a swipe away (their web views are fetched ahead), its details, its
//! original to download, and what its owner can do with it: make it a
//! favourite (`f`), archive it, move it to the trash (`Delete`, with Undo) or,
//! in the trash, restore it or delete it for good (after a confirmation); take
//! it out of an album or make it the album's cover. A link's visitor gets
//! only what the link allows. A link to
//! it opens it straight away; the back button, Escape or ✕ close it, back
//! where the timeline was.
//!
//! This file lays it out and owns the keys; which photo is shown
//! ([`shown_photo`]), stepping and closing ([`steps`]) and taking a photo away
//! ([`removal`]) have files of their own, as do its parts: a photo's stage
//! zooms ([`zoomable`]), a video's plays ([`video_stage`]).

mod cover_button;
mod download_button;
mod info_panel;
mod motion_clip;
mod removal;
mod restore_dialog;
mod shown_photo;
mod steps;
mod video_stage;
mod zoomable;

use leptos::{ev, prelude::*};
use wasm_bindgen::JsCast;

use api_types::care::{PhotoChange, ViewName};

use self::{
    cover_button::CoverButton,
    download_button::DownloadButton,
    info_panel::InfoPanel,
    removal::{Departure, Removal},
    shown_photo::ShownPhoto,
    steps::Steps,
    video_stage::VideoStage,
    zoomable::Zoomable,
};
use crate::{
    api::Api,
    components::{care::favorite_button::FavoriteButton, confirm_dialog::ConfirmDialog},
    timeline::{Source, TimelineStore},
};

#[component]
pub fn Lightbox() -> impl IntoView {
    let store = expect_context::<TimelineStore>();
    let api = expect_context::<Api>();
    let source = store.source();
    let owned = source.selectable();
    let album = match &source {
        Source::Album(album) => Some(album.clone()),
        _ => None,
    };
    let shown = ShownPhoto::new(store, api, owned);
    let steps = Steps::new(store, &source, shown.id);
    steps.preload();
    let problem = RwSignal::new(None::<String>);
    let removal = Removal::new(shown, steps, problem);
    let in_trash = source.view() == Some(ViewName::Trash);
    let in_album = album.is_some();
    let favorite =
        Signal::derive(move || shown.photo.with(|p| p.as_ref().is_some_and(|p| p.favorite)));
    let in_archive = Signal::derive(move || {
        shown
            .photo
            .with(|p| p.as_ref().is_some_and(|p| p.in_archive))
    });
    let toggle_favorite = move || {
        removal.run(Departure::Change(if favorite.get_untracked() {
            PhotoChange::Unfavorite
        } else {
            PhotoChange::Favorite
        }))
    };
    let show_info = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        shown.id.track();
        problem.set(None);
    });

    // Keep the photo's month loaded, so the neighbours are known even when it
    // was opened by link.
    Effect::new(move |_| {
        store.pin(shown.photo.with(|p| {
            p.as_ref()
                .and_then(|p| p.taken_at.get(..7).map(str::to_owned))
        }))
    });
    on_cleanup(move || store.pin(None));

    // The body stays put under the lightbox.
    if let Some(body) = document().body() {
        let _ = body.class_list().add_1("lightbox-open");
    }
    on_cleanup(|| {
        if let Some(body) = document().body() {
            let _ = body.class_list().remove_1("lightbox-open");
        }
    });

    // The download button's own link, so the key does what the button does.
    let download_original = || {
        if let Ok(Some(link)) = document().query_selector("[data-testid=download-original]")
            && let Ok(link) = link.dyn_into::<web_sys::HtmlElement>()
        {
            link.click();
        }
    };
    let keys = window_event_listener(ev::keydown, move |event| {
        if confirming.get_untracked() {
            return;
        }
        let idle =
            owned && !removal.busy.get_untracked() && !shown.photo.with_untracked(Option::is_none);
        match event.key().as_str() {
            "ArrowLeft" => steps.newer(),
            "ArrowRight" => steps.older(),
            "Escape" => steps.close(),
            "i" => show_info.update(|open| *open = !*open),
            "f" if idle && !in_trash => toggle_favorite(),
            "D" if event.shift_key() => download_original(),
            "Delete" if idle && in_trash => confirming.set(true),
            // In an album, Remove from album is the button: no delete there.
            "Delete" if idle && !in_album => removal.run(Departure::Change(PhotoChange::Trash)),
            " " if video_stage::toggle_playing(&event) => {}
            _ => return,
        }
        event.prevent_default();
    });
    on_cleanup(move || keys.remove());

    // One stage per photo, made anew when the photo changes: an image element
    // reused for the next photo would go on showing this one until the next
    // one's web view arrived.
    let stage = view! {
        <For each=move || shown.photo.get() key=|photo| photo.id.clone() let:photo>
            {
                let on_swipe = move |to_older: bool| {
                    if to_older { steps.older() } else { steps.newer() }
                };
                if photo.details.video.is_some() {
                    view! { <VideoStage photo on_swipe /> }.into_any()
                } else {
                    view! { <Zoomable photo on_swipe /> }.into_any()
                }
            }
        </For>
    };
    let not_shown = move || {
        shown.photo.with(Option::is_none).then(|| {
            if shown.missing.get() {
                view! {
                    <div class="lightbox-missing" role="alert">
                        <h2>"This photo is not here"</h2>
                        <p>"It may have been deleted, or the link is not for this account."</p>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <p class="splash" aria-busy="true">
                        "Loading…"
                    </p>
                }
                .into_any()
            }
        })
    };
    let no_photo = move || shown.photo.with(Option::is_none);

    view! {
        <div
            class="lightbox"
            role="dialog"
            aria-modal="true"
            aria-label=move || shown.title()
            data-testid="lightbox"
        >
            <header class="lightbox-bar">
                <button
                    class="button icon"
                    type="button"
                    aria-label="Close"
                    on:click=move |_| steps.close()
                >
                    "✕"
                </button>
                <span class="lightbox-title">{move || shown.title()}</span>
                <div class="lightbox-actions">
                    <DownloadButton details=shown.details />
                    <button
                        class="button"
                        type="button"
                        aria-pressed=move || show_info.get().to_string()
                        on:click=move |_| show_info.update(|open| *open = !*open)
                    >
                        "Info"
                    </button>
                    {(owned && !in_trash)
                        .then(|| {
                            view! {
                                <FavoriteButton
                                    favorite
                                    disabled=Signal::derive(move || {
                                        no_photo() || removal.busy.get()
                                    })
                                    on_toggle=move |()| toggle_favorite()
                                />
                            }
                        })}
                    {album
                        .map(|album| {
                            view! {
                                <CoverButton album shown problem />
                                <button
                                    class="button"
                                    type="button"
                                    disabled=move || no_photo() || removal.busy.get()
                                    on:click=move |_| removal.run(Departure::FromAlbum)
                                >
                                    "Remove from album"
                                </button>
                            }
                        })}
                    {(owned && !in_album && !in_trash)
                        .then(|| {
                            view! {
                                <button
                                    class="button"
                                    type="button"
                                    data-testid="archive-button"
                                    disabled=move || no_photo() || removal.busy.get()
                                    on:click=move |_| {
                                        removal
                                            .run(
                                                Departure::Change(
                                                    if in_archive.get_untracked() {
                                                        PhotoChange::Unarchive
                                                    } else {
                                                        PhotoChange::Archive
                                                    },
                                                ),
                                            )
                                    }
                                >
                                    {move || if in_archive.get() { "Unarchive" } else { "Archive" }}
                                </button>
                            }
                        })}
                    {(owned && !in_album && !in_trash)
                        .then(|| {
                            view! {
                                <button
                                    class="button danger"
                                    type="button"
                                    title="Move to the trash (Delete)"
                                    data-testid="trash-button"
                                    disabled=move || no_photo() || removal.busy.get()
                                    on:click=move |_| {
                                        removal.run(Departure::Change(PhotoChange::Trash))
                                    }
                                >
                                    "Delete"
                                </button>
                            }
                        })}
                    {in_trash
                        .then(|| {
                            view! {
                                <button
                                    class="button"
                                    type="button"
                                    data-testid="restore-button"
                                    disabled=move || no_photo() || removal.busy.get()
                                    on:click=move |_| {
                                        removal.run(Departure::Change(PhotoChange::Restore))
                                    }
                                >
                                    "Restore"
                                </button>
                                <button
                                    class="button danger"
                                    type="button"
                                    disabled=move || no_photo() || removal.busy.get()
                                    on:click=move |_| confirming.set(true)
                                >
                                    "Delete for good"
                                </button>
                            }
                        })}
                </div>
            </header>
            {move || {
                problem
                    .get()
                    .map(|why| {
                        view! {
                            <p class="lightbox-problem" role="alert">
                                {why}
                            </p>
                        }
                    })
            }}
            <div class="lightbox-body">
                <button
                    class="lightbox-nav newer"
                    type="button"
                    aria-label="Newer photo"
                    hidden=move || steps.neighbours.with(|(newer, _)| newer.is_none())
                    on:click=move |_| steps.newer()
                >
                    "‹"
                </button>
                {stage}
                {not_shown}
                <button
                    class="lightbox-nav older"
                    type="button"
                    aria-label="Older photo"
                    hidden=move || steps.neighbours.with(|(_, older)| older.is_none())
                    on:click=move |_| steps.older()
                >
                    "›"
                </button>
                {move || {
                    show_info
                        .get()
                        .then(|| shown.photo.get().map(|photo| view! { <InfoPanel photo /> }))
                }}
            </div>
            <ConfirmDialog
                open=confirming
                title="Delete this photo for good?"
                message="It is removed from Shoebox with its original. This cannot be undone."
                    .to_owned()
                confirm="Delete for good".to_owned()
                on_confirm=move |_| removal.run(Departure::Change(PhotoChange::DeleteForever))
            />
        </div>
    }
}
