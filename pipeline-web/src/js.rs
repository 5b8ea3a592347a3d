//! Our pictures as the worker's JavaScript takes them: plain objects whose
//! pixels are typed arrays. Shared by both of the worker's wasm modules, so
//! they answer in one shape (`pipeline-heic` includes this file by path).

use js_sys::{Object, Reflect, Uint8Array, Uint8ClampedArray};
use pipeline::{Pixels, Previews};
use wasm_bindgen::JsValue;

pub fn set(object: &Object, key: &str, value: impl Into<JsValue>) -> Result<(), JsValue> {
    Reflect::set(object, &key.into(), &value.into()).map(drop)
}

pub fn pixels(pixels: &Pixels) -> Result<Object, JsValue> {
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

pub fn set_previews(result: &Object, previews: &Previews) -> Result<(), JsValue> {
    set(result, "web", pixels(&previews.web)?)?;
    set(result, "thumb", pixels(&previews.thumb)?)?;
    set(
        result,
        "placeholder",
        Uint8Array::from(previews.placeholder.as_slice()),
    )
}
