//! `POST /downloads`: what the browser needs to put many originals in one zip
//! it builds as they stream in (`app/sw.js`): each original's name, size,
//! capture time and a short-lived URL to fetch it from.

use serde::{Deserialize, Serialize};

/// Most photo ids one request may ask for; the SPA asks for a bigger
/// selection in parts.
pub const MAX_DOWNLOAD_IDS: usize = 500;

/// `POST /downloads`: the photos to download, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadRequest {
    pub ids: Vec<String>,
}

/// The answer: the originals in the order asked (a Live Photo's video right
/// after its still), and the ids that are not the caller's photos (deleted
/// since they were selected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadList {
    pub items: Vec<DownloadItem>,
    #[serde(default)]
    pub missing: Vec<String>,
}

/// One original to put in the zip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadItem {
    pub id: String,
    /// Its own name, as it was uploaded (the zip makes names unique).
    pub filename: String,
    pub bytes: u64,
    /// RFC 3339: the file's date in the zip.
    pub taken_at: String,
    /// A presigned GET of the original.
    pub url: String,
}
