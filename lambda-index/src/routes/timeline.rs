//! `GET /photos?limit=&cursor=`: a page of the caller's timeline, newest first,
//! each photo with presigned URLs for its thumbnail and web view; and
//! `GET /photos/{id}`: one photo, with a download URL for its original.

use api_types::photo::{Photo, PhotoImage, PhotoPage};
use axum::{
    Json,
    extract::{Path, Query, State},
};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;

use super::owner;
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{ObjectKey, PhotoId, PhotoRecord, Variant},
};

const DEFAULT_PAGE: usize = 60;
const MAX_PAGE: usize = 200;

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    limit: Option<usize>,
    cursor: Option<String>,
}

pub(crate) async fn list(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<Json<PhotoPage>, ApiError> {
    let owner = owner(&user)?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let after = match query.cursor.as_deref().filter(|cursor| !cursor.is_empty()) {
        None => None,
        Some(cursor) => Some(state.cursor_key.open(&owner, cursor).ok_or_else(|| {
            ApiError::BadRequest(
                "This page link is not valid; start again from the newest photos.".into(),
            )
        })?),
    };
    // One more than asked says whether there is a next page.
    let mut records = state.index.page(&owner, after.as_ref(), limit + 1).await?;
    let next_cursor = if records.len() > limit {
        records.truncate(limit);
        records
            .last()
            .map(|last| state.cursor_key.seal(&owner, &last.position()))
    } else {
        None
    };
    let items = records
        .iter()
        .map(|record| photo(&state, record))
        .collect::<Result<_, _>>()?;
    Ok(Json(PhotoPage { items, next_cursor }))
}

pub(crate) async fn one(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Photo>, ApiError> {
    let owner = owner(&user)?;
    // Someone else's photo, and no photo at all, are the same 404.
    let id = PhotoId::parse(&id).ok_or(ApiError::NotFound)?;
    let record = state
        .index
        .get(&owner, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut shown = photo(&state, &record)?;
    shown.original_url = Some(
        state
            .objects
            .presign_download(&ObjectKey::original(&owner, &id), &record.filename)?,
    );
    Ok(Json(shown))
}

/// The record as the SPA shows it, with fresh image URLs.
pub(crate) fn photo(state: &ApiState, record: &PhotoRecord) -> Result<Photo, ApiError> {
    let image = |variant, preview: &Option<api_types::upload::CommittedPreview>| {
        preview
            .as_ref()
            .map(|preview| {
                let key =
                    ObjectKey::preview(&record.owner, &record.id, variant, &preview.content_type)
                        .ok_or_else(|| {
                        ApiError::Internal(format!("bad stored preview type for {}", record.id))
                    })?;
                Ok::<_, ApiError>(PhotoImage {
                    url: state.objects.presign_get(&key)?,
                    width: preview.width,
                    height: preview.height,
                })
            })
            .transpose()
    };
    let time = |at: time::OffsetDateTime| {
        at.format(&Rfc3339)
            .map_err(|error| ApiError::Internal(error.to_string()))
    };
    let metadata = &record.metadata;
    Ok(Photo {
        id: record.id.to_string(),
        taken_at: time(record.taken_at)?,
        uploaded_at: time(record.uploaded_at)?,
        width: record.width,
        height: record.height,
        bytes: record.bytes,
        content_type: record.content_type.clone(),
        filename: record.filename.clone(),
        camera: metadata.camera.clone(),
        lens: metadata.lens.clone(),
        exposure_time: metadata.exposure_time.clone(),
        f_number: metadata.f_number,
        iso: metadata.iso,
        focal_length: metadata.focal_length,
        gps: metadata.gps.clone(),
        placeholder: record.placeholder.clone(),
        thumb: image(Variant::Thumb, &record.thumb)?,
        web: image(Variant::Web, &record.web)?,
        original_url: None,
    })
}
