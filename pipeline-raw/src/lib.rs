//! Camera RAWs developed from their sensor data as JavaScript sees them, in
//! the photo worker: a wasm of its own (the decoder is LGPL-2.1, and large), so
//! only a library with such RAWs downloads it, once. Most RAWs never need it:
//! their camera-made preview is as big as the web view.
//!
//! `raw_previews(bytes)`: `{ width, height, web, thumb, placeholder }` (the
//! shape `pipeline-web`'s `previews_from_rgba` answers, plus the picture's
//! size upright: its sensor's default crop), or throws the error's words.
//! The develop is `pipeline::raw::develop`.

#[path = "../../pipeline-web/src/js.rs"]
mod js;

use js::{set, set_previews};
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// The previews of a RAW developed from its sensor data, or throws why not.
#[wasm_bindgen]
pub fn raw_previews(bytes: &[u8]) -> Result<Object, JsValue> {
    let developed = pipeline::raw::develop::previews(bytes)
        .map_err(|error| JsValue::from_str(&error.to_string()))?;
    let result = Object::new();
    set(&result, "width", developed.width)?;
    set(&result, "height", developed.height)?;
    set_previews(&result, &developed.previews)?;
    Ok(result)
}
