//! `/albums`: the user's albums, most recently changed first, each with its
//! cover and count; and a new, empty album.

use api_types::album::NewAlbum;
use leptos::{prelude::*, task::spawn_local};
use leptos_router::hooks::use_navigate;

use crate::{
    api::Api,
    components::{
        albums::{add_to_album::photo_count, title_dialog::TitleDialog},
        problem_line::ProblemLine,
    },
    pages::signed_in::SignedIn,
};

#[component]
pub fn Albums() -> impl IntoView {
    view! {
        <SignedIn what="your albums">
            <AlbumList />
        </SignedIn>
    }
}

#[component]
fn AlbumList() -> impl IntoView {
    let api = expect_context::<Api>();
    let navigate = use_navigate();
    let albums = LocalResource::new(move || async move { api.albums().await });
    let naming = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let create = move |title: String| {
        let navigate = navigate.clone();
        spawn_local(async move {
            let new = NewAlbum {
                title,
                photo_ids: Vec::new(),
            };
            match api.create_album(&new).await {
                Ok(album) => navigate(&format!("/albums/{}", album.id), Default::default()),
                Err(error) => problem.set(Some(format!(
                    "The album was not made. {}",
                    error.user_message()
                ))),
            }
        });
    };
    let grid = move || {
        match albums.get() {
        None => view! {
            <p class="splash" aria-busy="true">
                "Loading your albums…"
            </p>
        }.into_any(),
        Some(Err(error)) => view! {
            <section class="notice-card" role="alert">
                <h2>"Your albums could not be loaded"</h2>
                <p>{error.user_message()}</p>
                <button class="button primary" type="button" on:click=move |_| albums.refetch()>
                    "Try again"
                </button>
            </section>
        }
        .into_any(),
        Some(Ok(list)) if list.items.is_empty() => view! {
            <section class="empty-state" aria-labelledby="no-albums">
                <div class="empty-illustration" aria-hidden="true"></div>
                <h2 id="no-albums">"No albums yet"</h2>
                <p>
                    "Select photos in your timeline and choose Add to album, or make an empty one with New album."
                </p>
            </section>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <ul class="album-grid" data-testid="album-grid">
                {list
                    .items
                    .into_iter()
                    .map(|album| {
                        view! {
                            <li>
                                <a class="album-card" href=format!("/albums/{}", album.id)>
                                    <span class="album-cover">
                                        {album
                                            .cover
                                            .map(|cover| {
                                                view! {
                                                    <img
                                                        crossorigin="anonymous"
                                                        src=cover.url
                                                        alt=""
                                                        decoding="async"
                                                    />
                                                }
                                            })}
                                    </span>
                                    <span class="album-card-title">{album.title}</span>
                                    <span class="album-card-count">{photo_count(album.count)}</span>
                                </a>
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
        <section class="page-section">
            <header class="page-head">
                <h1>"Albums"</h1>
                <button class="button primary" type="button" on:click=move |_| naming.set(true)>
                    "New album"
                </button>
            </header>
            <ProblemLine problem />
            {grid}
        </section>
        <TitleDialog
            open=naming
            heading="New album"
            initial=String::new()
            confirm="Create"
            on_confirm=create
        />
    }
}
