//! The photo in the lightbox, zoomable: the wheel zooms around the pointer,
//! two fingers pinch, a double click or double tap toggles 2.5×, a drag pans a
//! zoomed photo, and a swipe on an unzoomed one goes to the next or previous.
//! The thumbnail (already loaded) shows until the web view arrives. A motion
//! photo or a Live Photo plays its movement over the still ([`MotionClip`]).

use std::collections::HashMap;

use api_types::photo::Photo;
use leptos::{ev, html, prelude::*};

use super::motion_clip::MotionClip;
use crate::{components::moving::Movement, timeline::TimelineStore};

const MAX_SCALE: f64 = 8.0;
const DOUBLE_TAP_SCALE: f64 = 2.5;
/// How far a finger must travel sideways to count as a swipe.
const SWIPE_PX: f64 = 60.0;
const DOUBLE_TAP_MS: f64 = 300.0;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Framing {
    scale: f64,
    x: f64,
    y: f64,
}

const FIT: Framing = Framing {
    scale: 1.0,
    x: 0.0,
    y: 0.0,
};

impl Framing {
    /// Zoomed to `scale`, keeping the point `(px, py)` (from the stage's
    /// centre) where it is.
    fn zoom_at(self, scale: f64, px: f64, py: f64) -> Framing {
        let scale = scale.clamp(1.0, MAX_SCALE);
        if scale <= 1.0 {
            return FIT;
        }
        let ratio = scale / self.scale;
        Framing {
            scale,
            x: px - (px - self.x) * ratio,
            y: py - (py - self.y) * ratio,
        }
    }
}

type Point = (f64, f64);
/// Each pointer that is down: where it started, and where it is now.
type Pointers = HashMap<i32, (Point, Point)>;

