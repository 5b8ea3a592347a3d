//! HEIC/HEIF previews as JavaScript sees them, in the photo worker: a wasm of
//! its own, so only a library with HEICs in it downloads the decoder, once, and
//! only where the browser cannot decode HEIC itself (all but Safari).
//!
//! `heic_previews(bytes)`: `{ width, height, web, thumb, placeholder }` (the
//! shape `pipeline-web`'s `previews_from_rgba` answers, plus the size upright),
//! or throws the error's words. The decoding is `pipeline::heic`.

use js_sys::{Object, Reflect, Uint8Array, Uint8ClampedArray};
use pipeline::Pixels;
use wasm_bindgen::prelude::*;

fn set(object: &Object, key: &str, value: impl Into<JsValue>) -> Result<(), JsValue> {
    Reflect::set(object, &key.into(), &value.into()).map(drop)
}

fn pixels(pixels: &Pixels) -> Result<Object, JsValue> {
    let object = Object::new();
    set(&object, "width", pixels.width)?;
    set(&object, "height", pixels.height)?;
    set(
        &object,
        "rgba",
        Uint8ClampedArray::from(pixels.rgba.as_slice()),
    )?;
    Ok(object)
}

/// The previews of a HEIC/HEIF, upright and in sRGB, or throws why not.
#[wasm_bindgen]
pub fn heic_previews(bytes: &[u8]) -> Result<Object, JsValue> {
    let decoded =
        pipeline::heic::previews(bytes).map_err(|error| JsValue::from_str(&error.to_string()))?;
    let result = Object::new();
    set(&result, "width", decoded.width)?;
    set(&result, "height", decoded.height)?;
    set(&result, "web", pixels(&decoded.previews.web)?)?;
    set(&result, "thumb", pixels(&decoded.previews.thumb)?)?;
    set(
        &result,
        "placeholder",
        Uint8Array::from(decoded.previews.placeholder.as_slice()),
    )?;
    Ok(result)
}
