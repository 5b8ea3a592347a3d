//! Listing the bucket (`ListObjectsV2`), a page at a time: how the tools that
//! rebuild the index and check the bucket walk a whole library.

use serde::Deserialize;

use super::{S3Bucket, percent_encode};
use crate::store::objects::{Listed, ListedObject, StoreError};

/// S3's own page size, the most one request returns.
const PAGE: u32 = 1000;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListBucketResult {
    #[serde(default)]
    is_truncated: bool,
    #[serde(default)]
    contents: Vec<Contents>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Contents {
    key: String,
    size: u64,
    /// Absent means STANDARD.
    storage_class: Option<String>,
}

/// The storage classes whose objects must be restored before a GET.
fn archive_class(class: &str) -> bool {
    matches!(class, "GLACIER" | "DEEP_ARCHIVE")
}

fn page(xml: &str) -> Result<Listed, StoreError> {
    let result: ListBucketResult = quick_xml::de::from_str(xml)
        .map_err(|error| StoreError::Refused(format!("an unreadable listing: {error}")))?;
    Ok(Listed {
        more: result.is_truncated && !result.contents.is_empty(),
        objects: result
            .contents
            .into_iter()
            .map(|object| ListedObject {
                archived: object.storage_class.as_deref().is_some_and(archive_class),
                key: object.key,
                bytes: object.size,
            })
            .collect(),
    })
}

impl S3Bucket {
    /// [`crate::store::ObjectStore::list`]: `start-after` the last key seen,
    /// which S3 and the local store both take, rather than an opaque
    /// continuation token, so a caller can resume from any key.
    pub async fn list(&self, prefix: &str, after: Option<&str>) -> Result<Listed, StoreError> {
        let mut url = format!(
            "{}/?list-type=2&max-keys={PAGE}&prefix={}",
            self.config.bucket_url,
            percent_encode(prefix)
        );
        if let Some(after) = after {
            url.push_str("&start-after=");
            url.push_str(&percent_encode(after));
        }
        let response = self
            .send_to(
                reqwest::Method::GET,
                &url,
                "the bucket's listing",
                &[],
                Vec::new(),
                &super::ANSWERS,
            )
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Err(StoreError::Refused("no such bucket".into()));
        }
        let body = response
            .text()
            .await
            .map_err(|error| StoreError::Unavailable(error.without_url().to_string()))?;
        page(&body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_as_s3_writes_it() {
        let listed = page(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>photos</Name><Prefix>u/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <Contents><Key>u/a/m/x.json</Key><LastModified>2026-12-07T10:00:00.000Z</LastModified>
    <ETag>"abc"</ETag><Size>812</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>u/a/o/x&amp;y</Key><Size>4200000</Size><StorageClass>DEEP_ARCHIVE</StorageClass></Contents>
  <NextContinuationToken>opaque</NextContinuationToken>
</ListBucketResult>"#,
        )
        .expect("a page");
        assert!(listed.more);
        assert_eq!(
            listed.objects,
            vec![
                ListedObject {
                    key: "u/a/m/x.json".into(),
                    bytes: 812,
                    archived: false
                },
                ListedObject {
                    key: "u/a/o/x&y".into(),
                    bytes: 4_200_000,
                    archived: true
                },
            ]
        );
    }

    #[test]
    fn an_empty_bucket_is_one_page_with_nothing_more() {
        let listed = page(
            "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>",
        )
        .expect("a page");
        assert_eq!(listed, Listed::default());
    }
}
