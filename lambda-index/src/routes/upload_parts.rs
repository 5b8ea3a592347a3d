//! `/uploads/{id}/parts`: an original sent in parts (`api_types::upload::parts`).
//! `POST` signs the parts the browser is about to send, `DELETE` gives the
//! upload up (the Cancel button); `POST /uploads` starts and resumes uploads,
//! and `POST /photos` finishes them. Every call is about the caller's own
//! original: the key is theirs, and the store refuses an upload id that
//! belongs to another key.

use api_types::upload::parts::{
    MAX_PARTS_PER_REQUEST, PartPlan, PartTarget, SignParts, SignedParts, UploadIdQuery,
};
use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};

use super::{checks, json::JsonBody, owner};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{ObjectKey, PhotoId},
};

pub(crate) async fn sign(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<SignParts>,
) -> Result<Json<SignedParts>, ApiError> {
    let key = ObjectKey::original(&owner(&user)?, &photo_id(&id)?);
    checks::upload_id(&request.upload_id).map_err(ApiError::BadRequest)?;
    checks::original_size(request.bytes, state.limits.max_original_bytes)
        .map_err(|why| ApiError::BadRequest(format!("Cannot send {id} in parts: {why}.")))?;
    let plan = PartPlan::for_size(request.bytes)
        .ok_or_else(|| ApiError::BadRequest("The file is empty.".to_owned()))?;
    if request.numbers.is_empty() || request.numbers.len() > MAX_PARTS_PER_REQUEST {
        return Err(ApiError::BadRequest(format!(
            "Ask for 1 to {MAX_PARTS_PER_REQUEST} parts at a time."
        )));
    }
    let parts = request
        .numbers
        .iter()
        .map(|&number| {
            let (_, bytes) = plan.part(number).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "A file of {} bytes has parts 1 to {}, not {number}.",
                    plan.bytes, plan.parts
                ))
            })?;
            let target = state
                .objects
                .presign_part(&key, &request.upload_id, number, bytes)?;
            Ok(PartTarget { number, target })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(SignedParts { parts }))
}

pub(crate) async fn abort(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<UploadIdQuery>,
) -> Result<StatusCode, ApiError> {
    let key = ObjectKey::original(&owner(&user)?, &photo_id(&id)?);
    checks::upload_id(&query.upload_id).map_err(ApiError::BadRequest)?;
    state
        .objects
        .abort_multipart(&key, &query.upload_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

fn photo_id(id: &str) -> Result<PhotoId, ApiError> {
    PhotoId::parse(id).ok_or(ApiError::NotFound)
}
