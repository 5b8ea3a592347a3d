//! Originals in Glacier Deep Archive (a stack whose `OriginalsStorageClass`
//! is `DEEP_ARCHIVE`; `Limits::deep_archive_after_days`): what their owner is
//! told in place of a download ([`archived`]), and `POST /photos/{id}/restore`,
//! which asks S3 for one back (`RestoreObject`, Standard or Bulk), notes when
//! it should be ready (`u/{sub}/r/{id}.json`) and answers the photo.
//!
//! Only photos' originals are archived: what plays from its original (a
//! video, a motion photo) is tagged to stay where it streams (`routes/photos.rs`).

use api_types::photo::{ArchivedOriginal, Photo, RestoreOption, RestoreRequest, RestoreTierName};
use axum::{
    Json,
    extract::{Path, State},
};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::{json::JsonBody, photo, shown::rfc3339};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{Availability, ObjectKey, PhotoRecord, RestoreAsked, RestoreTier},
};

/// Deep Archive's restore prices (us-east-1, read 2025-11-01, as
/// `cargo xtask cost` has them): per GB, per request, and the hours it takes.
const STANDARD: (f64, f64, u32) = (0.02, 0.10 / 1000.0, 12);
const BULK: (f64, f64, u32) = (0.0025, 0.025 / 1000.0, 48);

fn tier(name: RestoreTierName) -> (RestoreTier, (f64, f64, u32)) {
    match name {
        RestoreTierName::Standard => (RestoreTier::Standard, STANDARD),
        RestoreTierName::Bulk => (RestoreTier::Bulk, BULK),
    }
}

/// The ways to restore an original of `bytes` bytes, fastest first.
fn options(bytes: u64) -> Vec<RestoreOption> {
    [RestoreTierName::Standard, RestoreTierName::Bulk]
        .into_iter()
        .map(|name| {
            let (_, (per_gb, per_request, hours)) = tier(name);
            RestoreOption {
                tier: name,
                hours,
                usd: bytes as f64 / 1e9 * per_gb + per_request,
            }
        })
        .collect()
}

/// Whether the photo's original may be in deep archive by now: it is a
/// photo's (not one that plays), on a stack that archives them, and old
/// enough (S3 moves objects at the first midnight UTC after their days, so a
/// day early already). Only then is S3 asked, so no other answer costs a HEAD.
pub(crate) fn maybe_archived(state: &ApiState, record: &PhotoRecord, now: OffsetDateTime) -> bool {
    let Some(days) = state.limits.deep_archive_after_days else {
        return false;
    };
    let plays = record.details.video.is_some() || record.details.motion.is_some();
    !plays && record.uploaded_at + Duration::days(i64::from(days) - 1) <= now
}

/// What the owner is told of an original in deep archive; `None` when it can
/// be downloaded (never archived, or restored).
pub(crate) async fn archived(
    state: &ApiState,
    record: &PhotoRecord,
) -> Result<Option<ArchivedOriginal>, ApiError> {
    if !maybe_archived(state, record, OffsetDateTime::now_utc()) {
        return Ok(None);
    }
    let key = ObjectKey::original(&record.owner, &record.id);
    Ok(match state.objects.availability(&key).await? {
        // Gone: the download says so, as for any photo.
        None => None,
        Some(availability) if availability.readable() => None,
        Some(Availability::Restoring) => Some(ArchivedOriginal::Restoring {
            ready_about: note(state, record).await.map(|note| note.ready_about),
        }),
        Some(_) => Some(ArchivedOriginal::Archived {
            options: options(record.details.bytes),
        }),
    })
}

/// When a restore was asked for, kept beside the photo.
#[derive(Serialize, Deserialize)]
struct Note {
    tier: RestoreTierName,
    asked_at: String,
    ready_about: String,
}

/// The note of the restore under way, if one was kept and reads.
async fn note(state: &ApiState, record: &PhotoRecord) -> Option<Note> {
    let key = ObjectKey::restore_note(&record.owner, &record.id);
    let bytes = state.objects.read(&key, 0..4096).await.ok()?;
    serde_json::from_slice(&bytes).ok()
}

pub(crate) async fn restore(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<RestoreRequest>,
) -> Result<Json<Photo>, ApiError> {
    let (owner, record) = photo::own_photo(&state, &user, &id).await?;
    if let Some(ArchivedOriginal::Archived { .. }) = archived(&state, &record).await? {
        let (tier, (_, _, hours)) = tier(request.tier);
        let key = ObjectKey::original(&owner, &record.id);
        if state.objects.restore(&key, tier).await? == RestoreAsked::Started {
            let now = OffsetDateTime::now_utc();
            let note = Note {
                tier: request.tier,
                asked_at: rfc3339(now)?,
                ready_about: rfc3339(now + Duration::hours(i64::from(hours)))?,
            };
            let body = serde_json::to_vec(&note)
                .map_err(|error| ApiError::Internal(format!("a restore note: {error}")))?;
            state
                .objects
                .put(
                    &ObjectKey::restore_note(&owner, &record.id),
                    body,
                    "application/json",
                )
                .await?;
            tracing::info!(user = owner.as_str(), photo = %record.id, tier = tier.as_s3(), "restore asked");
        }
    }
    Ok(Json(photo::as_its_owner_sees(&state, &record).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_15_mb_photo_restores_for_a_fraction_of_a_cent() {
        let options = options(15_000_000);
        assert_eq!(options[0].tier, RestoreTierName::Standard);
        assert_eq!(options[0].hours, 12);
        assert!((options[0].usd - 0.0004).abs() < 1e-9, "{}", options[0].usd);
        assert_eq!(options[1].tier, RestoreTierName::Bulk);
        assert_eq!(options[1].hours, 48);
        assert!(
            (options[1].usd - 0.0000625).abs() < 1e-9,
            "{}",
            options[1].usd
        );
    }
}
