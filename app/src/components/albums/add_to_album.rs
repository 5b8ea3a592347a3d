//! Puts the selected photos in an album: one of the user's, or a new one made
//! from them. Big selections go in parts; the dialog says how far it got and,
//! at the end, how many went in.

use api_types::album::{Album, NewAlbum};
use leptos::{html, prelude::*, task::spawn_local};

use super::IDS_PER_REQUEST;
use crate::{
    api::{Api, ApiError},
    components::problem_line::ProblemLine,
};

#[component]
pub fn AddToAlbum(
    open: RwSignal<bool>,
    /// The photos to add.
    #[prop(into)]
    ids: Signal<Vec<String>>,
    /// Called once they are in, with the album.
    #[prop(into)]
    on_added: Callback<Album>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let dialog = NodeRef::<html::Dialog>::new();
    let heading_id = crate::components::unique_id("add-to-album-heading");
    let labelled_by = heading_id.clone();
    let albums = LocalResource::new(move || {
        let wanted = open.get();
        async move {
            if wanted {
                api.albums().await.map(|list| list.items)
            } else {
                Ok(Vec::new())
            }
        }
    });
    let new_title = RwSignal::new(String::new());
    let busy = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    crate::components::modal_while(dialog, open, move || {
        problem.set(None);
        new_title.set(String::new());
    });

    let add = move |album: Option<Album>| {
        let ids = ids.get_untracked();
        let title = new_title.get_untracked().trim().to_owned();
        problem.set(None);
        spawn_local(async move {
            match add_in_parts(api, album, title, ids, busy).await {
                Ok(album) => {
                    open.set(false);
                    on_added.run(album);
                }
                Err(error) => problem.set(Some(format!(
                    "Not all photos were added. {}",
                    error.user_message()
                ))),
            }
            busy.set(None);
        });
    };
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if !new_title.with_untracked(|title| title.trim().is_empty()) {
            add(None);
        }
    };
    let list = move || {
        match albums.get() {
        None => view! {
            <p class="hint" aria-busy="true">
                "Loading your albums…"
            </p>
        }.into_any(),
        Some(Err(error)) => view! {
            <p class="form-problem" role="alert">
                {error.user_message()}
            </p>
        }.into_any(),
        Some(Ok(albums)) if albums.is_empty() => ().into_any(),
        Some(Ok(albums)) => view! {
            <ul class="album-choices">
                {albums
                    .into_iter()
                    .map(|album| {
                        let chosen = album.clone();
                        view! {
                            <li>
                                <button
                                    class="album-choice"
                                    type="button"
                                    disabled=move || busy.with(Option::is_some)
                                    on:click=move |_| add(Some(chosen.clone()))
                                >
                                    {album
                                        .cover
                                        .as_ref()
                                        .map(|cover| {
                                            view! {
                                                <img crossorigin="anonymous" src=cover.url.clone() alt="" />
                                            }
                                        })}
                                    <span class="album-choice-title">{album.title.clone()}</span>
                                    <span class="album-choice-count">
                                        {photo_count(album.count)}
                                    </span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    view! {
        <dialog
            class="confirm-dialog add-to-album"
            node_ref=dialog
            on:close=move |_| open.set(false)
            aria-labelledby=labelled_by
        >
            <h2 id=heading_id>
                {move || format!("Add {} to an album", photo_count(ids.with(Vec::len) as u32))}
            </h2>
            <form class="new-album" on:submit=create>
                <label class="field">
                    <span>"A new album"</span>
                    <input
                        type="text"
                        maxlength="200"
                        placeholder="Title"
                        prop:value=move || new_title.get()
                        on:input=move |event| new_title.set(event_target_value(&event))
                    />
                </label>
                <button
                    class="button primary"
                    type="submit"
                    disabled=move || {
                        busy.with(Option::is_some) || new_title.with(|t| t.trim().is_empty())
                    }
                >
                    "Create"
                </button>
            </form>
            {list}
            {move || {
                busy.get()
                    .map(|what| {
                        view! {
                            <p class="hint" aria-live="polite">
                                {what}
                            </p>
                        }
                    })
            }}
            <ProblemLine problem />
            <div class="confirm-actions">
                <button class="button" type="button" on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
            </div>
        </dialog>
    }
}

/// Adds `ids` to `album` (or to a new album titled `title`), a part at a time.
pub async fn add_in_parts(
    api: Api,
    album: Option<Album>,
    title: String,
    ids: Vec<String>,
    busy: RwSignal<Option<String>>,
) -> Result<Album, ApiError> {
    let total = ids.len();
    let mut parts = ids.chunks(IDS_PER_REQUEST);
    let mut done = 0;
    let mut album = match album {
        Some(album) => album,
        None => {
            busy.set(Some(format!("Making “{title}”…")));
            let first = parts.next().map(<[String]>::to_vec).unwrap_or_default();
            done = first.len();
            api.create_album(&NewAlbum {
                title,
                photo_ids: first,
            })
            .await?
        }
    };
    for part in parts {
        busy.set(Some(format!(
            "Adding {done} of {total} to “{}”…",
            album.title
        )));
        let added = api.add_to_album(&album.id, part.to_vec()).await?;
        album = added.album;
        done += part.len();
    }
    Ok(album)
}

pub fn photo_count(count: u32) -> String {
    match count {
        1 => "1 photo".to_owned(),
        n => format!("{n} photos"),
    }
}
