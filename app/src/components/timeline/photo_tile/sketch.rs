//! Tile sketches: a ThumbHash decoded to its tiny image (at most 32 px a side)
//! and set as the tile's background, which CSS stretches (and so blurs) over
//! the tile until the thumbnail covers it. One shared canvas turns each into a
//! PNG data URL, so tiles carry no canvas (nor 2D context) of their own.
//!
//! A decode costs about a millisecond in wasm, and a fast scroll mounts dozens
//! of tiles in one frame, so a sketch waits [`WAIT_MS`] first: a thumbnail in
//! the browser's cache is there by then, and a tile scrolled past is gone, and
//! neither needs one. The rest are painted from a queue in slices of a few
//! milliseconds, never in the frame that mounts them.

use std::{cell::RefCell, collections::VecDeque};

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlElement, HtmlImageElement, ImageData,
};

use crate::browser;

/// The longest a slice of painting may hold the main thread.
const SLICE_MS: f64 = 6.0;
/// How long a tile shows its plain colour before it gets a sketch.
const WAIT_MS: f64 = 150.0;

struct Pending {
    due_ms: f64,
    tile: HtmlElement,
    thumbnail: HtmlImageElement,
    hash: Vec<u8>,
}

thread_local! {
    static QUEUE: RefCell<VecDeque<Pending>> = const { RefCell::new(VecDeque::new()) };
    static CANVAS: Option<(HtmlCanvasElement, CanvasRenderingContext2d)> = shared_canvas();
}

/// Sets `hash`'s sketch as `tile`'s background soon, unless `thumbnail` has
/// loaded by then.
pub fn paint_later(tile: HtmlElement, thumbnail: HtmlImageElement, hash: Vec<u8>) {
    let first = QUEUE.with_borrow_mut(|queue| {
        queue.push_back(Pending {
            due_ms: browser::performance_now() + WAIT_MS,
            tile,
            thumbnail,
            hash,
        });
        queue.len() == 1
    });
    if first {
        schedule(WAIT_MS);
    }
}

fn schedule(after_ms: f64) {
    let wait = std::time::Duration::from_micros((after_ms.max(0.0) * 1000.0) as u64);
    leptos::prelude::set_timeout(paint_slice, wait);
}

fn paint_slice() {
    let started = browser::performance_now();
    while browser::performance_now() - started < SLICE_MS {
        // Queued in order, so due in order.
        let next = QUEUE.with_borrow_mut(|queue| match queue.front() {
            Some(front) if front.due_ms > started => Err(front.due_ms - started),
            _ => Ok(queue.pop_front()),
        });
        let pending = match next {
            Ok(Some(pending)) => pending,
            Ok(None) => return,
            Err(wait_ms) => return schedule(wait_ms),
        };
        let shown = pending.thumbnail.complete() && pending.thumbnail.natural_width() > 0;
        if pending.tile.is_connected()
            && !shown
            && let Some(url) = data_url(&pending.hash)
        {
            let _ = pending
                .tile
                .style()
                .set_property("background-image", &format!("url({url})"));
        }
    }
    if QUEUE.with_borrow(|queue| !queue.is_empty()) {
        schedule(0.0);
    }
}

/// The ThumbHash's image as a PNG data URL; `None` if the hash does not
/// decode (the tile keeps its plain placeholder colour).
pub fn data_url(hash: &[u8]) -> Option<String> {
    let (width, height, rgba) = thumbhash::thumb_hash_to_rgba(hash).ok()?;
    let (width, height) = (width as u32, height as u32);
    let image = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), width, height).ok()?;
    CANVAS.with(|shared| {
        let (canvas, context) = shared.as_ref()?;
        canvas.set_width(width);
        canvas.set_height(height);
        context.put_image_data(&image, 0.0, 0.0).ok()?;
        canvas.to_data_url().ok()
    })
}

fn shared_canvas() -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let canvas = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into::<HtmlCanvasElement>()
        .ok()?;
    let context = canvas
        .get_context("2d")
        .ok()??
        .dyn_into::<CanvasRenderingContext2d>()
        .ok()?;
    Some((canvas, context))
}
