//! One photo: `GET /photos/{id}` (with a download URL for its original, saved
//! under its own name) and `DELETE /photos/{id}` (the record, its count and all
//! three files). Another user's photo and no photo at all are the same 404.

use api_types::photo::Photo;
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};

use super::{
    owner,
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
    let mut shown = photo(&state, &record)?;
    shown.original_url = Some(original_download(&state, &record)?);
    Ok(Json(shown))
}

pub(crate) async fn delete(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let (owner, record) = own_photo(&state, &user, &id).await?;
    let id = record.id.clone();
    // The files first: if that fails the photo is still listed and the delete
    // can be tried again; the other way round, a failure would leave files
    // nobody can see or remove.
    let files = ObjectKey::photo_files(
        &owner,
        &id,
        record
            .thumb
            .as_ref()
            .map(|thumb| thumb.content_type.as_str()),
        record.web.as_ref().map(|web| web.content_type.as_str()),
    );
    futures::future::try_join_all(files.iter().map(|(_, key)| state.objects.delete(key))).await?;
    state.index.remove(&owner, &id).await?;
    tracing::info!(photo = %id, "photo deleted");
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's photo `id`. Someone else's photo, a malformed id and no photo
/// at all are the same 404.
async fn own_photo(
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
