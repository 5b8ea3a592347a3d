//! A photo: [`PhotoDetails`], what is known about it, is the one record that
//! `POST /photos` commits, the index stores and `GET /photos` returns; each of
//! those adds only what is its own (the commit its id and capture time, the
//! index its owner and upload time, the API fresh image URLs).
//!
//! # How the record evolves
//!
//! Stored records outlive the code that wrote them (years of a library in
//! DynamoDB or SQLite), so a field is never renamed or removed, and every field
//! added later carries `#[serde(default)]`: a record written before it existed
//! reads as the default (`false`, `None`, empty). Older records are kept as
//! fixtures (`lambda-index/tests/stored_records.rs`,
//! `local/tests/stored_records.rs`) that each change must still read.

use serde::{Deserialize, Serialize};

/// What is known about a photo besides its id, capture time and previews. A new
/// fact about photos (a favourite flag, a video's duration) is one field here,
/// with `#[serde(default)]`: it is then committed, stored and returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoDetails {
    pub filename: String,
    pub content_type: String,
    /// The original's size.
    pub bytes: u64,
    /// Upright size of the original, when it could be decoded.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// What the file itself says (EXIF). On a share link without the
    /// location, `metadata.gps` is left out.
    #[serde(default)]
    pub metadata: Metadata,
    /// A ThumbHash, base64.
    pub placeholder: Option<String>,
    /// Set for a video: what its container says beyond the fields above
    /// (which hold its upright size, and its date, place and camera).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video: Option<VideoFacts>,
    /// Set for a motion photo: the short video its file carries after the
    /// picture (Android's motion photos), played from the original.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub motion: Option<MotionVideo>,
    /// Set for a photo brought in from another app (a Google Takeout): what
    /// that app knew of it beyond the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<Imported>,
}

/// Longest description kept from an import.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// What another app knew of a photo, kept when it was imported from there.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Imported {
    /// Where from: `google-takeout`.
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub favorite: bool,
    #[serde(default)]
    pub archived: bool,
    /// An edit the other app saved beside the original: the original's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_of: Option<String>,
}

/// Longest content identifier kept (Apple's are UUIDs, 36 characters).
pub const MAX_LIVE_ID_CHARS: usize = 64;

/// A Live Photo's video, as the index pairs it with its still: a photo of
/// its own (kept byte for byte, deduplicated), out of the timeline, played
/// through the still.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveVideo {
    /// The video's photo id.
    pub id: String,
    pub duration_ms: Option<u64>,
}

/// A motion photo's clip, inside the photo's own file: bytes `start` to the
/// end (`start + bytes` is the file's size).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MotionVideo {
    pub start: u64,
    pub bytes: u64,
    pub duration_ms: Option<u64>,
}

/// Longer than any camera records in one clip (and than a day): a container
/// that says more is damaged, and its duration is not believed.
pub const MAX_VIDEO_DURATION_MS: u64 = 48 * 3600 * 1000;

/// What a video's container says that a photo has no field for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoFacts {
    /// How long it plays, when the container says (and believably).
    pub duration_ms: Option<u64>,
}

/// What a photo's own bytes say about it (EXIF), as the browser's pipeline reads it.
/// Absent fields read as their defaults (see the module's evolution rules).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// Set on both halves of an iPhone Live Photo: the content identifier its
    /// still (Apple's maker note) and its video (QuickTime's
    /// `com.apple.quicktime.content.identifier`) share, by which the index
    /// pairs them, whichever arrives first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_id: Option<String>,
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

/// One photo as the gallery shows it: its record with fresh image URLs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Photo {
    pub id: String,
    /// RFC 3339 with the offset it was taken at.
    pub taken_at: String,
    pub uploaded_at: String,
    #[serde(flatten)]
    pub details: PhotoDetails,
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
    /// A video's original to stream (presigned GET, which the store answers
    /// in ranges, so seeking fetches only what plays); for a motion photo, the
    /// original whose last bytes are its clip. A share link's
    /// visitor gets it only where the link shows the location: the video's
    /// own atoms may hold it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub play_url: Option<String>,
    /// On a Live Photo's still, once its video is indexed too: `play_url` is
    /// then the video's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<LiveVideo>,
    /// For a share link's visitor where the link keeps the location private
    /// and the video (a Live Photo's, a motion photo's clip) may yet be
    /// played without it: `POST /public/{token}/photos/{id}/play` answers a
    /// copy that says nowhere where it was taken ([`PlayAnswer`]), or why it
    /// cannot.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub play_on_request: bool,
    /// Only from `GET /photos/{id}`, on a deployment that keeps originals in
    /// Glacier Deep Archive: the original is there (and `original_url` is
    /// absent), with how to have it back, or a restore is under way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived: Option<ArchivedOriginal>,
    /// Its owner's favourite (never said to a share link's visitor).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub favorite: bool,
    /// In its owner's archive (never said to a share link's visitor).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_archive: bool,
    /// In the trash: since when, and until when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trashed: Option<crate::care::Trashed>,
}

