//! A video in the lightbox: the browser's own player with its controls, the
//! poster first, the original streamed (the store answers ranges, so a seek
//! fetches only what plays). A sideways swipe that starts above the controls
//! goes to the next or previous item, as on a photo; space plays and pauses
//! (the lightbox's keys, [`toggle_playing`]).
//!
//! A share link that keeps the location private has no original to play (its
//! own boxes may hold the place): its visitor sees the poster and a Play
//! button, which asks for a copy without the place (made the first time,
//! which takes a moment), or says why there is none.

use api_types::photo::Photo;
use leptos::{ev, html, prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use crate::{
    api::Api,
    timeline::{Source, TimelineStore},
};

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
    let url = RwSignal::new(photo.play_url.clone());
    // Only a link's visitor asks, and only where the link keeps the place.
    let token = match expect_context::<TimelineStore>().source() {
        Source::Shared(token) if photo.play_on_request => Some(token),
        _ => None,
    };
    let can_ask = token.is_some();
    let asking = RwSignal::new(false);
    let refusal = RwSignal::new(None::<String>);
    let api = expect_context::<Api>();
    let id = photo.id.clone();
    let ask = move |_| {
        let (Some(token), id) = (token.clone(), id.clone()) else {
            return;
        };
        asking.set(true);
        spawn_local(async move {
            match api.public_play(&token, &id).await {
                Ok(answer) => url.set(Some(answer.play_url)),
                Err(error) => refusal.set(Some(error.user_message())),
            }
            asking.set(false);
        });
    };

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

    let shown = move || match url.get() {
        Some(url) => view! {
            // Not muted: opening a video (or pressing Play) is a click, which
            // lets it play with sound.
            <video
                node_ref=player
                class="lightbox-video"
                crossorigin="anonymous"
                src=url
                poster=poster.clone()
                controls=true
                autoplay=true
                playsinline=true
                preload="metadata"
                aria-label=label.clone()
                data-testid="lightbox-video"
            ></video>
        }
        .into_any(),
        None => view! {
            <div class="lightbox-video-unplayable">
                {poster
                    .clone()
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
                {can_ask
                    .then(|| {
                        view! {
                            <button
                                class="lightbox-play"
                                type="button"
                                disabled=move || asking.get() || refusal.with(Option::is_some)
                                on:pointerdown=|event| event.stop_propagation()
                                on:click=ask.clone()
                            >
                                {move || if asking.get() { "Getting it ready…" } else { "Play" }}
                            </button>
                        }
                    })} <p class="lightbox-video-note" role="status">
                    {move || {
                        refusal
                            .get()
                            .unwrap_or_else(|| {
                                if can_ask {
                                    "Shared without where it was taken.".to_owned()
                                } else {
                                    "This video plays only on links that share where it was taken."
                                        .to_owned()
                                }
                            })
                    }}
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
