//! The photo pipeline as JavaScript sees it, in a Web Worker or a page:
//! - `process(bytes)`: the previews as pixel arrays (to be encoded with the
//!   browser's WebP encoder), the metadata as JSON, and how long each stage took;
//! - `previews_from_rgba(width, height, rgba)`: previews from pixels the browser
//!   decoded itself (HEIC in Safari);
//! - `PhotoHasher`: the photo id (SHA-256) fed chunk by chunk from `File.stream()`;
//! - `memory_bytes()`: the size of the wasm memory (it only grows: the peak);
//! - `video_mime(head)`, `video_info(file)`: a video's container facts
//!   ([`video`]), read from the file in slices.

mod js;
mod video;

pub use video::{video_info, video_mime};

use js::{set, set_previews};
use js_sys::{Object, Reflect};
use pipeline::Stage;
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;

fn now() -> f64 {
    let global = js_sys::global();
    let performance = Reflect::get(&global, &"performance".into())
        .ok()
        .and_then(|value| value.dyn_into::<web_sys::Performance>().ok());
    performance.map_or_else(js_sys::Date::now, |p| p.now())
}

/// `{ web, thumb, placeholder }` from upright RGBA pixels, or throws.
#[wasm_bindgen]
pub fn previews_from_rgba(width: u32, height: u32, rgba: Vec<u8>) -> Result<Object, JsValue> {
    let previews = pipeline::previews_from_rgba(width, height, rgba)
        .map_err(|error| JsValue::from_str(&error.to_string()))?;
    let result = Object::new();
    set_previews(&result, &previews)?;
    Ok(result)
}

/// SHA-256 over a file streamed in chunks, so it is never in memory twice.
#[wasm_bindgen]
#[derive(Default)]
pub struct PhotoHasher(Sha256);

#[wasm_bindgen]
impl PhotoHasher {
    #[wasm_bindgen(constructor)]
    pub fn new() -> PhotoHasher {
        PhotoHasher::default()
    }

    pub fn update(&mut self, chunk: &[u8]) {
        self.0.update(chunk);
    }

    /// The photo id: lowercase hex.
    pub fn finish(self) -> String {
        format!("{:x}", self.0.finalize())
    }
}

/// `{ format, metadata (JSON text) }` from a file's first bytes, for a file
/// too large to read whole (a huge panorama or scan): EXIF sits at the start
/// of JPEG and TIFF-based files, so the date and place are usually there.
/// Throws for bytes that are no picture this app knows.
#[wasm_bindgen]
pub fn head_facts(head: &[u8]) -> Result<Object, JsValue> {
    let format = pipeline::sniff::sniff(head);
    if format == pipeline::Format::Unknown {
        return Err(JsValue::from_str(
            &pipeline::PipelineError::UnknownFormat.to_string(),
        ));
    }
    let result = Object::new();
    set(&result, "format", format!("{format:?}").to_lowercase())?;
    let metadata = serde_json::to_string(&pipeline::metadata::read(head)).unwrap_or_default();
    set(&result, "metadata", metadata)?;
    Ok(result)
}

/// Bytes of wasm memory now, which is also the most ever used.
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0.0, |memory| {
            memory
                .buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map_or(0.0, |buffer| f64::from(buffer.byte_length()))
        })
}

/// The pipeline's refusal as a JS `Error` whose `name` tells the worker what
/// it can still do: `Undecodable`, a picture of a format we know that our
/// decoders cannot read (a 12-bit or arithmetic-coded JPEG, an unusual TIFF),
/// which the browser's decoder may; `Refused` for the rest (empty, too large,
/// not a picture).
fn refusal(error: pipeline::PipelineError) -> JsValue {
    let thrown = js_sys::Error::new(&error.to_string());
    thrown.set_name(match error {
        pipeline::PipelineError::Decode(_) => "Undecodable",
        _ => "Refused",
    });
    thrown.into()
}

/// `{ format, metadata (JSON text), motion (JSON text, a motion photo's clip),
/// width, height (upright, when known), web, thumb, placeholder, no_preview,
/// develop (a RAW worth developing: `pipeline-raw`), timings: { metadata, decode, resize } }`, or throws the [`refusal`]. The
/// photo id comes from [`PhotoHasher`], fed while the file streams in.
#[wasm_bindgen]
pub fn process(bytes: &[u8]) -> Result<Object, JsValue> {
    let mut marks = vec![now()];
    let processed =
        pipeline::process_observed(bytes, |_: Stage| marks.push(now())).map_err(refusal)?;

    let result = Object::new();
    set(
        &result,
        "format",
        format!("{:?}", processed.format).to_lowercase(),
    )?;
    let metadata = serde_json::to_string(&processed.metadata).unwrap_or_default();
    set(&result, "metadata", metadata)?;
    if let Some(motion) = &processed.motion {
        set(
            &result,
            "motion",
            serde_json::to_string(motion).unwrap_or_default(),
        )?;
    }
    if let Some((width, height)) = processed.size {
        set(&result, "width", width)?;
        set(&result, "height", height)?;
    }
    match &processed.previews {
        Ok(previews) => set_previews(&result, previews)?,
        Err(why) => set(&result, "no_preview", format!("{why:?}"))?,
    }
    if processed.develop {
        set(&result, "develop", true)?;
    }
    let timings = Object::new();
    for (name, pair) in ["metadata", "decode", "resize"]
        .iter()
        .zip(marks.windows(2))
    {
        set(&timings, name, pair[1] - pair[0])?;
    }
    set(&result, "timings", timings)?;
    Ok(result)
}
