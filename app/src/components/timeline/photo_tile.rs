//! One photo in the timeline: its thumbnail, over its ThumbHash (a blurred
//! sketch of the photo) while it loads, linking to the photo's own page (the lightbox). Its check
//! mark (on hover, or whenever something is selected), a long press on a touch
//! screen, or a shift-click select it instead ([`Selection`]). A video's
//! poster carries a play badge with its length; a motion photo or a Live
//! Photo says so, and plays while the mouse rests on it ([`TileMotion`]). A
//! favourite shows its heart; in the trash, a tile says how long it has left.

use api_types::photo::Photo;
use base64::{Engine, engine::general_purpose::STANDARD};
use leptos::{ev, html, prelude::*};

mod sketch;
mod tile_motion;

use tile_motion::TileMotion;

use crate::{
    components::moving::Movement,
    timeline::placement::Place,
    timeline::{TimelineStore, labels, selection::Selection},
};

/// How long a finger rests on a tile to select it.
const LONG_PRESS_MS: u64 = 500;

/// `place`: where the tile goes (set through the CSSOM, which the CSP allows;
/// style attributes it does not).
#[component]
pub fn PhotoTile(photo: Photo, place: Place) -> impl IntoView {
    let store = expect_context::<TimelineStore>();
    let selection = expect_context::<Selection>();
    let hash = photo
        .details
        .placeholder
        .as_deref()
        .and_then(|placeholder| STANDARD.decode(placeholder).ok());
    let background = hash.as_deref().and_then(average_colour);
    let tile = NodeRef::<html::A>::new();
    let thumbnail = NodeRef::<html::Img>::new();
    // Painted soon after it is mounted, unless the thumbnail is there first.
    Effect::new(move |_| {
        if let (Some(tile), Some(img), Some(hash)) = (tile.get(), thumbnail.get(), hash.clone()) {
            sketch::paint_later(tile.into(), img, hash);
        }
    });
    let source = store.source();
    let selectable = source.selectable();
    let href = source.photo_path(&photo.id);
    let label = photo.details.filename.clone();
    let id = StoredValue::new(photo.id.clone());
    let selected = move || id.with_value(|id| selection.contains(id));
    let video_length = photo
        .details
        .video
        .as_ref()
        .map(|video| video.duration_ms.map(labels::duration).unwrap_or_default());
    let movement = Movement::of(&photo, &source);
    // Followed in the store: a heart given in the lightbox shows here at once.
    let month = StoredValue::new(photo.taken_at.get(..7).unwrap_or_default().to_owned());
    let favorite = Memo::new(move |_| {
        month.with_value(|month| {
            id.with_value(|id| store.read_photo(month, id, |photo| photo.favorite))
        }) == Some(true)
    });
    let days_left = (source.view() == Some(api_types::care::ViewName::Trash))
        .then_some(photo.trashed.as_ref())
        .flatten()
        .map(|trashed| {
            crate::care::days_left(js_sys::Date::parse(&trashed.purge_at), js_sys::Date::now())
        });
    let badge = match (&video_length, &movement) {
        (Some(length), _) => Some(
            view! {
                <span class="video-badge" data-testid="video-badge" aria-label="Video">
                    <span class="video-badge-play" aria-hidden="true"></span>
                    {length.clone()}
                </span>
            }
            .into_any(),
        ),
        (None, Some(movement)) => Some(
            view! {
                <span class="video-badge" data-testid="motion-badge">
                    {movement.name()}
                </span>
            }
            .into_any(),
        ),
        (None, None) => None,
    };
    let content = match photo.thumb {
        Some(thumb) => view! {
            // CORS, so the service worker may keep it for offline use (an
            // opaque answer it could not check, and browsers pad its size).
            <img
                node_ref=thumbnail
                crossorigin="anonymous"
                src=thumb.url
                alt=label.clone()
                decoding="async"
                draggable="false"
            />
        }
        .into_any(),
        None => view! {
            <span class="no-preview">
                <span>{if video_length.is_some() { "Video" } else { "No preview" }}</span>
                <span class="no-preview-name">{label.clone()}</span>
            </span>
        }
        .into_any(),
    };

    // A long press selects; the click that ends it must not open the photo.
    let press = StoredValue::new_local(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    let pressed_long = StoredValue::new(false);
    let cancel_press = move || {
        if let Some(handle) = press.get_value() {
            handle.clear();
            press.set_value(None);
        }
    };
    let on_pointer_down = move |event: ev::PointerEvent| {
        pressed_long.set_value(false);
        if !selectable || event.pointer_type() != "touch" {
            return;
        }
        let handle = set_timeout_with_handle(
            move || {
                pressed_long.set_value(true);
                id.with_value(|id| selection.toggle(id));
            },
            std::time::Duration::from_millis(LONG_PRESS_MS),
        )
        .ok();
        press.set_value(handle);
    };
    // Listened to on the element itself (Leptos does not delegate here), so it
    // runs before the router's click handling on the window and can stop it.
    let on_click = move |event: ev::MouseEvent| {
        cancel_press();
        if pressed_long.get_value() {
            event.prevent_default();
            pressed_long.set_value(false);
        } else if !selectable {
            store.mark_opened_here(true);
        } else if event.shift_key() {
            event.prevent_default();
            let order = store.loaded_ids();
            id.with_value(|id| selection.extend_to(id, &order));
        } else if selection.is_active() || event.ctrl_key() || event.meta_key() {
            event.prevent_default();
            id.with_value(|id| selection.toggle(id));
        } else {
            store.mark_opened_here(true);
        }
    };
    let on_check = move |event: ev::MouseEvent| {
        event.prevent_default();
        event.stop_propagation();
        id.with_value(|id| selection.toggle(id));
    };

    let hovered = RwSignal::new(false);
    let motion = movement.map(|movement| view! { <TileMotion movement hovered /> });

    // The router takes a plain click; `data-noscroll` keeps the timeline where it is.
    view! {
        <a
            node_ref=tile
            href=href
            class="photo-tile"
            class:selected=selected
            class:selecting=move || selection.is_active()
            data-noscroll=""
            data-testid="photo-tile"
            title=label.clone()
            aria-selected=move || selected().to_string()
            style:transform=place.transform
            style:width=place.width
            style:height=place.height
            style:background-color=background
            on:pointerdown=on_pointer_down
            on:pointerup=move |_| cancel_press()
            on:pointercancel=move |_| cancel_press()
            on:pointerenter=move |event: ev::PointerEvent| {
                if event.pointer_type() == "mouse" {
                    hovered.set(true);
                }
            }
            on:pointerleave=move |_| {
                cancel_press();
                hovered.set(false);
            }
            on:contextmenu=move |event: ev::MouseEvent| {
                if pressed_long.get_value() {
                    event.prevent_default();
                }
            }
            on:click=on_click
        >
            {content}
            {motion}
            {badge}
            {move || {
                favorite
                    .get()
                    .then(|| {
                        view! {
                            <span
                                class="favorite-badge"
                                data-testid="favorite-badge"
                                aria-label="Favorite"
                            >
                                "♥"
                            </span>
                        }
                    })
            }}
            {days_left
                .map(|left| {
                    let said = format!("{left} left before it is deleted for good");
                    view! {
                        <span
                            class="days-left"
                            data-testid="days-left"
                            title=said.clone()
                            aria-label=said
                        >
                            {left}
                        </span>
                    }
                })}
            {selectable
                .then(|| {
                    view! {
                        <button
                            class="tile-check"
                            type="button"
                            aria-label=format!("Select {label}")
                            aria-pressed=move || selected().to_string()
                            on:click=on_check
                        ></button>
                    }
                })}
        </a>
    }
}

/// The ThumbHash's average colour, as CSS: the tile's colour until its
/// sketch is drawn.
fn average_colour(hash: &[u8]) -> Option<String> {
    let (r, g, b, _) = thumbhash::thumb_hash_to_average_rgba(hash).ok()?;
    let channel = |value: f32| (value.clamp(0.0, 1.0) * 255.0).round() as u8;
    Some(format!("rgb({},{},{})", channel(r), channel(g), channel(b)))
}
