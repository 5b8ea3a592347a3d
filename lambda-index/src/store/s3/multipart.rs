//! S3 multipart uploads, for files too large for one PUT (videos, big RAWs):
//! the API starts the upload and finishes it itself, signed in headers; the
//! browser sends each part to a presigned URL that names one key, one upload
//! and one part, with the part's length signed, for a quarter of an hour.
//!
//! The upload is started with the pending tag (as a single PUT carries it), so
//! a file never committed expires with the other abandoned uploads, and the
//! upload itself is aborted by the bucket's lifecycle (or the local sweep) if
//! nobody finishes it. Finishing is `If-None-Match: *`: a file once stored is
//! never replaced, whichever way it came.

use std::time::SystemTime;

use api_types::upload::UploadTarget;
use serde::Deserialize;

use super::{S3Bucket, percent_encode};
use crate::store::{
    keys::ObjectKey,
    objects::{PENDING_TAG, StoreError, StoredPart},
};

pub use api_types::upload::parts::MAX_PARTS;

/// S3's smallest part but the last (the API asks for larger ones).
pub const MIN_PART_BYTES: u64 = 5 * 1024 * 1024;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Initiated {
    upload_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PartsPage {
    #[serde(default, rename = "Part")]
    parts: Vec<ListedPart>,
    #[serde(default)]
    is_truncated: bool,
    next_part_number_marker: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListedPart {
    part_number: u32,
    /// S3 always gives one; the local store lists a part whose upload was
    /// cut off (a reload mid-part) without one. Such a part is not there.
    #[serde(default, rename = "ETag")]
    etag: Option<String>,
    size: u64,
}

impl S3Bucket {
    /// Starts a multipart upload of `content_type` to `key`: its upload id.
    pub async fn create_multipart(
        &self,
        key: &ObjectKey,
        content_type: &str,
    ) -> Result<String, StoreError> {
        let response = self
            .send_with(
                reqwest::Method::POST,
                key,
                "uploads",
                &[
                    ("content-type", content_type),
                    ("x-amz-tagging", PENDING_TAG),
                ],
                Vec::new(),
            )
            .await?;
        let body = checked_body(response, key).await?;
        let initiated: Initiated = quick_xml::de::from_str(&body).map_err(|error| {
            StoreError::Refused(format!("no upload id for {}: {error}", key.as_str()))
        })?;
        Ok(initiated.upload_id)
    }

    /// A presigned PUT of part `number` (1 to [`MAX_PARTS`]) of the upload, of
    /// exactly `bytes` bytes.
    pub fn presign_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        bytes: u64,
    ) -> Result<UploadTarget, StoreError> {
        self.presign_part_signed_at(key, upload_id, number, bytes, SystemTime::now())
    }

    /// [`S3Bucket::presign_part`] as if signed at `signed_at` (for tests of
    /// expired URLs).
    pub fn presign_part_signed_at(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        bytes: u64,
        signed_at: SystemTime,
    ) -> Result<UploadTarget, StoreError> {
        if !(1..=MAX_PARTS).contains(&number) {
            return Err(StoreError::Signing(format!("no part {number}")));
        }
        let url = format!(
            "{}?partNumber={number}&uploadId={}",
            self.url(key),
            percent_encode(upload_id)
        );
        let length = bytes.to_string();
        self.presigned_put(&url, &[("content-length", length.as_str())], signed_at)
    }

    /// The parts the store holds, in order; `None` if there is no such upload
    /// (finished, aborted or expired). A browser resuming an upload sends only
    /// the parts missing here.
    pub async fn list_parts(
        &self,
        key: &ObjectKey,
        upload_id: &str,
    ) -> Result<Option<Vec<StoredPart>>, StoreError> {
        let mut parts = Vec::new();
        let mut marker = 0;
        loop {
            let query = format!(
                "uploadId={}&part-number-marker={marker}",
                percent_encode(upload_id)
            );
            let response = self
                .send_with(reqwest::Method::GET, key, &query, &[], Vec::new())
                .await?;
            if response.status() == reqwest::StatusCode::NOT_FOUND {
                return Ok(None);
            }
            let body = checked_body(response, key).await?;
            let page: PartsPage = quick_xml::de::from_str(&body).map_err(|error| {
                StoreError::Refused(format!("unreadable parts of {}: {error}", key.as_str()))
            })?;
            parts.extend(page.parts.into_iter().filter_map(|part| {
                Some(StoredPart {
                    number: part.part_number,
                    etag: part.etag.filter(|etag| !etag.is_empty())?,
                    bytes: part.size,
                })
            }));
            match page.next_part_number_marker {
                Some(next) if page.is_truncated && next > marker => marker = next,
                _ => break,
            }
        }
        parts.sort_by_key(|part| part.number);
        Ok(Some(parts))
    }

    /// Finishes the upload from `parts` (in order, as [`S3Bucket::list_parts`]
    /// gives them): `false` if an object is already at `key`, which is never
    /// replaced.
    pub async fn complete_multipart(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        parts: &[StoredPart],
    ) -> Result<bool, StoreError> {
        let mut body = String::from("<CompleteMultipartUpload>");
        for part in parts {
            body.push_str(&format!(
                "<Part><PartNumber>{}</PartNumber><ETag>{}</ETag></Part>",
                part.number,
                escape(&part.etag)
            ));
        }
        body.push_str("</CompleteMultipartUpload>");
        let query = format!("uploadId={}", percent_encode(upload_id));
        let response = self
            .send_with(
                reqwest::Method::POST,
                key,
                &query,
                &[("if-none-match", "*")],
                body.into_bytes(),
            )
            .await?;
        if response.status() == reqwest::StatusCode::PRECONDITION_FAILED {
            return Ok(false);
        }
        // S3 may answer 200 and put its error in the body, after a long wait.
        let answer = checked_body(response, key).await?;
        if answer.contains("<Error>") {
            if answer.contains("PreconditionFailed") {
                return Ok(false);
            }
            return Err(StoreError::Unavailable(format!(
                "finishing {} failed",
                key.as_str()
            )));
        }
        Ok(true)
    }

    /// Gives the upload up: the store drops its parts. Safe to repeat.
    pub async fn abort_multipart(
        &self,
        key: &ObjectKey,
        upload_id: &str,
    ) -> Result<(), StoreError> {
        let query = format!("uploadId={}", percent_encode(upload_id));
        self.send_with(reqwest::Method::DELETE, key, &query, &[], Vec::new())
            .await
            .map(drop)
    }
}

/// The body of an answer that should have one; a 404 here is the upload gone.
async fn checked_body(response: reqwest::Response, key: &ObjectKey) -> Result<String, StoreError> {
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Err(StoreError::Refused(format!(
            "no such upload for {}",
            key.as_str()
        )));
    }
    response
        .text()
        .await
        .map_err(|error| StoreError::Unavailable(error.without_url().to_string()))
}

