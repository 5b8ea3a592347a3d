//! `POST /photos`: commit a photo whose files the browser has put in the store.
//! An original sent in parts is put together first, once every part is there.
//! Nothing is indexed unless the original and both previews (when promised) are
//! there with exactly the promised sizes; committing twice changes nothing.

use api_types::{
    photo::{Imported, MAX_DESCRIPTION_CHARS, MAX_VIDEO_DURATION_MS, Metadata, PhotoDetails},
    upload::{CommitAnswer, CommitPhoto, CommitStatus, CommittedPreview, parts::PartPlan},
};
use axum::{Json, extract::State, http::StatusCode};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{care, checks, json::JsonBody, owner};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{
        self, Inserted, Lifecycle, ObjectKey, Owner, PhotoId, PhotoRecord, PhotoState, StateChange,
        Variant, record_object,
    },
};

/// Longest ThumbHash we store (they are about 25 bytes, 36 in base64).
const MAX_PLACEHOLDER_CHARS: usize = 100;
/// Longest camera, lens or exposure text we store.
const MAX_LABEL_CHARS: usize = 200;

pub(crate) async fn commit(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    JsonBody(commit): JsonBody<CommitPhoto>,
) -> Result<(StatusCode, Json<CommitAnswer>), ApiError> {
    let owner = owner(&user)?;
    let (id, taken_at, content_type) = check(&commit, state.limits.max_original_bytes)
        .map_err(|why| ApiError::BadRequest(format!("Cannot commit {}: {why}.", commit.id)))?;
    let answer = |status| {
        Json(CommitAnswer {
            id: commit.id.clone(),
            status,
        })
    };
    if let Some(existing) = state.index.get(&owner, &id).await? {
        // Uploads never replace a stored file (If-None-Match), so no other
        // upload can have marked these pending again; keeping them once more
        // costs three requests on a rare path and holds even on a store that
        // ignored the condition.
        keep_files(
            &state,
            &files_of(&owner, &id, &existing.thumb, &existing.web),
            plays(&existing.details),
        )
        .await?;
        if let Some(upload_id) = &commit.upload_id {
            // Parts sent for a photo already kept are only bytes to pay for.
            let original = ObjectKey::original(&owner, &id);
            state.objects.abort_multipart(&original, upload_id).await?;
        }
        if existing.state.trashed_at.is_some() {
            // Sent again from the trash: its owner wants it back.
            care::apply(&state, &owner, &id, StateChange::Restore).await?;
        } else {
            // A photo committed before records were kept gets its record now.
            keep_record(&state, &existing).await?;
        }
        store::live::pair(state.index.as_ref(), &existing).await?;
        return Ok((StatusCode::OK, answer(CommitStatus::AlreadyCommitted)));
    }
    if let Some(upload_id) = &commit.upload_id {
        let original = ObjectKey::original(&owner, &id);
        put_together(&state, &original, upload_id, commit.details.bytes).await?;
    }
    let files = files_of(&owner, &id, &commit.thumb, &commit.web);
    verify_files(&state, &id, &commit, &files).await?;
    // Before the index: a listed photo whose files then expired would be lost,
    // while files kept for a photo that failed to be listed are only bytes.
    keep_files(&state, &files, plays(&commit.details)).await?;
    let record = PhotoRecord {
        owner,
        id,
        taken_at,
        uploaded_at: OffsetDateTime::now_utc(),
        details: PhotoDetails {
            content_type,
            metadata: trimmed(commit.details.metadata.clone()),
            ..commit.details.clone()
        },
        thumb: commit.thumb.clone(),
        web: commit.web.clone(),
        live: None,
        // A photo imported from another app keeps the marks it had there.
        state: commit
            .details
            .imported
            .as_ref()
            .map_or_else(PhotoState::default, |imported| {
                PhotoState::imported(imported.favorite, imported.archived)
            }),
    };
    // Before the index too: whatever the index lists, the bucket can list again.
    keep_record(&state, &record).await?;
    let (status, stored) = match state.index.insert(&record).await? {
        Inserted::New => (CommitStatus::Committed, record),
        Inserted::AlreadyThere(stored) => (CommitStatus::AlreadyCommitted, *stored),
    };
    store::live::pair(state.index.as_ref(), &stored).await?;
    let code = match status {
        CommitStatus::Committed => StatusCode::CREATED,
        CommitStatus::AlreadyCommitted => StatusCode::OK,
    };
    Ok((code, answer(status)))
}