/// An original in deep archive, as its owner is told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ArchivedOriginal {
    /// It must be restored before it can be downloaded: the ways to.
    Archived { options: Vec<RestoreOption> },
    /// A restore was asked for; when it should be ready (RFC 3339), when
    /// known.
    Restoring { ready_about: Option<String> },
}

/// One way to restore an original: how fast, and what it costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreOption {
    pub tier: RestoreTierName,
    /// Ready within this many hours.
    pub hours: u32,
    /// What restoring this original costs, in US dollars.
    pub usd: f64,
}

/// Deep Archive's two restore speeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestoreTierName {
    Standard,
    Bulk,
}

/// `POST /photos/{id}/restore`: which speed to restore the original at. The
/// answer is the photo, as `GET /photos/{id}` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RestoreRequest {
    pub tier: RestoreTierName,
}

/// `POST /public/{token}/photos/{id}/play`: what the visitor's player streams.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlayAnswer {
    pub play_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoImage {
    /// Presigned GET, valid for an hour or more.
    pub url: String,
    pub width: u32,
    pub height: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page as the API answered before the record was one type (EXIF fields
    /// at the top level, no `metadata`): the service worker may still hold it
    /// for offline use, and the SPA must read it.
    const PAGE_BEFORE_2026_12: &str = r#"{"items":[{"id":"ab","taken_at":"2019-09-26T16:38:00.5+02:00",
        "uploaded_at":"2026-11-24T09:30:00.123Z","width":4032,"height":3024,"bytes":4812345,
        "content_type":"image/jpeg","filename":"IMG_full.JPG","camera":"Apple iPhone 15",
        "lens":null,"exposure_time":"1/120","f_number":1.6,"iso":64,"focal_length":6.86,
        "gps":{"latitude":46.5197,"longitude":6.6323,"altitude":372.0},"placeholder":"1QcS",
        "thumb":{"url":"https://x/t.webp","width":400,"height":300},"web":null}],
        "next_cursor":null}"#;

    #[test]
    fn a_page_cached_before_the_one_record_still_reads() {
        let page: PhotoPage = serde_json::from_str(PAGE_BEFORE_2026_12).expect("reads");
        let photo = &page.items[0];
        assert_eq!(photo.details.filename, "IMG_full.JPG");
        assert_eq!(photo.details.width, Some(4032));
        assert_eq!(
            photo.details.metadata,
            Metadata::default(),
            "EXIF is fetched again"
        );
        assert_eq!(photo.thumb.as_ref().map(|t| t.width), Some(400));
    }

    /// What a record keeps is one level: `metadata` holds the EXIF, and what
    /// it leaves out reads as the defaults.
    #[test]
    fn details_missing_later_fields_read_as_defaults() {
        let details: PhotoDetails = serde_json::from_str(
            r#"{"filename":"a.jpg","content_type":"image/jpeg","bytes":1,"width":null,
                "height":null,"metadata":{"camera":"X"},"placeholder":null}"#,
        )
        .expect("reads");
        assert_eq!(details.metadata.camera.as_deref(), Some("X"));
        assert_eq!(details.metadata.orientation, 0);
        let without_metadata: PhotoDetails =
            serde_json::from_str(r#"{"filename":"a.jpg","content_type":"image/jpeg","bytes":1}"#)
                .expect("reads");
        assert_eq!(without_metadata.metadata, Metadata::default());
    }

    /// The API's photo is the record, flattened, plus its URLs: the fields the
    /// SPA of before reads are where it looks for them.
    #[test]
    fn a_photo_keeps_the_fields_earlier_apps_read() {
        let photo = Photo {
            id: "ab".into(),
            taken_at: "2019-09-26T16:38:00+02:00".into(),
            uploaded_at: "2026-11-24T09:30:00Z".into(),
            details: PhotoDetails {
                filename: "a.jpg".into(),
                content_type: "image/jpeg".into(),
                bytes: 10,
                width: Some(4),
                height: Some(3),
                metadata: Metadata::default(),
                placeholder: None,
                video: None,
                motion: None,
                imported: None,
            },
            thumb: Some(PhotoImage {
                url: "https://x/t".into(),
                width: 4,
                height: 3,
            }),
            web: None,
            original_url: None,
            download_url: None,
            play_url: None,
            live: None,
            play_on_request: false,
            archived: None,
            favorite: false,
            in_archive: false,
            trashed: None,
        };
        let json = serde_json::to_value(&photo).expect("json");
        // How it is kept is said only when it is so: a plain photo's JSON
        // is what it was before there were favourites and a trash.
        for key in ["favorite", "in_archive", "trashed"] {
            assert!(json.get(key).is_none(), "{key}: {json}");
        }
        for key in [
            "id",
            "taken_at",
            "uploaded_at",
            "filename",
            "content_type",
            "bytes",
        ] {
            assert!(
                json[key].is_string() || json[key].is_number(),
                "{key}: {json}"
            );
        }
        assert_eq!(json["thumb"]["url"], "https://x/t");
        assert_eq!(
            serde_json::from_value::<Photo>(json).expect("round trip"),
            photo
        );
    }
}
