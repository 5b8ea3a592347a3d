//! HEIC/HEIF previews as JavaScript sees them, in the photo worker: a wasm of
//! its own, so only a library with HEICs in it downloads the decoder, once, and
//! only where the browser cannot decode HEIC itself (all but Safari).
//!
//! `heic_previews(bytes)`: `{ width, height, web, thumb, placeholder }` (the
//! shape `pipeline-web`'s `previews_from_rgba` answers, plus the size upright),
//! or throws the error's words. The decoding is `pipeline::heic`.

#[path = "../../pipeline-web/src/js.rs"]
mod js;

use js::{set, set_previews};
use js_sys::Object;
use wasm_bindgen::prelude::*;

/// The previews of a HEIC/HEIF, upright and in sRGB, or throws why not.
#[wasm_bindgen]
pub fn heic_previews(bytes: &[u8]) -> Result<Object, JsValue> {
    let decoded =
        pipeline::heic::previews(bytes).map_err(|error| JsValue::from_str(&error.to_string()))?;
    let result = Object::new();
    set(&result, "width", decoded.width)?;
    set(&result, "height", decoded.height)?;
    set_previews(&result, &decoded.previews)?;
    Ok(result)
}
