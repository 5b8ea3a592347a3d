//! "Make cover": in an album's lightbox, makes the open photo the album's
//! cover; it says so until another photo is opened.

use api_types::album::AlbumChange;
use leptos::{prelude::*, task::spawn_local};

use super::shown_photo::ShownPhoto;
use crate::api::Api;

#[component]
pub fn CoverButton(
    album: String,
    shown: ShownPhoto,
    /// Where a failure is told.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let made_cover = RwSignal::new(false);
    Effect::new(move |_| {
        shown.id.track();
        made_cover.set(false);
    });
    let album = StoredValue::new(album);
    let make_cover = move |_| {
        let album = album.get_value();
        let change = AlbumChange {
            title: None,
            cover_id: Some(shown.id.get_untracked()),
        };
        spawn_local(async move {
            match api.change_album(&album, &change).await {
                Ok(_) => made_cover.set(true),
                Err(error) => problem.set(Some(format!(
                    "The cover was not changed. {}",
                    error.user_message()
                ))),
            }
        });
    };
    view! {
        <button
            class="button"
            type="button"
            disabled=move || shown.photo.with(Option::is_none) || made_cover.get()
            on:click=make_cover
        >
            {move || if made_cover.get() { "Album cover ✓" } else { "Make cover" }}
        </button>
    }
}
