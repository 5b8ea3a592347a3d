//! Originals in Glacier Deep Archive: whether one can be read now (a HEAD's
//! `x-amz-storage-class` and `x-amz-restore`), and asking for a restore
//! (`RestoreObject`).

use super::S3Bucket;
use crate::store::{
    keys::ObjectKey,
    objects::{Availability, RESTORED_DAYS, RestoreAsked, RestoreTier, StoreError},
};

/// What a HEAD's headers say of an object's availability.
fn availability(
    storage_class: Option<&str>,
    archive_status: Option<&str>,
    restore: Option<&str>,
) -> Availability {
    let archived = matches!(storage_class, Some("GLACIER" | "DEEP_ARCHIVE"))
        // Intelligent-Tiering's opt-in archive tiers also need a restore.
        || archive_status.is_some();
    if !archived {
        return Availability::Readable;
    }
    match restore {
        None => Availability::Archived,
        Some(restore) if restore.contains("ongoing-request=\"true\"") => Availability::Restoring,
        Some(restore) => match restore.split_once("expiry-date=\"") {
            Some((_, rest)) => Availability::Restored {
                until: rest.trim_end_matches('"').to_owned(),
            },
            // Finished, with no expiry given: as S3 never answers.
            None => Availability::Archived,
        },
    }
}

/// S3's `RestoreRequest` body.
fn restore_request(tier: RestoreTier) -> Vec<u8> {
    format!(
        "<RestoreRequest xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Days>{RESTORED_DAYS}</Days>\
<GlacierJobParameters><Tier>{}</Tier></GlacierJobParameters></RestoreRequest>",
        tier.as_s3()
    )
    .into_bytes()
}

impl S3Bucket {
    pub async fn availability(&self, key: &ObjectKey) -> Result<Option<Availability>, StoreError> {
        let response = self
            .send(reqwest::Method::HEAD, key, "", Vec::new())
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
        };
        Ok(Some(availability(
            header("x-amz-storage-class"),
            header("x-amz-archive-status"),
            header("x-amz-restore"),
        )))
    }

    /// `RestoreObject`: 202 started, 200 a restored copy is there (its days
    /// are extended), 409 one is under way.
    pub async fn restore(
        &self,
        key: &ObjectKey,
        tier: RestoreTier,
    ) -> Result<RestoreAsked, StoreError> {
        let url = format!("{}?restore", self.url(key));
        let answers = [reqwest::StatusCode::CONFLICT];
        let response = self
            .send_to(
                reqwest::Method::POST,
                &url,
                key.as_str(),
                &[],
                restore_request(tier),
                &answers,
            )
            .await?;
        Ok(match response.status() {
            reqwest::StatusCode::CONFLICT => RestoreAsked::AlreadyRestoring,
            reqwest::StatusCode::OK => RestoreAsked::AlreadyRestored,
            _ => RestoreAsked::Started,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_as_s3_answers_them() {
        assert_eq!(availability(None, None, None), Availability::Readable);
        assert_eq!(
            availability(Some("GLACIER_IR"), None, None),
            Availability::Readable,
            "Instant Retrieval reads at once"
        );
        assert_eq!(
            availability(Some("DEEP_ARCHIVE"), None, None),
            Availability::Archived
        );
        assert_eq!(
            availability(Some("DEEP_ARCHIVE"), None, Some("ongoing-request=\"true\"")),
            Availability::Restoring
        );
        let restored = availability(
            Some("DEEP_ARCHIVE"),
            None,
            Some("ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\""),
        );
        assert_eq!(
            restored,
            Availability::Restored {
                until: "Fri, 21 Dec 2012 00:00:00 GMT".into()
            }
        );
        assert!(restored.readable());
        assert_eq!(
            availability(
                Some("INTELLIGENT_TIERING"),
                Some("DEEP_ARCHIVE_ACCESS"),
                None
            ),
            Availability::Archived
        );
    }

    #[test]
    fn a_restore_asks_for_a_week_at_the_tier_chosen() {
        let body = String::from_utf8(restore_request(RestoreTier::Bulk)).expect("utf-8");
        assert!(body.contains("<Days>7</Days>"), "{body}");
        assert!(body.contains("<Tier>Bulk</Tier>"), "{body}");
    }
}
