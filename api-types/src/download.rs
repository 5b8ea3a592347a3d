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
/// after its still), the ids that are not the caller's photos (deleted
/// since they were selected), and the originals in deep archive, which must
/// be restored before they can be downloaded (by name, for the zip to list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadList {
    pub items: Vec<DownloadItem>,
    #[serde(default)]
    pub missing: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub archived: Vec<ArchivedItem>,
}

/// An original left out of the zip because it is in deep archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedItem {
    pub id: String,
    pub filename: String,
    /// RFC 3339, as [`DownloadItem::taken_at`].
    pub taken_at: String,
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
