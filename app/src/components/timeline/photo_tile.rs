//! One photo in the timeline: its thumbnail, over its placeholder's colour
//! while it loads, linking to the photo's own page (the lightbox).

use crate::{components::timeline::timeline_view::Place, timeline::TimelineStore};
use api_types::photo::Photo;
use base64::{Engine, engine::general_purpose::STANDARD};
use leptos::prelude::*;

/// `place`: where the tile goes (set through the CSSOM, which the CSP allows;
/// style attributes it does not).
#[component]
pub fn PhotoTile(photo: Photo, place: Place) -> impl IntoView {
    let background = photo.placeholder.as_deref().and_then(average_colour);
    let href = format!("/photo/{}", photo.id);
    let label = photo.filename.clone();
    let content = match photo.thumb {
        Some(thumb) => view! {
            <img src=thumb.url alt=label.clone() decoding="async" draggable="false" />
        }
        .into_any(),
        None => view! {
            <span class="no-preview">
                <span>"No preview"</span>
                <span class="no-preview-name">{label.clone()}</span>
            </span>
        }
        .into_any(),
    };
    let store = expect_context::<TimelineStore>();
    // The router takes the click; `data-noscroll` keeps the timeline where it is.
    view! {
        <a
            href=href
            class="photo-tile"
            data-noscroll=""
            data-testid="photo-tile"
            title=label
            style:transform=place.transform
            style:width=place.width
            style:height=place.height
            style:background-color=background
            on:click=move |_| store.mark_opened_here(true)
        >
            {content}
        </a>
    }
}

/// The ThumbHash's average colour, as CSS: the tile's colour until the
/// thumbnail arrives.
fn average_colour(placeholder: &str) -> Option<String> {
    let hash = STANDARD.decode(placeholder).ok()?;
    let (r, g, b, _) = thumbhash::thumb_hash_to_average_rgba(&hash).ok()?;
    let channel = |value: f32| (value.clamp(0.0, 1.0) * 255.0).round() as u8;
    Some(format!("rgb({},{},{})", channel(r), channel(g), channel(b)))
}
