//! One photo: `GET /photos/{id}` (with a download URL for its original, saved
//! under its own name, or what restoring it from deep archive takes) and
//! `DELETE /photos/{id}` (into the trash). Another user's photo and no photo
//! at all are the same 404.

use api_types::photo::Photo;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};

use super::{
    care, owner, restore,
    shown::{original_download, photo},
};
use crate::{
    ApiError, ApiState,
    auth::{SignedIn, User},
    store::{Owner, PhotoId, PhotoRecord, StateChange},
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

/// Moves the photo to the trash (a Live Photo with its video, which its
/// still shows): deleting for good is `delete_forever` from the trash
/// ([`super::care`]), or the purge, 30 days on.
pub(crate) async fn delete(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (owner, record) = own_photo(&state, &user, &id).await?;
    let at = time::OffsetDateTime::now_utc();
    care::apply(&state, &owner, &record.id, StateChange::Trash { at })
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(StatusCode::NO_CONTENT)
}

const HOUR_SECS: i64 = 3600;

/// One delete for good from the owner's allowance for this hour
/// ([`crate::Limits`]); how many are taken now. Past the limit, a 429 that
/// says when more may go.
pub(crate) async fn take_delete(state: &ApiState, owner: &Owner) -> Result<u32, ApiError> {
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
