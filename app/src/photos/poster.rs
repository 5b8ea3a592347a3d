//! A video's poster frame, from the browser's own decoder: the file is opened
//! in a `<video>` that is never shown, seeked to a representative moment, and
//! that frame taken as an `ImageBitmap` (upright: the player applies the
//! rotation a phone recorded). The pool's worker makes the previews from it.
//!
//! Where this browser cannot decode the codec (HEVC in Chromium without the
//! hardware for it, some MKVs) the video still backs up, with a placeholder
//! tile; a later visit from a browser that can decode it may add the poster.

use std::{cell::Cell, rc::Rc};

use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use wasm_bindgen_futures::JsFuture;

/// How long the browser may take to open the video and find the frame.
const PATIENCE_MS: i32 = 20_000;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PosterError {
    #[error("this browser cannot play this video's format")]
    CannotDecode,
    #[error("the browser took too long to open the video")]
    TimedOut,
    #[error("the browser would not draw the frame: {0}")]
    Browser(String),
}

/// The moment a poster shows: a second in, past a fade from black, or the
/// middle of a clip shorter than two seconds.
pub fn poster_time_s(duration_s: f64) -> f64 {
    if duration_s.is_finite() && duration_s > 0.0 {
        (duration_s / 2.0).min(1.0)
    } else {
        0.0
    }
}

/// The frame of `file` a poster shows.
pub async fn frame(file: &web_sys::File) -> Result<web_sys::ImageBitmap, PosterError> {
    let url = web_sys::Url::create_object_url_with_blob(file).map_err(browser)?;
    let video = Player::open(&url);
    let result = async {
        let video = video.map_err(browser)?;
        video.wait("loadedmetadata").await?;
        video
            .element
            .set_current_time(poster_time_s(video.element.duration()));
        video.wait("seeked").await?;
        if video.element.video_width() == 0 {
            return Err(PosterError::CannotDecode);
        }
        let window = web_sys::window().ok_or_else(|| PosterError::Browser("no window".into()))?;
        let bitmap = window
            .create_image_bitmap_with_html_video_element(&video.element)
            .map_err(browser)?;
        JsFuture::from(bitmap)
            .await
            .map_err(browser)?
            .dyn_into()
            .map_err(browser)
    }
    .await;
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

fn browser(error: JsValue) -> PosterError {
    PosterError::Browser(crate::browser::describe(&error))
}

/// A `<video>` that is never shown; its decoder is let go when dropped.
struct Player {
    element: web_sys::HtmlVideoElement,
}

impl Player {
    fn open(url: &str) -> Result<Player, JsValue> {
        let element: web_sys::HtmlVideoElement = web_sys::window()
            .and_then(|window| window.document())
            .ok_or_else(|| JsValue::from_str("no document"))?
            .create_element("video")?
            .dyn_into()?;
        element.set_muted(true);
        element.set_preload("auto");
        element.set_src(url);
        Ok(Player { element })
    }

    /// Waits for `event`; an `error` event first means the browser cannot
    /// decode the file.
    async fn wait(&self, event: &str) -> Result<(), PosterError> {
        let outcome = Rc::new(Cell::new(None));
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let settle = |what: Result<(), PosterError>| {
                let outcome = outcome.clone();
                let resolve = resolve.clone();
                Closure::once_into_js(move || {
                    if outcome.get().is_none() {
                        outcome.set(Some(what.is_ok()));
                        let _ = resolve.call0(&JsValue::NULL);
                    }
                })
            };
            let _ = self
                .element
                .add_event_listener_with_callback(event, settle(Ok(())).unchecked_ref());
            let _ = self.element.add_event_listener_with_callback(
                "error",
                settle(Err(PosterError::CannotDecode)).unchecked_ref(),
            );
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    settle(Err(PosterError::TimedOut)).unchecked_ref(),
                    PATIENCE_MS,
                );
            }
        });
        let _ = JsFuture::from(promise).await;
        match outcome.get() {
            Some(true) => Ok(()),
            _ if self.element.error().is_some() => Err(PosterError::CannotDecode),
            _ => Err(PosterError::TimedOut),
        }
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        // Without a source the browser frees the decoder at once, not when
        // the element is collected.
        let _ = self.element.remove_attribute("src");
        self.element.load();
    }
}
