//! The lightbox at `…/photo/{id}`, over a timeline (the library's, an album's
//! or a share link's): one photo large, with the next and previous a key, a
//! click or a swipe away (their web views are fetched ahead), its details, its
//! original to download, and what its owner can do with it: delete it (after a
//! confirmation) from the library, or take it out of an album or make it the
//! album's cover. A link's visitor gets only what the link allows. A link to
//! it opens it straight away; the back button, Escape or ✕ close it, back
//! where the timeline was.

mod info_panel;
mod zoomable;

use api_types::photo::Photo;
use leptos::{ev, prelude::*, task::spawn_local};
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_params_map},
};

use self::{info_panel::InfoPanel, zoomable::Zoomable};
use crate::{
    api::{Api, ApiError},
    components::confirm_dialog::ConfirmDialog,
    timeline::{Source, TimelineStore},
};

#[component]
pub fn Lightbox() -> impl IntoView {
    let store = expect_context::<TimelineStore>();
    let api = expect_context::<Api>();
    let navigate = use_navigate();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("photo_id").unwrap_or_default()));
    let source = store.source();
    let owned = source.selectable();
    let album = StoredValue::new(match &source {
        Source::Album(album) => Some(album.clone()),
        _ => None,
    });
    let in_album = album.with_value(Option::is_some);

    // The owner's full record (with the download link): the timeline's copy
    // shows until it comes. A link's visitor has all there is already.
    let details = LocalResource::new(move || {
        let id = id.get();
        async move {
            if owned {
                api.photo(&id).await
            } else {
                store.photo(&id).ok_or(ApiError::Server {
                    status: 404,
                    code: "not_found".into(),
                    message: String::new(),
                })
            }
        }
    });
    let photo = Memo::new(move |_| {
        let fetched = details
            .get()
            .and_then(Result::ok)
            .filter(|p| p.id == id.get());
        fetched.or_else(|| store.photo(&id.get()))
    });
    let missing = Memo::new(move |_| {
        photo.with(Option::is_none)
            && if owned {
                details
                    .get()
                    .is_some_and(|answer| answer.as_ref().is_err_and(|error| error.is_not_found()))
            } else {
                store.fully_loaded()
            }
    });
    let neighbours = Memo::new(move |_| store.neighbours(&id.get()));
    // Keep the photo's month loaded, so the neighbours are known even when it
    // was opened by link.
    Effect::new(move |_| {
        store.pin(photo.with(|p| {
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

    let go_to = {
        let navigate = navigate.clone();
        let source = source.clone();
        move |other: Option<Photo>| {
            if let Some(other) = other {
                navigate(
                    &source.photo_path(&other.id),
                    NavigateOptions {
                        // Stepping through is one place in history, and the
                        // timeline behind stays where it is.
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
        }
    };
    let newer = {
        let go_to = go_to.clone();
        move || go_to(neighbours.get_untracked().0)
    };
    let older = {
        let go_to = go_to.clone();
        move || go_to(neighbours.get_untracked().1)
    };
    let close = {
        let navigate = navigate.clone();
        let back_to = match source.base_path() {
            base if base.is_empty() => "/".to_owned(),
            base => base,
        };
        move || {
            if store.opened_here() {
                store.mark_opened_here(false);
                let _ = window().history().and_then(|history| history.back());
            } else {
                navigate(
                    &back_to,
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
        }
    };

    let show_info = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let deleting = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        id.track();
        problem.set(None);
    });

    let keys = window_event_listener(ev::keydown, {
        let (newer, older, close) = (newer.clone(), older.clone(), close.clone());
        move |event| {
            if confirming.get_untracked() {
                return;
            }
            match event.key().as_str() {
                "ArrowLeft" => newer(),
                "ArrowRight" => older(),
                "Escape" => close(),
                "i" => show_info.update(|open| *open = !*open),
                _ => return,
            }
            event.prevent_default();
        }
    });
    on_cleanup(move || keys.remove());

    // The neighbours' web views, fetched before they are asked for.
    let preloaded = StoredValue::new_local(Vec::<web_sys::HtmlImageElement>::new());
    Effect::new(move |_| {
        let (before, after) = neighbours.get();
        let images = [before, after]
            .into_iter()
            .flatten()
            .filter_map(|photo| photo.web.map(|web| web.url))
            .filter_map(|url| {
                let image = web_sys::HtmlImageElement::new().ok()?;
                image.set_src(&url);
                Some(image)
            })
            .collect();
        preloaded.set_value(images);
    });

    let delete = {
        let go_to = go_to.clone();
        let close = close.clone();
        move || {
            let doomed = id.get_untracked();
            let (before, after) = neighbours.get_untracked();
            deleting.set(true);
            let (go_to, close) = (go_to.clone(), close.clone());
            let album = album.get_value();
            spawn_local(async move {
                let done = match &album {
                    Some(album) => api.remove_from_album(album, &doomed).await,
                    None => api.delete_photo(&doomed).await,
                };
                match done {
                    Ok(()) => {
                        store.remove(&doomed);
                        store.refresh();
                        match after.or(before) {
                            Some(next) => go_to(Some(next)),
                            None => close(),
                        }
                    }
                    Err(error) => problem.set(Some(format!(
                        "{} {}",
                        if album.is_some() {
                            "The photo was not taken out of the album."
                        } else {
                            "The photo was not deleted."
                        },
                        error.user_message()
                    ))),
                }
                deleting.set(false);
            });
        }
    };

    let (older_on_swipe, newer_on_swipe) = (older.clone(), newer.clone());
    let stage = move || match photo.get() {
        Some(photo) => {
            let (older, newer) = (older_on_swipe.clone(), newer_on_swipe.clone());
            view! {
                <Zoomable
                    photo
                    on_swipe=move |to_older: bool| if to_older { older() } else { newer() }
                />
            }
            .into_any()
        }
        None if missing.get() => view! {
            <div class="lightbox-missing" role="alert">
                <h2>"This photo is not here"</h2>
                <p>"It may have been deleted, or the link is not for this account."</p>
            </div>
        }
        .into_any(),
        None => view! { <p class="splash" aria-busy="true">"Loading…"</p> }.into_any(),
    };
    let made_cover = RwSignal::new(false);
    let make_cover = {
        move |_| {
            let Some(album) = album.get_value() else {
                return;
            };
            let cover_id = id.get_untracked();
            spawn_local(async move {
                let change = api_types::album::AlbumChange {
                    title: None,
                    cover_id: Some(cover_id),
                };
                match api.change_album(&album, &change).await {
                    Ok(_) => made_cover.set(true),
                    Err(error) => problem.set(Some(format!(
                        "The cover was not changed. {}",
                        error.user_message()
                    ))),
                }
            });
        }
    };
    Effect::new(move |_| {
        id.track();
        made_cover.set(false);
    });
    let download = move || {
        details.get().and_then(Result::ok).and_then(|photo| {
            // The owner's and a location-showing link's: the original; a
            // link that keeps the location private: the large copy.
            match (photo.original_url, photo.download_url) {
                (Some(url), _) => Some(view! {
                    <a class="button" href=url download=photo.details.filename data-testid="download-original">
                        "Download"
                    </a>
                }.into_any()),
                (None, Some(url)) => Some(view! {
                    <a class="button" href=url download="" data-testid="download-copy" title="A large copy, without where it was taken">
                        "Download"
                    </a>
                }.into_any()),
                (None, None) => None,
            }
        })
    };
    let title = move || {
        photo.with(|p| {
            p.as_ref()
                .map(|p| p.details.filename.clone())
                .unwrap_or_default()
        })
    };

    view! {
        <div class="lightbox" role="dialog" aria-modal="true" aria-label=title data-testid="lightbox">
            <header class="lightbox-bar">
                <button class="button icon" type="button" aria-label="Close" on:click={
                    let close = close.clone();
                    move |_| close()
                }>"✕"</button>
                <span class="lightbox-title">{title}</span>
                <div class="lightbox-actions">
                    {download}
                    <button
                        class="button"
                        type="button"
                        aria-pressed=move || show_info.get().to_string()
                        on:click=move |_| show_info.update(|open| *open = !*open)
                    >
                        "Info"
                    </button>
                    {in_album.then(|| view! {
                        <button
                            class="button"
                            type="button"
                            disabled=move || photo.with(Option::is_none) || made_cover.get()
                            on:click=make_cover
                        >
                            {move || if made_cover.get() { "Album cover ✓" } else { "Make cover" }}
                        </button>
                        <button
                            class="button"
                            type="button"
                            disabled=move || photo.with(Option::is_none) || deleting.get()
                            on:click={
                                let delete = delete.clone();
                                move |_| delete()
                            }
                        >
                            {move || if deleting.get() { "Removing…" } else { "Remove from album" }}
                        </button>
                    })}
                    {(owned && !in_album).then(|| view! {
                        <button
                            class="button danger"
                            type="button"
                            disabled=move || photo.with(Option::is_none) || deleting.get()
                            on:click=move |_| confirming.set(true)
                        >
                            {move || if deleting.get() { "Deleting…" } else { "Delete" }}
                        </button>
                    })}
                </div>
            </header>
            {move || problem.get().map(|why| view! { <p class="lightbox-problem" role="alert">{why}</p> })}
            <div class="lightbox-body">
                <button
                    class="lightbox-nav newer"
                    type="button"
                    aria-label="Newer photo"
                    hidden=move || neighbours.with(|(before, _)| before.is_none())
                    on:click={
                        let newer = newer.clone();
                        move |_| newer()
                    }
                >"‹"</button>
                {stage}
                <button
                    class="lightbox-nav older"
                    type="button"
                    aria-label="Older photo"
                    hidden=move || neighbours.with(|(_, after)| after.is_none())
                    on:click={
                        let older = older.clone();
                        move |_| older()
                    }
                >"›"</button>
                {move || show_info.get().then(|| photo.get().map(|photo| view! { <InfoPanel photo /> }))}
            </div>
            <ConfirmDialog
                open=confirming
                title="Delete this photo?"
                message="It is removed from Shoebox with its original. This cannot be undone.".to_owned()
                confirm="Delete".to_owned()
                on_confirm=move |_| delete()
            />
        </div>
    }
}
