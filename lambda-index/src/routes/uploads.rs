//! `POST /uploads`: for each photo the browser is about to upload, either "you
//! already have it" (dedup by content: the id is the original's SHA-256) or
//! presigned PUTs scoped to this user's keys, with size and type signed: one for
//! each preview, and for the original one PUT or, when it is large and the
//! client sends parts, a multipart upload (`upload_parts.rs` signs its parts).
//! A file that cannot be uploaded is refused alone; the rest of the batch goes on.

use api_types::{
    ErrorDetail,
    upload::{
        MAX_FILES_PER_REQUEST, OriginalTarget, UploadAnswer, UploadFile, UploadRequest,
        UploadResponse, UploadTargets,
        parts::{MAX_SINGLE_PUT_BYTES, MULTIPART_THRESHOLD, PartPlan, PartsUpload},
    },
};
use std::collections::HashSet;

use axum::{Json, extract::State};
use futures::{StreamExt, TryStreamExt, stream};

use super::{care, checks, json::JsonBody, owner};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{ObjectKey, Owner, PhotoId, Presence, StateChange, Variant},
};

pub(crate) async fn post(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    JsonBody(request): JsonBody<UploadRequest>,
) -> Result<Json<UploadResponse>, ApiError> {
    let owner = owner(&user)?;
    if request.files.is_empty() || request.files.len() > MAX_FILES_PER_REQUEST {
        return Err(ApiError::BadRequest(format!(
            "Ask about 1 to {MAX_FILES_PER_REQUEST} files at a time."
        )));
    }
    let ids: Vec<PhotoId> = request
        .files
        .iter()
        .filter_map(|file| PhotoId::parse(&file.id))
        .collect();
    let indexed = state.index.existing(&owner, &ids).await?;
    let existing = with_originals(&state, &owner, indexed.keys().cloned().collect()).await?;
    // A file sent again that is in the trash: its owner wants it back, and
    // has it without sending it.
    for (id, presence) in &indexed {
        if *presence == Presence::Trashed && existing.contains(id) {
            care::apply(&state, &owner, id, StateChange::Restore).await?;
        }
    }
    let max_bytes = if request.in_parts {
        state.limits.max_original_bytes
    } else {
        state.limits.max_original_bytes.min(MAX_SINGLE_PUT_BYTES)
    };
    let in_parts = request.in_parts;
    // Collected first: a lazy `map` over borrowed files here trips rustc's
    // proof that the handler's future is `Send`.
    let pending: Vec<_> = request
        .files
        .iter()
        .map(|file| answer(&state, &owner, &existing, file, max_bytes, in_parts))
        .collect();
    // In order: the answers are in the order of the files asked about.
    let answers = stream::iter(pending)
        .buffered(CONCURRENT_STARTS)
        .try_collect()
        .await?;
    Ok(Json(UploadResponse { files: answers }))
}

async fn answer(
    state: &ApiState,
    owner: &Owner,
    existing: &HashSet<PhotoId>,
    file: &UploadFile,
    max_bytes: u64,
    in_parts: bool,
) -> Result<UploadAnswer, ApiError> {
    Ok(match check(file, max_bytes) {
        Err(message) => refused(file, message),
        Ok((id, _)) if existing.contains(&id) => UploadAnswer::Exists {
            id: file.id.clone(),
        },
        Ok((id, content_type)) => UploadAnswer::Upload {
            id: file.id.clone(),
            targets: targets(state, owner, &id, &content_type, file, in_parts).await?,
        },
    })
}

/// How many multipart uploads are started at once.
const CONCURRENT_STARTS: usize = 8;

/// How many originals are looked for at once.
const CONCURRENT_HEADS: usize = 16;

