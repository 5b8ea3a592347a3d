//! Previews made again: when the bucket lost a photo's thumbnail or web view
//! (`cargo xtask verify --repair` finds it), the next browser to open
//! Shoebox makes them again from the original, as it made them at upload.
//! `GET /previews/wanted` lists such photos, `POST /photos/{id}/previews`
//! signs a PUT for each preview wanted, and `POST /photos/{id}/previews/done`
//! checks them in.

use serde::{Deserialize, Serialize};

use crate::upload::UploadTarget;

/// Most photos one answer of `GET /previews/wanted` lists; the browser asks
/// again when it has made them.
pub const MAX_WANTED: usize = 20;

/// `GET /previews/wanted`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WantedPreviews {
    pub items: Vec<WantedPhoto>,
}

/// A photo whose previews are to be made again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WantedPhoto {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub bytes: u64,
    /// A presigned GET of the original to make them from.
    pub original_url: String,
    /// Each preview wanted, by the type it must be (the type it was).
    pub thumb: Option<String>,
    pub web: Option<String>,
}

/// One preview made again: its size and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewFile {
    pub bytes: u64,
    pub content_type: String,
}

/// `POST /photos/{id}/previews` and `.../previews/done`: the previews made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MadePreviews {
    pub thumb: Option<PreviewFile>,
    pub web: Option<PreviewFile>,
}

/// `POST /photos/{id}/previews`'s answer: where to PUT each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewTargets {
    pub thumb: Option<UploadTarget>,
    pub web: Option<UploadTarget>,
}
