//! `POST /uploads` (ask where to put a photo's three files) and `POST /photos`
//! (commit them once they are there).
//!
//! A photo is three objects: the original, byte for byte, and two previews made in
//! the browser. Sizes and types are declared up front because they are signed into
//! each presigned URL: the store refuses a PUT of any other length or type.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{error::ErrorDetail, photo::PhotoDetails};

pub mod parts;

use parts::PartsUpload;

/// Largest preview the API will sign for: a 2048 px WebP is a few hundred kB.
pub const MAX_PREVIEW_BYTES: u64 = 16 * 1024 * 1024;
/// How many files one `POST /uploads` may ask about.
pub const MAX_FILES_PER_REQUEST: usize = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadRequest {
    pub files: Vec<UploadFile>,
    /// This client sends large originals in parts ([`parts`]). One that does
    /// not say so (an SPA from before parts) gets one PUT per original, up to
    /// [`parts::MAX_SINGLE_PUT_BYTES`].
    #[serde(default)]
    pub in_parts: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadFile {
    /// Lowercase hex SHA-256 of the original.
    pub id: String,
    /// The original's size.
    pub bytes: u64,
    pub content_type: String,
    pub filename: String,
    /// The previews, when the browser could make them.
    pub thumb: Option<PreviewFile>,
    pub web: Option<PreviewFile>,
    /// The multipart upload of this original an earlier try started (a tab
    /// that was reloaded): continued where it stopped, if the store still has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resume: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewFile {
    pub bytes: u64,
    /// `image/webp`, or `image/jpeg` where the browser cannot make WebP.
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadResponse {
    /// One answer per file asked about, in the same order.
    pub files: Vec<UploadAnswer>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum UploadAnswer {
    /// Already in this user's library: nothing to upload.
    Exists { id: String },
    /// PUT each file to its target, then `POST /photos`.
    Upload { id: String, targets: UploadTargets },
    /// This file cannot be uploaded (too large, a bad id or type); the others in
    /// the request are answered as usual.
    Refused { id: String, error: ErrorDetail },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadTargets {
    pub original: OriginalTarget,
    pub thumb: Option<UploadTarget>,
    pub web: Option<UploadTarget>,
}

/// Where the original goes: one PUT, or (large files, for a client that sends
/// parts) a multipart upload. A whole-file target reads exactly as the
/// `original` of every earlier answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OriginalTarget {
    Whole(UploadTarget),
    InParts(PartsUpload),
}

/// One presigned request: send exactly these headers, and the body of the promised
/// length, before the URL expires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadTarget {
    pub url: String,
    pub method: String,
    pub headers: BTreeMap<String, String>,
}

/// `POST /photos`: the files are in the store; index the photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitPhoto {
    pub id: String,
    /// RFC 3339 with offset: EXIF's date and offset, or the camera's local time read
    /// in the browser's zone, or the file's last-modified time.
    pub taken_at: String,
    #[serde(flatten)]
    pub details: PhotoDetails,
    pub thumb: Option<CommittedPreview>,
    pub web: Option<CommittedPreview>,
    /// The original's multipart upload, which the commit finishes, when it
    /// was sent in parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_id: Option<String>,
}

/// A preview as stored: its file's size and type, and its pixel size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedPreview {
    pub bytes: u64,
    pub content_type: String,
    pub width: u32,
    pub height: u32,
}

/// `POST /photos`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitAnswer {
    pub id: String,
    pub status: CommitStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommitStatus {
    /// Indexed now.
    Committed,
    /// It was already indexed: this commit changed nothing.
    AlreadyCommitted,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A commit as every SPA so far sends it: one flat object.
    #[test]
    fn a_commit_is_one_flat_object() {
        let commit: CommitPhoto = serde_json::from_str(
            r#"{"id":"ab","filename":"a.jpg","content_type":"image/jpeg","bytes":10,
                "taken_at":"2019-09-26T16:38:00+02:00","width":4,"height":3,
                "metadata":{"orientation":6,"taken_at":null,"gps":null,"camera":"X",
                "lens":null,"exposure_time":null,"f_number":null,"iso":null,
                "focal_length":null},
                "thumb":{"bytes":5,"content_type":"image/webp","width":4,"height":3},
                "web":null,"placeholder":"p"}"#,
        )
        .expect("reads");
        assert_eq!(commit.details.filename, "a.jpg");
        assert_eq!(commit.details.metadata.orientation, 6);
        assert_eq!(commit.details.placeholder.as_deref(), Some("p"));
        assert_eq!(commit.thumb.as_ref().map(|t| t.bytes), Some(5));
        let json = serde_json::to_value(&commit).expect("json");
        assert_eq!(json["filename"], "a.jpg", "flat on the wire: {json}");
        assert_eq!(json["metadata"]["camera"], "X");
    }
}
