//! Previews made again (`api_types::previews`). When the bucket lost a
//! photo's thumbnail or web view, `verify --repair` leaves a note
//! (`u/{sub}/p/{id}.json`); the next browser its owner opens Shoebox in asks
//! `GET /previews/wanted`, fetches each original, makes the previews as it
//! did at upload, and sends them: `POST /photos/{id}/previews` signs a PUT for
//! each (at the key the photo's record names, so its type must be the one it
//! was), `POST /photos/{id}/previews/done` checks them in and, with none left
//! missing, takes the note away.

use api_types::previews::{
    MAX_WANTED, MadePreviews, PreviewFile, PreviewTargets, WantedPhoto, WantedPreviews,
};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};

use super::{checks, json::JsonBody, owner, photo, restore};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{Kept, Lifecycle, ObjectKey, PhotoRecord, Variant},
};

/// The photo's previews its record names that the bucket does not hold:
/// each with its key and type.
async fn missing(
    state: &ApiState,
    record: &PhotoRecord,
) -> Result<Vec<(Variant, ObjectKey, String)>, ApiError> {
    let mut missing = Vec::new();
    for (variant, preview) in [(Variant::Thumb, &record.thumb), (Variant::Web, &record.web)] {
        let Some(preview) = preview else { continue };
        let key = ObjectKey::preview(&record.owner, &record.id, variant, &preview.content_type)
            .ok_or_else(|| {
                ApiError::Internal(format!("bad stored preview type for {}", record.id))
            })?;
        if state.objects.size(&key).await?.is_none() {
            missing.push((variant, key, preview.content_type.clone()));
        }
    }
    Ok(missing)
}

pub(crate) async fn wanted(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
) -> Result<Json<WantedPreviews>, ApiError> {
    let owner = owner(&user)?;
    let notes = state
        .objects
        .list(&ObjectKey::previews_wanted_prefix(&owner), None)
        .await?;
    let mut items = Vec::new();
    for listed in notes.objects {
        if items.len() == MAX_WANTED {
            break;
        }
        let Some(Kept::PreviewsWanted(_, id)) = ObjectKey::kept(&listed.key) else {
            continue;
        };
        let note = ObjectKey::previews_wanted(&owner, &id);
        let Some(record) = state.index.get(&owner, &id).await? else {
            state.objects.delete(&note).await?;
            continue;
        };
        let missing = missing(&state, &record).await?;
        if missing.is_empty() {
            state.objects.delete(&note).await?;
            continue;
        }
        // An original in deep archive waits for its owner's restore.
        if restore::archived(&state, &record).await?.is_some() {
            continue;
        }
        let wanted = |variant: Variant| {
            missing
                .iter()
                .find(|(missing, _, _)| *missing == variant)
                .map(|(_, _, content_type)| content_type.clone())
        };
        items.push(WantedPhoto {
            id: record.id.to_string(),
            filename: record.details.filename.clone(),
            content_type: record.details.content_type.clone(),
            bytes: record.details.bytes,
            original_url: state
                .objects
                .presign_get(&ObjectKey::original(&owner, &record.id))?,
            thumb: wanted(Variant::Thumb),
            web: wanted(Variant::Web),
        });
    }
    Ok(Json(WantedPreviews { items }))
}

/// Each preview sent with which it is and the key it goes to, checked: one
/// the photo lacks, of the type it was, of a size a preview can be.
async fn checked(
    state: &ApiState,
    record: &PhotoRecord,
    made: &MadePreviews,
) -> Result<Vec<(Variant, ObjectKey, PreviewFile)>, ApiError> {
    let missing = missing(state, record).await?;
    let mut checked = Vec::new();
    for (variant, file) in [(Variant::Thumb, &made.thumb), (Variant::Web, &made.web)] {
        let Some(file) = file else { continue };
        checks::preview(variant.name(), file.bytes, &file.content_type)
            .map_err(ApiError::BadRequest)?;
        let Some((_, key, content_type)) = missing.iter().find(|(m, _, _)| *m == variant) else {
            return Err(ApiError::BadRequest(format!(
                "This photo's {} is not missing.",
                variant.name()
            )));
        };
        if *content_type != file.content_type {
            return Err(ApiError::BadRequest(format!(
                "This photo's {} was {content_type}, and must be again.",
                variant.name()
            )));
        }
        checked.push((variant, key.clone(), file.clone()));
    }
    Ok(checked)
}

pub(crate) async fn sign(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    JsonBody(made): JsonBody<MadePreviews>,
) -> Result<Json<PreviewTargets>, ApiError> {
    let (_, record) = photo::own_photo(&state, &user, &id).await?;
    let mut targets = PreviewTargets {
        thumb: None,
        web: None,
    };
    for (variant, key, file) in checked(&state, &record, &made).await? {
        let target = Some(
            state
                .objects
                .presign_put(&key, &file.content_type, file.bytes)?,
        );
        match variant {
            Variant::Thumb => targets.thumb = target,
            _ => targets.web = target,
        }
    }
    Ok(Json(targets))
}

pub(crate) async fn done(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    JsonBody(made): JsonBody<MadePreviews>,
) -> Result<StatusCode, ApiError> {
    let (owner, record) = photo::own_photo(&state, &user, &id).await?;
    let mut sent = Vec::new();
    for (variant, file) in [(Variant::Thumb, &made.thumb), (Variant::Web, &made.web)] {
        let Some(file) = file else { continue };
        let key = ObjectKey::preview(&owner, &record.id, variant, &file.content_type).ok_or_else(
            || {
                ApiError::BadRequest(format!(
                    "the {} must be image/webp or image/jpeg",
                    variant.name()
                ))
            },
        )?;
        match state.objects.size(&key).await? {
            Some(bytes) if bytes == file.bytes => sent.push(key),
            _ => {
                return Err(ApiError::UploadIncomplete(format!(
                    "The {} is not in the store with the size promised.",
                    variant.name()
                )));
            }
        }
    }
    for key in &sent {
        state.objects.keep(key, Lifecycle::Hot).await?;
    }
    if missing(&state, &record).await?.is_empty() {
        state
            .objects
            .delete(&ObjectKey::previews_wanted(&owner, &record.id))
            .await?;
    }
    tracing::info!(user = owner.as_str(), photo = %record.id, previews = sent.len(), "previews made again");
    Ok(StatusCode::NO_CONTENT)
}
