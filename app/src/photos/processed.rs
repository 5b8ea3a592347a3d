//! What the photo worker answers for one file, read from its message into Rust
//! types, and the ways processing a file can fail.

use api_types::photo::{Metadata, MotionVideo, VideoFacts};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

/// One file after the pipeline: its id and metadata, and previews unless the
/// browser could not decode it (HEIC outside Safari, RAW without an embedded JPEG),
/// in which case the original is still uploaded and shown as "no preview".
#[derive(Debug, Clone)]
pub struct ProcessedPhoto {
    /// Lowercase hex SHA-256 of the original's bytes.
    pub id: String,
    /// What the bytes are ("jpeg", "heif", "raw", ...), sniffed, not from the name.
    pub format: String,
    /// The MIME type the sniffed format has, where the browser may not know
    /// it (videos): used when the `File` has no type.
    pub sniffed_type: Option<String>,
    /// Set for a video: what its container says (its size, date and place
    /// are in the fields beside).
    pub video: Option<VideoFacts>,
    /// A motion photo's clip, inside the file.
    pub motion: Option<MotionVideo>,
    pub metadata: Metadata,
    /// The original's size, upright, when it could be read.
    pub size: Option<(u32, u32)>,
    pub previews: Option<Previews>,
    /// Why there are no previews, when there are none.
    pub no_preview: Option<String>,
    /// Milliseconds from the file to its encoded previews.
    pub total_ms: f64,
}

#[derive(Debug, Clone)]
pub struct Previews {
    /// Long edge at most 2048 px.
    pub web: Preview,
    /// 400 px wide.
    pub thumb: Preview,
    /// A ThumbHash, base64, to paint before the thumbnail arrives.
    pub placeholder: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Preview {
    /// WebP, or JPEG where the browser cannot make WebP.
    pub blob: web_sys::Blob,
    pub width: u32,
    pub height: u32,
}

/// Why a file could not be processed. Each is about that one file: the pool and
/// the other files go on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PhotoError {
    /// The pipeline refused or could not read the file; its words say why.
    #[error("{0}")]
    Unreadable(String),
    /// The worker died on this file (a panic or out of memory in the wasm, or an
    /// uncaught error); it has been replaced.
    #[error("the photo processor crashed: {0}")]
    Crashed(String),
    #[error("processing took longer than {seconds} s")]
    TimedOut { seconds: u32 },
    /// The browser would not start a worker at all.
    #[error("could not start the photo processor: {0}")]
    NoWorker(String),
    /// The worker answered something this app does not understand.
    #[error("the photo processor gave an answer this app cannot read: {0}")]
    BadAnswer(String),
}

impl PhotoError {
    /// The words shown next to the file in the upload queue.
    pub fn user_message(&self) -> String {
        match self {
            PhotoError::Unreadable(why) => format!("Can't read this file: {why}."),
            PhotoError::Crashed(_) => {
                "Processing this photo crashed the photo processor; it may be damaged.".into()
            }
            PhotoError::TimedOut { seconds } => {
                format!(
                    "Processing this photo took longer than {seconds} seconds, so it was stopped."
                )
            }
            PhotoError::NoWorker(_) | PhotoError::BadAnswer(_) => {
                "This browser could not run the photo processor. Reload the page and try again."
                    .into()
            }
        }
    }
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn text(object: &JsValue, name: &str) -> Option<String> {
    field(object, name).as_string()
}

fn preview(object: &JsValue, name: &str) -> Result<Option<Preview>, PhotoError> {
    let value = field(object, name);
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    let blob = field(&value, "blob")
        .dyn_into::<web_sys::Blob>()
        .map_err(|_| PhotoError::BadAnswer(format!("{name} has no blob")))?;
    let size = |key| field(&value, key).as_f64().filter(|n| *n >= 1.0);
    match (size("width"), size("height")) {
        (Some(width), Some(height)) => Ok(Some(Preview {
            blob,
            width: width as u32,
            height: height as u32,
        })),
        _ => Err(PhotoError::BadAnswer(format!("{name} has no size"))),
    }
}

/// Reads the worker's message: `{ok: true, ...}` (with `retire: true` when a
/// wasm of the worker's trapped on the file but the file was still answered)
/// or `{ok: false, error, fatal}`.
pub(super) enum Answer {
    /// The message of a job done, to be read as its kind of job answers.
    Done(Result<JsValue, PhotoError>),
    /// The job is done, but the worker must be replaced: the HEIC decoder
    /// trapped on the file (which is still backed up, without a preview).
    DoneRetire(JsValue),
    /// The wasm trapped: the job failed and the worker must be replaced.
    Fatal(PhotoError),
}

impl Answer {
    pub(super) fn read(data: &JsValue) -> Answer {
        if field(data, "ok").as_bool() == Some(true)
            && field(data, "retire").as_bool() == Some(true)
        {
            return Answer::DoneRetire(data.clone());
        }
        if field(data, "ok").as_bool() != Some(true) {
            let why = text(data, "error").unwrap_or_else(|| "no reason given".into());
            return if field(data, "fatal").as_bool() == Some(true) {
                Answer::Fatal(PhotoError::Crashed(why))
            } else {
                Answer::Done(Err(PhotoError::Unreadable(why)))
            };
        }
        Answer::Done(Ok(data.clone()))
    }
}

/// A poster job's answer: the previews made from one frame.
pub(super) fn poster(data: &JsValue) -> Result<Previews, PhotoError> {
    match (preview(data, "web")?, preview(data, "thumb")?) {
        (Some(web), Some(thumb)) => Ok(Previews {
            web,
            thumb,
            placeholder: text(data, "placeholder"),
        }),
        _ => Err(PhotoError::BadAnswer("a poster without previews".into())),
    }
}

/// A file job's answer.
pub(super) fn processed(data: &JsValue) -> Result<ProcessedPhoto, PhotoError> {
    let id = text(data, "id").ok_or_else(|| PhotoError::BadAnswer("no id".into()))?;
    let metadata = text(data, "metadata")
        .ok_or_else(|| PhotoError::BadAnswer("no metadata".into()))
        .and_then(|json| {
            serde_json::from_str(&json).map_err(|error| PhotoError::BadAnswer(error.to_string()))
        })?;
    let previews = match (preview(data, "web")?, preview(data, "thumb")?) {
        (Some(web), Some(thumb)) => Some(Previews {
            web,
            thumb,
            placeholder: text(data, "placeholder"),
        }),
        _ => None,
    };
    Ok(ProcessedPhoto {
        id,
        format: text(data, "format").unwrap_or_default(),
        sniffed_type: text(data, "mime").filter(|mime| !mime.is_empty()),
        video: text(data, "video")
            .map(|json| {
                serde_json::from_str(&json)
                    .map_err(|error| PhotoError::BadAnswer(error.to_string()))
            })
            .transpose()?,
        motion: text(data, "motion")
            .map(|json| {
                serde_json::from_str(&json)
                    .map_err(|error| PhotoError::BadAnswer(error.to_string()))
            })
            .transpose()?,
        metadata,
        size: field(data, "width")
            .as_f64()
            .zip(field(data, "height").as_f64())
            .filter(|(width, height)| *width >= 1.0 && *height >= 1.0)
            .map(|(width, height)| (width as u32, height as u32)),
        no_preview: previews
            .is_none()
            .then(|| text(data, "noPreview").unwrap_or_else(|| "no preview".into())),
        previews,
        total_ms: field(&field(data, "timings"), "total")
            .as_f64()
            .unwrap_or_default(),
    })
}