/// Those of the `indexed` photos whose original is in the store. One that lost
/// it (a commit that raced the sweep of uncommitted uploads, an object deleted
/// by hand) would otherwise be "exists" for ever: offered for upload again
/// instead, its PUT puts the original back, and its commit, finding the
/// record, keeps the files. A HEAD per photo already backed up: a re-upload of
/// 10,000 photos costs 0.4 cents of S3 requests.
async fn with_originals(
    state: &ApiState,
    owner: &Owner,
    indexed: HashSet<PhotoId>,
) -> Result<HashSet<PhotoId>, ApiError> {
    let looked: Vec<(PhotoId, Option<u64>)> = stream::iter(indexed)
        .map(|id| async move {
            let size = state.objects.size(&ObjectKey::original(owner, &id)).await?;
            Ok::<_, ApiError>((id, size))
        })
        .buffer_unordered(CONCURRENT_HEADS)
        .try_collect()
        .await?;
    Ok(looked
        .into_iter()
        .filter_map(|(id, size)| match size {
            Some(_) => Some(id),
            None => {
                tracing::warn!(photo = %id, "an indexed photo lost its original; offered for upload again");
                None
            }
        })
        .collect())
}

/// The file's id and its content type as it will be signed, or why not.
fn check(file: &UploadFile, max_original_bytes: u64) -> Result<(PhotoId, String), String> {
    let id = PhotoId::parse(&file.id)
        .ok_or_else(|| "the id must be the file's SHA-256 in lowercase hex".to_owned())?;
    checks::filename(&file.filename)?;
    checks::original_size(file.bytes, max_original_bytes)?;
    let content_type = checks::original_type(&file.content_type)?;
    match (&file.thumb, &file.web) {
        (Some(thumb), Some(web)) => {
            checks::preview("thumbnail", thumb.bytes, &thumb.content_type)?;
            checks::preview("web view", web.bytes, &web.content_type)?;
        }
        (None, None) => {}
        _ => return Err("send both previews or neither".to_owned()),
    }
    Ok((id, content_type))
}

/// The upload `file.resume` names, with the parts the store holds of it, when
/// the store still has it; a new one otherwise (it finished, was given up or
/// expired, or never was this key's: the store knows no such upload).
async fn in_parts_upload(
    state: &ApiState,
    key: &ObjectKey,
    content_type: &str,
    plan: PartPlan,
    file: &UploadFile,
) -> Result<PartsUpload, ApiError> {
    if let Some(upload_id) = file
        .resume
        .as_ref()
        .filter(|upload_id| checks::upload_id(upload_id).is_ok())
        && let Some(parts) = state.objects.list_parts(key, upload_id).await?
    {
        let stored = parts
            .iter()
            .filter(|part| plan.part(part.number).map(|(_, length)| length) == Some(part.bytes))
            .map(|part| part.number)
            .collect();
        return Ok(PartsUpload {
            upload_id: upload_id.clone(),
            plan,
            stored,
        });
    }
    Ok(PartsUpload {
        upload_id: state.objects.create_multipart(key, content_type).await?,
        plan,
        stored: Vec::new(),
    })
}

fn refused(file: &UploadFile, message: String) -> UploadAnswer {
    UploadAnswer::Refused {
        id: file.id.clone(),
        error: ErrorDetail {
            code: "file_refused".to_owned(),
            message,
        },
    }
}

async fn targets(
    state: &ApiState,
    owner: &Owner,
    id: &PhotoId,
    content_type: &str,
    file: &UploadFile,
    in_parts: bool,
) -> Result<UploadTargets, ApiError> {
    let key = ObjectKey::original(owner, id);
    let original = match PartPlan::for_size(file.bytes) {
        Some(plan) if in_parts && file.bytes >= MULTIPART_THRESHOLD => {
            OriginalTarget::InParts(in_parts_upload(state, &key, content_type, plan, file).await?)
        }
        _ => OriginalTarget::Whole(state.objects.presign_put(&key, content_type, file.bytes)?),
    };
    let preview = |variant, preview: &Option<api_types::upload::PreviewFile>| {
        preview
            .as_ref()
            .map(|preview| {
                let key = ObjectKey::preview(owner, id, variant, &preview.content_type)
                    .ok_or_else(|| ApiError::BadRequest("bad preview type".into()))?;
                Ok::<_, ApiError>(state.objects.presign_put(
                    &key,
                    &preview.content_type,
                    preview.bytes,
                )?)
            })
            .transpose()
    };
    Ok(UploadTargets {
        original,
        thumb: preview(Variant::Thumb, &file.thumb)?,
        web: preview(Variant::Web, &file.web)?,
    })
}
