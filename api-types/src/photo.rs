//! What a photo's own bytes say about it (EXIF), as the browser's pipeline reads it
//! and as `POST /photos` receives it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// EXIF orientation 1–8 (missing, 0 and nonsense count as 1).
    pub orientation: u8,
    /// When the photo was taken, as the camera's clock said.
    pub taken_at: Option<TakenAt>,
    pub gps: Option<Gps>,
    /// "Make Model", without the make twice.
    pub camera: Option<String>,
    pub lens: Option<String>,
    /// "1/125 s", "2 s".
    pub exposure_time: Option<String>,
    pub f_number: Option<f64>,
    pub iso: Option<u32>,
    /// In millimetres.
    pub focal_length: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakenAt {
    /// `YYYY-MM-DDTHH:MM:SS`, the camera's local time.
    pub local: String,
    /// `+HH:MM` from OffsetTimeOriginal/OffsetTime, when the camera wrote one.
    pub offset: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gps {
    pub latitude: f64,
    pub longitude: f64,
    /// Metres above sea level.
    pub altitude: Option<f64>,
}

/// `GET /photos`: a page of the timeline, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoPage {
    pub items: Vec<Photo>,
    /// Opaque; `None` at the end of the timeline.
    pub next_cursor: Option<String>,
}

/// One photo as the gallery shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    pub id: String,
    /// RFC 3339 with the offset it was taken at.
    pub taken_at: String,
    pub uploaded_at: String,
    /// Upright size of the original, when known.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub bytes: u64,
    pub content_type: String,
    pub filename: String,
    pub camera: Option<String>,
    pub lens: Option<String>,
    pub exposure_time: Option<String>,
    pub f_number: Option<f64>,
    pub iso: Option<u32>,
    pub focal_length: Option<f64>,
    pub gps: Option<Gps>,
    /// A ThumbHash, base64.
    pub placeholder: Option<String>,
    /// Absent when the browser could not make previews (HEIC outside Safari, RAW
    /// without an embedded JPEG): the gallery shows a "no preview" tile.
    pub thumb: Option<PhotoImage>,
    pub web: Option<PhotoImage>,
    /// Only from `GET /photos/{id}`: a presigned download of the original, which
    /// the store answers with `Content-Disposition: attachment` and its filename.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_url: Option<String>,
    /// For a share link's visitor, when the link allows downloads but keeps
    /// the location private: the web view (up to 2048 px, no metadata) to
    /// download instead of the original, saved as `{name}.webp` (or `.jpg`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub download_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoImage {
    /// Presigned GET, valid for an hour or more.
    pub url: String,
    pub width: u32,
    pub height: u32,
}
