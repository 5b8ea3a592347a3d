//! A video in the lightbox: the browser's own player with its controls, the
//! poster first, the original streamed (the store answers ranges, so a seek
//! fetches only what plays). A sideways swipe that starts above the controls
//! goes to the next or previous item, as on a photo; space plays and pauses
//! (the lightbox's keys, [`toggle_playing`]).
//!
//! A share link that keeps the location private has no video to play (the
//! original's own atoms may hold the place): its visitor sees the poster, and
//! why.

use api_types::photo::Photo;
use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

/// How far a finger must travel sideways to count as a swipe.
const SWIPE_PX: f64 = 60.0;
/// The player's own controls sit along its bottom: a drag there scrubs.
const CONTROLS_PX: f64 = 64.0;

#[component]
pub fn VideoStage(photo: Photo, #[prop(into)] on_swipe: Callback<bool>) -> impl IntoView {
    let player = NodeRef::<html::Video>::new();
    let swipe_from = StoredValue::new(None::<(f64, f64)>);
    let poster = photo
        .web
        .as_ref()
        .or(photo.thumb.as_ref())
        .map(|image| image.url.clone());
    let label = photo.details.filename.clone();

    let on_down = move |event: ev::PointerEvent| {
        let above_controls = player.get_untracked().is_none_or(|video| {
            let bounds = video.get_bounding_client_rect();
            f64::from(event.client_y()) < bounds.bottom() - CONTROLS_PX
        });
        swipe_from.set_value(
            above_controls.then(|| (f64::from(event.client_x()), f64::from(event.client_y()))),
        );
    };
    let on_up = move |event: ev::PointerEvent| {
        let Some((x, y)) = swipe_from.get_value() else {
            return;
        };
        swipe_from.set_value(None);
        let dx = f64::from(event.client_x()) - x;
        let dy = f64::from(event.client_y()) - y;
        if dx.abs() > SWIPE_PX && dx.abs() > dy.abs() * 2.0 {
            on_swipe.run(dx < 0.0);
        }
    };

    let shown = match photo.play_url {
        Some(url) => view! {
            // Not muted: opening a video is a click, which lets it play with sound.
            <video
                node_ref=player
                class="lightbox-video"
                crossorigin="anonymous"
                src=url
                poster=poster
                controls=true
                autoplay=true
                playsinline=true
                preload="metadata"
                aria-label=label
                data-testid="lightbox-video"
            ></video>
        }
        .into_any(),
        None => view! {
            <div class="lightbox-video-unplayable">
                {poster
                    .map(|poster| {
                        view! {
                            <img
                                class="lightbox-image"
                                crossorigin="anonymous"
                                src=poster
                                alt=label.clone()
                                draggable="false"
                                data-testid="lightbox-image"
                            />
                        }
                    })}
                <p class="lightbox-video-note">
                    "This video plays only on links that share where it was taken."
                </p>
            </div>
        }
        .into_any(),
    };
    view! {
        <div
            class="lightbox-stage video-stage"
            on:pointerdown=on_down
            on:pointerup=on_up
            on:pointercancel=move |_| swipe_from.set_value(None)
        >
            {shown}
        </div>
    }
}

/// Plays or pauses the video on the lightbox's stage; `false` when there is
/// none (a photo), or it has the focus (its own controls take the key).
pub fn toggle_playing(event: &ev::KeyboardEvent) -> bool {
    let Some(video) = document()
        .query_selector(".lightbox-video")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlVideoElement>().ok())
    else {
        return false;
    };
    let focused = event
        .target()
        .is_some_and(|target| target.dyn_ref::<web_sys::HtmlVideoElement>().is_some());
    if focused {
        return false;
    }
    if video.paused() {
        let _ = video.play();
    } else {
        let _ = video.pause();
    }
    true
}
