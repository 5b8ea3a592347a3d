//! The calls that make a video's copy for a share link (`scrub::copy`): a
//! ranged read of the original, a part sent by the API, and a part the store
//! copies from the original by itself (`UploadPartCopy`), all signed in
//! headers with the API's own credentials, on its own keys.

use std::ops::Range;

use serde::Deserialize;

use super::{S3Bucket, percent_encode};
use crate::store::{
    keys::ObjectKey,
    objects::{StoreError, StoredPart},
};

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CopyPartResult {
    #[serde(rename = "ETag")]
    etag: String,
}

impl S3Bucket {
    pub async fn read(&self, key: &ObjectKey, range: Range<u64>) -> Result<Vec<u8>, StoreError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let wanted = format!("bytes={}-{}", range.start, range.end - 1);
        let response = self
            .send_with(
                reqwest::Method::GET,
                key,
                "",
                &[("range", &wanted)],
                Vec::new(),
            )
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Err(StoreError::Refused(format!("no object {}", key.as_str())));
        }
        let whole = response.status() == reqwest::StatusCode::OK;
        let bytes = response
            .bytes()
            .await
            .map_err(|error| StoreError::Unavailable(error.without_url().to_string()))?;
        // A store that ignored the range sent everything.
        Ok(if whole {
            let start = usize::try_from(range.start).unwrap_or(usize::MAX);
            let end = usize::try_from(range.end).unwrap_or(usize::MAX);
            bytes
                .get(start..end.min(bytes.len()))
                .unwrap_or_default()
                .to_vec()
        } else {
            bytes.to_vec()
        })
    }

    pub async fn upload_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        body: Vec<u8>,
    ) -> Result<StoredPart, StoreError> {
        let bytes = body.len() as u64;
        let query = format!("partNumber={number}&uploadId={}", percent_encode(upload_id));
        let response = self
            .send_with(reqwest::Method::PUT, key, &query, &[], body)
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Err(StoreError::Refused(format!(
                "no such upload for {}",
                key.as_str()
            )));
        }
        let etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|etag| etag.to_str().ok())
            .ok_or_else(|| StoreError::Refused(format!("no ETag for a part of {}", key.as_str())))?
            .to_owned();
        Ok(StoredPart {
            number,
            etag,
            bytes,
        })
    }

    pub async fn copy_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        source: &ObjectKey,
        range: Range<u64>,
    ) -> Result<StoredPart, StoreError> {
        let query = format!("partNumber={number}&uploadId={}", percent_encode(upload_id));
        let from = format!("/{}/{}", self.bucket_name()?, source.as_str());
        let bytes = format!("bytes={}-{}", range.start, range.end.saturating_sub(1));
        let response = self
            .send_with(
                reqwest::Method::PUT,
                key,
                &query,
                &[
                    ("x-amz-copy-source", &from),
                    ("x-amz-copy-source-range", &bytes),
                ],
                Vec::new(),
            )
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Err(StoreError::Refused(format!(
                "no upload or no source for {}",
                key.as_str()
            )));
        }
        // S3 may answer 200 and put its error in the body.
        let answer = response
            .text()
            .await
            .map_err(|error| StoreError::Unavailable(error.without_url().to_string()))?;
        let result: CopyPartResult = quick_xml::de::from_str(&answer).map_err(|_| {
            StoreError::Unavailable(format!("copying a part of {} failed", key.as_str()))
        })?;
        Ok(StoredPart {
            number,
            etag: result.etag,
            bytes: range.end - range.start,
        })
    }

    /// The bucket's name, from its URL: the path of a path-style URL, else the
    /// first label of a virtual-hosted one.
    fn bucket_name(&self) -> Result<String, StoreError> {
        let url = reqwest::Url::parse(&self.config.bucket_url)
            .map_err(|error| StoreError::Signing(format!("the bucket's URL: {error}")))?;
        let path = url.path().trim_matches('/');
        let name = if path.is_empty() {
            url.host_str().and_then(|host| host.split('.').next())
        } else {
            Some(path)
        };
        name.filter(|name| !name.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| StoreError::Signing("the bucket's URL names no bucket".into()))
    }
}
