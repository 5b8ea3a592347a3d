//! A video's container facts for the worker, read from the `File` in slices
//! with `FileReaderSync` (workers only): a phone's video is gigabytes and its
//! `moov` may be at the end, so only the boxes the parser asks for are read,
//! never the whole file.

use std::io::{self, BufReader, Read, Seek, SeekFrom};

use js_sys::Object;
use pipeline::video::{read_video, video_format};
use wasm_bindgen::prelude::*;

use file_source::FileSource;

use crate::js::set;

/// How much is read from the file at a time: the parser reads box headers a
/// few bytes at a time, and each `FileReaderSync` call costs a round trip.
const READ_AHEAD: usize = 256 * 1024;

/// The MIME type of the video `head` (the file's first bytes) starts, or
/// `undefined` when it is not a video this app knows.
#[wasm_bindgen]
pub fn video_mime(head: &[u8]) -> Option<String> {
    video_format(head)
        .and_then(|format| format.video_mime())
        .map(str::to_owned)
}

/// `{ format, mime, metadata (JSON text), video (JSON text: duration),
/// width, height (upright, when known) }`, or throws the error's words.
#[wasm_bindgen]
pub fn video_info(file: web_sys::File) -> Result<Object, JsValue> {
    let mut source = FileSource::new(file)?;
    let mut head = vec![0; 64];
    let read = source.read(&mut head).map_err(to_js)?;
    head.truncate(read);
    source.seek(SeekFrom::Start(0)).map_err(to_js)?;
    let info = read_video(&head, BufReader::with_capacity(READ_AHEAD, source))
        .map_err(|error| JsValue::from_str(&error.to_string()))?;
    let format = video_format(&head);
    let result = Object::new();
    set(
        &result,
        "format",
        format
            .map(|format| format!("{format:?}").to_lowercase())
            .unwrap_or_default(),
    )?;
    set(
        &result,
        "mime",
        format
            .and_then(|format| format.video_mime())
            .unwrap_or_default(),
    )?;
    let metadata = serde_json::to_string(&info.metadata()).unwrap_or_default();
    set(&result, "metadata", metadata)?;
    let facts = serde_json::to_string(&info.facts()).unwrap_or_default();
    set(&result, "video", facts)?;
    if let Some((width, height)) = info.upright_size() {
        set(&result, "width", width)?;
        set(&result, "height", height)?;
    }
    Ok(result)
}

fn to_js(error: io::Error) -> JsValue {
    JsValue::from_str(&error.to_string())
}