/// The photo's record, kept beside its original ([`record_object`]).
pub(crate) async fn keep_record(state: &ApiState, record: &PhotoRecord) -> Result<(), ApiError> {
    let body = record_object::encode(record)?;
    let key = ObjectKey::photo_record(&record.owner, &record.id);
    state
        .objects
        .put(&key, body, record_object::CONTENT_TYPE)
        .await?;
    Ok(())
}

/// The photo's id, capture time and normalised content type, or why not.
fn check(
    commit: &CommitPhoto,
    max_original_bytes: u64,
) -> Result<(PhotoId, OffsetDateTime, String), String> {
    let id = PhotoId::parse(&commit.id)
        .ok_or_else(|| "the id must be the file's SHA-256 in lowercase hex".to_owned())?;
    checks::filename(&commit.details.filename)?;
    checks::original_size(commit.details.bytes, max_original_bytes)?;
    let content_type = checks::original_type(&commit.details.content_type)?;
    let taken_at = OffsetDateTime::parse(&commit.taken_at, &Rfc3339)
        .map_err(|_| format!("taken_at {:?} is not an RFC 3339 time", commit.taken_at))?;
    match (&commit.thumb, &commit.web) {
        (Some(thumb), Some(web)) => {
            preview("thumbnail", thumb)?;
            preview("web view", web)?;
        }
        (None, None) => {}
        _ => return Err("send both previews or neither".to_owned()),
    }
    if let Some(upload_id) = &commit.upload_id {
        checks::upload_id(upload_id)?;
    }
    if let Some(live_id) = &commit.details.metadata.live_id {
        checks::live_id(live_id)?;
    }
    if let Some(motion) = &commit.details.motion
        && (motion.start == 0
            || motion.bytes == 0
            || motion.start.checked_add(motion.bytes) != Some(commit.details.bytes))
    {
        return Err("a motion photo's clip must end where the file does".to_owned());
    }
    if commit
        .details
        .video
        .as_ref()
        .and_then(|video| video.duration_ms)
        .is_some_and(|ms| ms > MAX_VIDEO_DURATION_MS)
    {
        return Err("a video's duration must be under 48 hours".to_owned());
    }
    if let Some(imported) = &commit.details.imported {
        imported_facts(imported)?;
    }
    let dimension = |value: Option<u32>| value.is_none_or(|n| (1..=1_000_000).contains(&n));
    if !dimension(commit.details.width) || !dimension(commit.details.height) {
        return Err("width and height must be between 1 and 1000000".to_owned());
    }
    if commit
        .details
        .placeholder
        .as_ref()
        .is_some_and(|p| p.len() > MAX_PLACEHOLDER_CHARS)
    {
        return Err("the placeholder is too long".to_owned());
    }
    Ok((id, taken_at, content_type))
}

/// What an import brought along: short, and an edit's original named by its id.
fn imported_facts(imported: &Imported) -> Result<(), String> {
    if imported.from.is_empty() || imported.from.len() > 32 {
        return Err("imported.from must name the app, in 1 to 32 characters".to_owned());
    }
    if imported
        .description
        .as_ref()
        .is_some_and(|text| text.chars().count() > MAX_DESCRIPTION_CHARS)
    {
        return Err(format!(
            "a description must be at most {MAX_DESCRIPTION_CHARS} characters"
        ));
    }
    if let Some(original) = &imported.edit_of
        && PhotoId::parse(original).is_none()
    {
        return Err("imported.edit_of must be a photo's id".to_owned());
    }
    Ok(())
}

fn preview(variant: &str, preview: &CommittedPreview) -> Result<(), String> {
    checks::preview(variant, preview.bytes, &preview.content_type)?;
    if !(1..=4096).contains(&preview.width) || !(1..=4096).contains(&preview.height) {
        return Err(format!(
            "the {variant}'s size must be 1 to 4096 pixels a side"
        ));
    }
    Ok(())
}

/// Camera labels are the file's own EXIF: keep them, but not without bound.
fn trimmed(mut metadata: Metadata) -> Metadata {
    for text in [
        &mut metadata.camera,
        &mut metadata.lens,
        &mut metadata.exposure_time,
    ]
    .into_iter()
    .flatten()
    {
        if text.chars().count() > MAX_LABEL_CHARS {
            *text = text.chars().take(MAX_LABEL_CHARS).collect();
        }
    }
    metadata
}