/// A swipe: to the older photo (`true`), or the newer.
#[component]
pub fn Zoomable(photo: Photo, #[prop(into)] on_swipe: Callback<bool>) -> impl IntoView {
    let stage = NodeRef::<html::Div>::new();
    let zoom = RwSignal::new(FIT);
    let web_loaded = RwSignal::new(false);
    // Pointers down: where each started and is now.
    let pointers = StoredValue::new(Pointers::new());
    let pinch_start = StoredValue::new(None::<(f64, Framing)>);
    let last_tap = StoredValue::new(0.0_f64);
    // When the last double tap was handled, so the dblclick after it is not.
    let tapped_twice_at = StoredValue::new(0.0_f64);

    // The point `(client_x, client_y)` relative to the stage's centre.
    let from_centre = move |client_x: f64, client_y: f64| -> (f64, f64) {
        stage.get_untracked().map_or((0.0, 0.0), |stage| {
            let bounds = stage.get_bounding_client_rect();
            (
                client_x - bounds.left() - bounds.width() / 2.0,
                client_y - bounds.top() - bounds.height() / 2.0,
            )
        })
    };
    let toggle_at = move |client_x: f64, client_y: f64| {
        let (px, py) = from_centre(client_x, client_y);
        zoom.update(|v| {
            *v = if v.scale > 1.0 {
                FIT
            } else {
                v.zoom_at(DOUBLE_TAP_SCALE, px, py)
            }
        });
    };

    let on_wheel = move |event: ev::WheelEvent| {
        event.prevent_default();
        let (px, py) = from_centre(f64::from(event.client_x()), f64::from(event.client_y()));
        let factor = (-event.delta_y() * 0.0015).exp();
        zoom.update(|v| *v = v.zoom_at(v.scale * factor, px, py));
    };
    let on_down = move |event: ev::PointerEvent| {
        let at = (f64::from(event.client_x()), f64::from(event.client_y()));
        if let Some(stage) = stage.get_untracked() {
            let _ = stage.set_pointer_capture(event.pointer_id());
        }
        pointers.update_value(|p| {
            p.insert(event.pointer_id(), (at, at));
        });
        if pointers.with_value(HashMap::len) == 2 {
            let distance = pointers.with_value(spread);
            pinch_start.set_value(Some((distance, zoom.get_untracked())));
        }
    };
    let on_move = move |event: ev::PointerEvent| {
        let at = (f64::from(event.client_x()), f64::from(event.client_y()));
        let Some(previous) =
            pointers.with_value(|p| p.get(&event.pointer_id()).map(|(_, now)| *now))
        else {
            return;
        };
        pointers.update_value(|p| {
            if let Some(entry) = p.get_mut(&event.pointer_id()) {
                entry.1 = at;
            }
        });
        match (pointers.with_value(HashMap::len), pinch_start.get_value()) {
            (2, Some((start, start_view))) if start > 0.0 => {
                let ratio = pointers.with_value(spread) / start;
                let (cx, cy) = pointers.with_value(|p| {
                    let n = p.len() as f64;
                    p.values().fold((0.0, 0.0), |(x, y), (_, now)| {
                        (x + now.0 / n, y + now.1 / n)
                    })
                });
                let (px, py) = from_centre(cx, cy);
                zoom.set(start_view.zoom_at(start_view.scale * ratio, px, py));
            }
            (1, _) if zoom.get_untracked().scale > 1.0 => {
                zoom.update(|v| {
                    v.x += at.0 - previous.0;
                    v.y += at.1 - previous.1;
                });
            }
            _ => {}
        }
    };
    let on_up = move |event: ev::PointerEvent| {
        let Some((start, end)) = pointers
            .try_update_value(|p| p.remove(&event.pointer_id()))
            .flatten()
        else {
            return;
        };
        if pointers.with_value(HashMap::len) < 2 {
            pinch_start.set_value(None);
        }
        let (dx, dy) = (end.0 - start.0, end.1 - start.1);
        if zoom.get_untracked().scale <= 1.0 && dx.abs() > SWIPE_PX && dx.abs() > dy.abs() * 1.5 {
            on_swipe.run(dx < 0.0);
            return;
        }
        if event.pointer_type() == "touch" && dx.abs() < 10.0 && dy.abs() < 10.0 {
            let now = js_sys::Date::now();
            if now - last_tap.get_value() < DOUBLE_TAP_MS {
                toggle_at(end.0, end.1);
                last_tap.set_value(0.0);
                tapped_twice_at.set_value(now);
            } else {
                last_tap.set_value(now);
            }
        }
    };
    let on_double_click = move |event: ev::MouseEvent| {
        // Chrome follows a double tap with a dblclick: that one is done already.
        if js_sys::Date::now() - tapped_twice_at.get_value() < DOUBLE_TAP_MS {
            return;
        }
        toggle_at(f64::from(event.client_x()), f64::from(event.client_y()));
    };

    let transform = move || {
        let Framing { scale, x, y } = zoom.get();
        format!("translate({x}px, {y}px) scale({scale})")
    };
    let thumb = photo.thumb.clone().map(|thumb| thumb.url);
    let web = photo.web.clone().map(|web| web.url);
    let alt = photo.details.filename.clone();
    // Every photo is fetched with CORS, as the timeline's tiles are: the same
    // signed URL fetched once without it would be cached without CORS headers,
    // and a tile asking for it later would be refused.
    let image = match (thumb, web) {
        (thumb, Some(web)) => view! {
            {thumb
                .map(|url| {
                    view! {
                        <img
                            class="lightbox-image lightbox-thumb"
                            crossorigin="anonymous"
                            src=url
                            alt=""
                            aria-hidden="true"
                            draggable="false"
                            class:hidden=move || web_loaded.get()
                        />
                    }
                })}
            <img
                class="lightbox-image"
                crossorigin="anonymous"
                src=web
                alt=alt
                draggable="false"
                data-testid="lightbox-image"
                on:load=move |_| web_loaded.set(true)
            />
        }
        .into_any(),
        (Some(thumb), None) => view! {
            <img
                class="lightbox-image"
                crossorigin="anonymous"
                src=thumb
                alt=alt
                draggable="false"
                data-testid="lightbox-image"
            />
        }
        .into_any(),
        (None, None) => view! {
            <div class="lightbox-no-preview">
                <p>"No preview for this photo"</p>
                <p class="no-preview-name">{alt}</p>
                <p>"Its original is backed up: download it to see it."</p>
            </div>
        }
        .into_any(),
    };
    let source = expect_context::<TimelineStore>().source();
    let motion = Movement::of(&photo, &source).map(|movement| view! { <MotionClip movement /> });
    view! {
        <div
            class="lightbox-stage"
            class:zoomed=move || { zoom.get().scale > 1.0 }
            node_ref=stage
            on:wheel=on_wheel
            on:pointerdown=on_down
            on:pointermove=on_move
            on:pointerup=on_up
            on:pointercancel=on_up
            on:dblclick=on_double_click
        >
            <div class="lightbox-zoom" style:transform=transform>
                {image}
                {motion}
            </div>
        </div>
    }
}

/// How far apart the first two pointers are now.
fn spread(pointers: &Pointers) -> f64 {
    let mut now = pointers.values().map(|(_, now)| *now);
    match (now.next(), now.next()) {
        (Some(a), Some(b)) => ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt(),
        _ => 0.0,
    }
}
