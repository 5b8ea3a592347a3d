//! `/`: the photo timeline. Visitors get a welcome; a signed-in user gets their
//! photos, newest first, a page at a time, with photos appearing as uploads finish.

use api_types::photo::{Photo, PhotoPage};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{Api, ApiError},
    auth::Auth,
    upload::Uploads,
};

#[component]
pub fn Gallery() -> impl IntoView {
    let auth = expect_context::<Auth>();
    move || {
        if auth.user().is_some() {
            view! { <Timeline /> }.into_any()
        } else {
            view! {
                <section class="empty-state" aria-labelledby="welcome-title">
                    <div class="empty-illustration" aria-hidden="true"></div>
                    <h1 id="welcome-title">"Your photos, on storage you own"</h1>
                    <p>"Sign in to back up and see your photos."</p>
                    <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                        "Sign in"
                    </button>
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn Timeline() -> impl IntoView {
    let api = expect_context::<Api>();
    let uploads = expect_context::<Uploads>();
    // The first page, fetched again whenever an upload commits; the previous
    // answer stays on screen meanwhile. Later pages are appended by "Show more".
    let first = RwSignal::new(None::<Result<PhotoPage, ApiError>>);
    let more = RwSignal::new(Vec::<Photo>::new());
    let next = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        uploads.committed();
        spawn_local(async move {
            let page = api.photos(None).await;
            if let Ok(page) = &page {
                more.set(Vec::new());
                next.set(page.next_cursor.clone());
            }
            first.set(Some(page));
        });
    });
    let show_more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        spawn_local(async move {
            if let Ok(page) = api.photos(Some(&cursor)).await {
                next.set(page.next_cursor);
                more.update(|photos| photos.extend(page.items));
            }
        });
    };
    move || {
        match first.get() {
        None => view! { <p class="splash" aria-busy="true">"Loading your photos…"</p> }.into_any(),
        Some(Err(error)) => view! {
            <section class="notice-card" role="alert">
                <h1>"Your photos could not be loaded"</h1>
                <p>{error.user_message()}</p>
            </section>
        }
        .into_any(),
        Some(Ok(page)) if page.items.is_empty() => view! {
            <section class="empty-state" aria-labelledby="empty-title">
                <div class="empty-illustration" aria-hidden="true"></div>
                <h1 id="empty-title">"No photos yet"</h1>
                <p>"Photos you back up to Shoebox appear here, newest first. Use Upload, or drop photos or folders anywhere on this page."</p>
            </section>
        }
        .into_any(),
        Some(Ok(page)) => view! {
            <h1 class="visually-hidden">"Your photos"</h1>
            <ul class="photo-grid" data-testid="photo-grid">
                {page.items.into_iter().map(|photo| view! { <PhotoTile photo /> }).collect_view()}
                <For each=move || more.get() key=|photo| photo.id.clone() let:photo>
                    <PhotoTile photo />
                </For>
            </ul>
            <Show when=move || next.with(Option::is_some)>
                <div class="more">
                    <button class="button" type="button" on:click=show_more>"Show more"</button>
                </div>
            </Show>
        }
        .into_any(),
    }
    }
}

#[component]
fn PhotoTile(photo: Photo) -> impl IntoView {
    let label = photo.filename;
    match photo.thumb {
        Some(thumb) => view! {
            <li class="photo-tile">
                <img
                    src=thumb.url
                    width=thumb.width
                    height=thumb.height
                    alt=label
                    loading="lazy"
                    decoding="async"
                />
            </li>
        }
        .into_any(),
        None => {
            let title = label.clone();
            view! {
                <li class="photo-tile no-preview" title=title>
                    <span>"No preview"</span>
                    <span class="no-preview-name">{label}</span>
                </li>
            }
            .into_any()
        }
    }
}
