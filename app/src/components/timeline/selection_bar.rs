//! The bar that replaces the header while photos are selected: how many, and
//! what can be done with them all at once: download their originals (one
//! zip for more than one, `components/download/`), put them in an album,
//! share them by link (as a new album made of them), make them favourites,
//! archive them or move them to the trash (with Undo); in the trash, restore
//! them or delete them for good (after a confirmation); in an album, take
//! them out of it. Changes go a chunk at a time (`crate::care`), with
//! progress, and a count of any that failed.

use futures::{StreamExt, stream};
use leptos::{ev, prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use api_types::care::{PhotoChange, ViewName};

use crate::{
    api::Api,
    care,
    components::{
        albums::{
            add_to_album::{AddToAlbum, add_in_parts, photo_count},
            share_dialog::ShareDialog,
            title_dialog::TitleDialog,
        },
        care::undo_toast::UndoToast,
        confirm_dialog::ConfirmDialog,
        download::{zip_dialog::ZipDialog, zip_toast::ZipState},
    },
    download::source::ZipSource,
    timeline::{Source, TimelineStore, labels, selection::Selection},
};

/// How long the note after adding to an album stays.
const NOTE_MS: u64 = 8_000;

/// Removals from an album sent at once.
const PARALLEL_REMOVALS: usize = 4;

#[component]
pub fn SelectionBar() -> impl IntoView {
    let selection = expect_context::<Selection>();
    let store = expect_context::<TimelineStore>();
    let api = expect_context::<Api>();
    let confirming = RwSignal::new(false);
    let choosing_album = RwSignal::new(false);
    let naming_share = RwSignal::new(false);
    let busy = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    // After adding to an album: what happened, and the album's page.
    let note = RwSignal::new(None::<(String, String)>);
    // In an album, "remove" takes photos out of it; in the library it deletes them.
    let album = StoredValue::new(match store.source() {
        Source::Album(id) => Some(id),
        _ => None,
    });
    let in_album = album.with_value(Option::is_some);
    let view = store.source().view();
    let in_trash = view == Some(ViewName::Trash);
    let undo = expect_context::<UndoToast>();

    let escape = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape"
            && selection.is_active()
            && !confirming.get_untracked()
            && !choosing_album.get_untracked()
            && !naming_share.get_untracked()
        {
            selection.clear();
        }
    });
    on_cleanup(move || escape.remove());

    // Out of the album (in an album's page): one request per photo.
    let remove_from_album = move || {
        let Some(album) = album.get_value() else {
            return;
        };
        let ids = selection.ids();
        let total = ids.len();
        problem.set(None);
        spawn_local(async move {
            let mut done = 0;
            let mut failed: Vec<String> = Vec::new();
            let mut results = stream::iter(ids)
                .map(move |id| {
                    let album = album.clone();
                    async move { (api.remove_from_album(&album, &id).await, id) }
                })
                .buffer_unordered(PARALLEL_REMOVALS);
            busy.set(Some(format!("Removing 0 of {total}…")));
            while let Some((result, id)) = results.next().await {
                match result {
                    Ok(()) => {
                        store.remove(&id);
                        selection.remove(&id);
                    }
                    Err(error) => failed.push(error.user_message()),
                }
                done += 1;
                busy.set(Some(format!("Removing {done} of {total}…")));
            }
            busy.set(None);
            store.refresh();
            if let Some(why) = failed.first() {
                problem.set(Some(format!(
                    "{} of {total} could not be taken out and are still selected. {why}",
                    failed.len()
                )));
            }
        });
    };

    // One change to every selected photo, a chunk at a time.
    let apply = move |change: PhotoChange| {
        let ids = selection.ids();
        let total = ids.len();
        problem.set(None);
        spawn_local(async move {
            let applied = care::apply(api, change, ids, |done, total| {
                busy.set(Some(format!("{} {done} of {total}…", care::doing(change))))
            })
            .await;
            busy.set(None);
            for id in &applied.done {
                selection.remove(id);
            }
            store.changed(&applied.done, change);
            problem.set(applied.problem(change, total));
            undo.offer(change, applied.done);
        });
    };
    // Favourite all, unless all are favourites already.
    let all_favorite = move || {
        selection
            .ids()
            .iter()
            .all(|id| store.photo(id).is_some_and(|photo| photo.favorite))
    };

    let zip = expect_context::<ZipState>();
    let zipping = RwSignal::new(false);
    let download = move |_| {
        let ids = selection.ids();
        let total = ids.len();
        problem.set(None);
        // Many at once: one zip, not a download each (browsers block most).
        if total > 1 {
            zipping.set(true);
            return;
        }
        spawn_local(async move {
            let mut failed = 0;
            for (at, id) in ids.iter().enumerate() {
                busy.set(Some(format!("Downloading {} of {total}…", at + 1)));
                match api.photo(id).await {
                    Ok(photo) => match photo.original_url {
                        Some(url) => save(&url, &photo.details.filename),
                        None => failed += 1,
                    },
                    Err(_) => failed += 1,
                }
                // Browsers drop downloads started in the same instant.
                pause(250).await;
            }
            busy.set(None);
            if failed > 0 {
                problem.set(Some(format!(
                    "{failed} of {total} could not be downloaded. Try again."
                )));
            }
        });
    };

    let added = move |album: api_types::album::Album| {
        let count = selection.count() as u32;
        selection.clear();
        note.set(Some((
            format!("Added {} to “{}”.", photo_count(count), album.title),
            format!("/albums/{}", album.id),
        )));
        set_timeout(
            move || note.set(None),
            std::time::Duration::from_millis(NOTE_MS),
        );
    };

    // Sharing a selection makes an album of it (a link opens one album), then
    // offers the link.
    let sharing = RwSignal::new(false);
    let shared = RwSignal::new(None::<api_types::album::Album>);
    let suggested_title = Signal::derive(move || {
        // The newest selected photo's month: "August 2013".
        let newest = selection
            .ids()
            .iter()
            .filter_map(|id| store.photo(id))
            .map(|photo| photo.taken_at)
            .max();
        newest
            .and_then(|taken_at| taken_at.get(..7).map(labels::month))
            .unwrap_or_default()
    });
    let share_new = move |title: String| {
        let ids = selection.ids();
        problem.set(None);
        spawn_local(async move {
            match add_in_parts(api, None, title, ids, busy).await {
                Ok(album) => {
                    selection.clear();
                    shared.set(Some(album));
                    sharing.set(true);
                }
                Err(error) => problem.set(Some(format!(
                    "The photos were not shared. {}",
                    error.user_message()
                ))),
            }
            busy.set(None);
        });
    };

    let count = move || selection.count();
    // A button that makes one change to the whole selection.
    let action = move |label: &'static str, class: &'static str, change: PhotoChange| {
        view! {
            <button
                class=class
                type="button"
                data-testid=format!("selection-{}", label.to_lowercase())
                disabled=move || busy.with(Option::is_some)
                on:click=move |_| apply(change)
            >
                {label}
            </button>
        }
    };
    view! {
        {(!in_album)
            .then(|| {
                view! {
                    <ShareDialog
                        open=sharing
                        album_id=Signal::derive(move || {
                            shared
                                .with(|album| {
                                    album.as_ref().map(|a| a.id.clone()).unwrap_or_default()
                                })
                        })
                        album_title=Signal::derive(move || {
                            shared
                                .with(|album| {
                                    album.as_ref().map(|a| a.title.clone()).unwrap_or_default()
                                })
                        })
                    />
                }
            })}
        {move || {
            note.get()
                .map(|(what, href)| {
                    view! {
                        <div class="toast" role="status" data-testid="album-note">
                            <span>{what}</span>
                            <a href=href on:click=move |_| note.set(None)>
                                "Open album"
                            </a>
                        </div>
                    }
                })
        }}
        <ZipDialog
            open=zipping
            what=Signal::derive(move || {
                format!(
                    "The originals of {}, as they were uploaded.",
                    photo_count(selection.count() as u32),
                )
            })
            source=Signal::derive(move || ZipSource::Selection(selection.ids()))
            name=Signal::derive(move || {
                format!("Shoebox {}.zip", photo_count(selection.count() as u32))
            })
            total=Signal::derive(move || {
                let ids = selection.ids();
                let bytes = ids
                    .iter()
                    .map(|id| store.photo(id).map(|photo| photo.details.bytes))
                    .sum();
                (Some(ids.len()), bytes)
            })
        />
        <Show when=move || selection.is_active()>
            <div
                class="selection-bar"
                role="toolbar"
                aria-label="Selected photos"
                data-testid="selection-bar"
            >
                <button
                    class="button icon"
                    type="button"
                    aria-label="Clear the selection"
                    on:click=move |_| selection.clear()
                >
                    "✕"
                </button>
                <span class="selection-count">
                    {move || match count() {
                        1 => "1 selected".to_owned(),
                        n => format!("{n} selected"),
                    }}
                </span>
                {move || {
                    busy.get()
                        .map(|what| {
                            view! {
                                <span class="selection-busy" aria-live="polite">
                                    {what}
                                </span>
                            }
                        })
                }}
                {move || {
                    problem
                        .get()
                        .map(|why| {
                            view! {
                                <span class="selection-problem" role="alert">
                                    {why}
                                </span>
                            }
                        })
                }}
                <div class="selection-actions">
                    <button
                        class="button"
                        type="button"
                        disabled=move || busy.with(Option::is_some) || zip.is_running()
                        on:click=download
                    >
                        "Download"
                    </button>
                    {if in_trash {
                        view! {
                            {action("Restore", "button", PhotoChange::Restore)}
                            <button
                                class="button danger"
                                type="button"
                                disabled=move || busy.with(Option::is_some)
                                on:click=move |_| confirming.set(true)
                            >
                                "Delete for good"
                            </button>
                        }
                            .into_any()
                    } else {
                        view! {
                            <button
                                class="button"
                                type="button"
                                data-testid="selection-favorite"
                                disabled=move || busy.with(Option::is_some)
                                on:click=move |_| {
                                    apply(
                                        if all_favorite() {
                                            PhotoChange::Unfavorite
                                        } else {
                                            PhotoChange::Favorite
                                        },
                                    )
                                }
                            >
                                {move || {
                                    if all_favorite() { "♥ Unfavorite" } else { "♡ Favorite" }
                                }}
                            </button>
                            {if in_album {
                                view! {
                                    <button
                                        class="button"
                                        type="button"
                                        disabled=move || busy.with(Option::is_some)
                                        on:click=move |_| remove_from_album()
                                    >
                                        "Remove from album"
                                    </button>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <button
                                        class="button"
                                        type="button"
                                        disabled=move || busy.with(Option::is_some)
                                        on:click=move |_| choosing_album.set(true)
                                    >
                                        "Add to album"
                                    </button>
                                    <button
                                        class="button"
                                        type="button"
                                        disabled=move || busy.with(Option::is_some)
                                        on:click=move |_| naming_share.set(true)
                                    >
                                        "Share"
                                    </button>
                                    {if view == Some(ViewName::Archive) {
                                        action("Unarchive", "button", PhotoChange::Unarchive)
                                    } else {
                                        action("Archive", "button", PhotoChange::Archive)
                                    }}
                                    {action("Delete", "button danger", PhotoChange::Trash)}
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    }}
                </div>
                <TitleDialog
                    open=naming_share
                    heading="Share as a new album"
                    initial=suggested_title
                    confirm="Next"
                    on_confirm=share_new
                />
                <AddToAlbum
                    open=choosing_album
                    ids=Signal::derive(move || {
                        selection.count();
                        selection.ids()
                    })
                    on_added=added
                />
                <ConfirmDialog
                    open=confirming
                    title=Signal::derive(move || care::delete_question(count()))
                    message="They are removed from Shoebox with their originals. This cannot be undone."
                        .to_owned()
                    confirm="Delete for good".to_owned()
                    on_confirm=move |_| apply(PhotoChange::DeleteForever)
                />
            </div>
        </Show>
    }
}

/// Saves `url` as a download (the store answers it as an attachment).
fn save(url: &str, filename: &str) {
    let Some(link) = document()
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    link.set_href(url);
    link.set_download(filename);
    link.click();
}

/// Waits `ms` milliseconds (a browser timer).
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
