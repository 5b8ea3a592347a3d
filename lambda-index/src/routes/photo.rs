//! One photo: `GET /photos/{id}` (with a download URL for its original, saved
//! under its own name, or what restoring it from deep archive takes) and
//! `DELETE /photos/{id}` (the record, its count and all
//! three files). Another user's photo and no photo at all are the same 404.

use api_types::photo::Photo;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};

use super::{
    owner, restore,
    shown::{original_download, photo},
};
use crate::{
    ApiError, ApiState,
    auth::{SignedIn, User},
    store::{ObjectKey, Owner, PhotoId, PhotoRecord},
};

pub(crate) async fn get(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Photo>, ApiError> {
    let (_, record) = own_photo(&state, &user, &id).await?;
    Ok(Json(as_its_owner_sees(&state, &record).await?))
}

/// The photo with its original to download, or, where the original is in
/// deep archive, how to have it back.
pub(crate) async fn as_its_owner_sees(
    state: &ApiState,
    record: &PhotoRecord,
) -> Result<Photo, ApiError> {
    let mut shown = photo(state, record)?;
    match restore::archived(state, record).await? {
        Some(archived) => shown.archived = Some(archived),
        None => shown.original_url = Some(original_download(state, record)?),
    }
    Ok(shown)
}

pub(crate) async fn delete(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (owner, record) = own_photo(&state, &user, &id).await?;
    let id = record.id.clone();
    let taken = take_delete(&state, &owner).await?;
    // A Live Photo goes whole: its video is in no timeline of its own.
    if let Some(live) = &record.live
        && let Some(video) = PhotoId::parse(&live.id)
        && let Some(video) = state.index.get(&owner, &video).await?
    {
        forget(&state, &video).await?;
    }
    forget(&state, &record).await?;
    // Who deleted what, and how many this hour: never the token or a URL.
    tracing::info!(user = owner.as_str(), photo = %id, deleted_this_hour = taken, "photo deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// The photo's files (and the record kept beside them), then its record in
/// the index. The files first: if that fails the
/// photo is still listed and the delete can be tried again; the other way
/// round, a failure would leave files nobody can see or remove.
async fn forget(state: &ApiState, record: &PhotoRecord) -> Result<(), ApiError> {
    let files = ObjectKey::photo_files(
        &record.owner,
        &record.id,
        record
            .thumb
            .as_ref()
            .map(|thumb| thumb.content_type.as_str()),
        record.web.as_ref().map(|web| web.content_type.as_str()),
    );
    // A video's (or a motion photo's clip's) also the copy a share link may
    // have had made of it.
    let copy = (record.details.video.is_some() || record.details.motion.is_some())
        .then(|| ObjectKey::shareable(&record.owner, &record.id));
    let kept = [
        ObjectKey::photo_record(&record.owner, &record.id),
        ObjectKey::restore_note(&record.owner, &record.id),
        ObjectKey::previews_wanted(&record.owner, &record.id),
    ];
    let keys = files
        .iter()
        .map(|(_, key)| key)
        .chain(copy.as_ref())
        .chain(&kept);
    futures::future::try_join_all(keys.map(|key| state.objects.delete(key))).await?;
    state.index.remove(&record.owner, &record.id).await?;
    Ok(())
}

const HOUR_SECS: i64 = 3600;

/// One delete from the owner's allowance for this hour ([`crate::Limits`]);
/// how many are taken now. Past the limit, a 429 that says when more may go.
async fn take_delete(state: &ApiState, owner: &Owner) -> Result<u32, ApiError> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let window = now - now.rem_euclid(HOUR_SECS);
    let limit = state.limits.deletes_per_hour;
    match state.index.take_delete(owner, window, limit).await? {
        Some(taken) => Ok(taken),
        None => {
            let retry_after = u64::try_from(window + HOUR_SECS - now).unwrap_or(1).max(1);
            tracing::warn!(user = owner.as_str(), limit, "deletes slowed down");
            Err(ApiError::TooManyRequests {
                message: format!(
                    "You have deleted {limit} photos in the last hour. To keep your library safe \
                     from a stolen sign-in, more deletes wait {} minutes.",
                    retry_after.div_ceil(60)
                ),
                retry_after,
            })
        }
    }
}

/// The caller's photo `id`. Someone else's photo, a malformed id and no photo
/// at all are the same 404.
pub(crate) async fn own_photo(
    state: &ApiState,
    user: &User,
    id: &str,
) -> Result<(Owner, PhotoRecord), ApiError> {
    let owner = owner(user)?;
    let id = PhotoId::parse(id).ok_or(ApiError::NotFound)?;
    let record = state
        .index
        .get(&owner, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((owner, record))
}