/// ETags are quoted hex; anything else is escaped rather than trusted into XML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_as_s3_writes_them() {
        let initiated: Initiated = quick_xml::de::from_str(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
<Bucket>b</Bucket><Key>u/a/o/x</Key><UploadId>VXBsb2FkIElE.-_~x</UploadId>
</InitiateMultipartUploadResult>"#,
        )
        .expect("reads");
        assert_eq!(initiated.upload_id, "VXBsb2FkIElE.-_~x");
        let page: PartsPage = quick_xml::de::from_str(
            r#"<ListPartsResult><Bucket>b</Bucket><UploadId>u</UploadId>
<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker>
<IsTruncated>true</IsTruncated>
<Part><PartNumber>1</PartNumber><LastModified>2026-12-06T10:00:00.000Z</LastModified>
<ETag>"aa"</ETag><Size>8388608</Size></Part>
<Part><PartNumber>2</PartNumber><ETag>"bb"</ETag><Size>100</Size></Part>
<Part><PartNumber>3</PartNumber><Size>4096</Size></Part>
</ListPartsResult>"#,
        )
        .expect("reads");
        assert!(page.is_truncated);
        assert_eq!(page.next_part_number_marker, Some(2));
        assert_eq!(
            page.parts
                .iter()
                .map(|p| (p.part_number, p.etag.as_deref(), p.size))
                .collect::<Vec<_>>(),
            [
                (1, Some("\"aa\""), 8_388_608),
                (2, Some("\"bb\""), 100),
                // Cut off mid-upload on the local store: read, then left out.
                (3, None, 4096)
            ]
        );
        let empty: PartsPage =
            quick_xml::de::from_str("<ListPartsResult><Bucket>b</Bucket></ListPartsResult>")
                .expect("reads");
        assert!(empty.parts.is_empty() && !empty.is_truncated);
    }
}