fn files_of(
    owner: &Owner,
    id: &PhotoId,
    thumb: &Option<CommittedPreview>,
    web: &Option<CommittedPreview>,
) -> Vec<(Variant, ObjectKey)> {
    ObjectKey::photo_files(
        owner,
        id,
        thumb.as_ref().map(|thumb| thumb.content_type.as_str()),
        web.as_ref().map(|web| web.content_type.as_str()),
    )
}

/// Whether the photo plays from its original (a video, a Live Photo's video,
/// a motion photo's clip), which must then stay where it streams.
fn plays(details: &PhotoDetails) -> bool {
    details.video.is_some() || details.motion.is_some()
}

/// Takes the photo's files out of the pending uploads, all at once, the
/// original tagged for the lifecycle as what it is.
async fn keep_files(
    state: &ApiState,
    files: &[(Variant, ObjectKey)],
    plays: bool,
) -> Result<(), ApiError> {
    let lifecycle = |variant: Variant| match variant {
        Variant::Original if plays => Lifecycle::Playable,
        Variant::Original => Lifecycle::Original,
        Variant::Thumb | Variant::Web | Variant::Shareable => Lifecycle::Hot,
    };
    futures::future::try_join_all(
        files
            .iter()
            .map(|(variant, key)| state.objects.keep(key, lifecycle(*variant))),
    )
    .await?;
    Ok(())
}

/// Finishes the original's multipart upload once the store holds every part of
/// the plan for its size. An upload that is gone was finished by an earlier
/// try of this commit, or expired: [`verify_files`] then tells which.
async fn put_together(
    state: &ApiState,
    original: &ObjectKey,
    upload_id: &str,
    bytes: u64,
) -> Result<(), ApiError> {
    let Some(stored) = state.objects.list_parts(original, upload_id).await? else {
        return Ok(());
    };
    let plan = PartPlan::for_size(bytes)
        .ok_or_else(|| ApiError::BadRequest("The file is empty.".to_owned()))?;
    let mut parts = Vec::with_capacity(plan.parts as usize);
    let mut missing = Vec::new();
    for number in 1..=plan.parts {
        let length = plan.part(number).map(|(_, length)| length);
        match stored.iter().find(|part| part.number == number) {
            Some(part) if Some(part.bytes) == length => parts.push(part.clone()),
            _ => missing.push(number),
        }
    }
    if let Some(first) = missing.first() {
        return Err(ApiError::UploadIncomplete(format!(
            "Cannot commit yet: {} of the original's {} parts are not uploaded (part {first} first).",
            missing.len(),
            plan.parts
        )));
    }
    // `false` is an original already there, which the size check then judges.
    state
        .objects
        .complete_multipart(original, upload_id, &parts)
        .await?;
    Ok(())
}

/// Each promised file is in the store with its promised size; all three are asked
/// at once.
async fn verify_files(
    state: &ApiState,
    id: &PhotoId,
    commit: &CommitPhoto,
    files: &[(Variant, ObjectKey)],
) -> Result<(), ApiError> {
    let promised = |variant: Variant| match variant {
        Variant::Original => Some(commit.details.bytes),
        Variant::Thumb => commit.thumb.as_ref().map(|thumb| thumb.bytes),
        Variant::Web => commit.web.as_ref().map(|web| web.bytes),
        Variant::Shareable => None,
    };
    let expected: Vec<_> = files
        .iter()
        .filter_map(|(variant, key)| Some((*variant, key, promised(*variant)?)))
        .collect();
    let sizes =
        futures::future::join_all(expected.iter().map(|(_, key, _)| state.objects.size(key))).await;
    let mut problems = Vec::new();
    for ((variant, _, promised), size) in expected.iter().zip(sizes) {
        match size? {
            None => problems.push(format!("the {} is not uploaded", variant.name())),
            Some(found) if found != *promised => problems.push(format!(
                "the {} has {found} bytes, not the {promised} promised",
                variant.name()
            )),
            Some(_) => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::UploadIncomplete(format!(
            "Cannot commit {id} yet: {}.",
            problems.join("; ")
        )))
    }
}
