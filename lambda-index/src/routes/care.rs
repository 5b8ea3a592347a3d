//! How an owner keeps photos: `POST /photos/changes` favours, archives,
//! trashes, restores or deletes for good up to 100 photos at a time, each
//! independently: another user's photo (or none) is reported not found and
//! nothing of theirs changes; a photo that cannot take the change is refused
//! with why; the rest are done.
//!
//! Every change goes through [`apply`]: the index first (which moves the photo
//! between views atomically for its own record), then the record kept in the
//! bucket, so a rebuilt index has the photo back as it was kept.

use api_types::care::{
    ChangesAnswer, MAX_CHANGES_PER_REQUEST, PhotoChange, PhotoChanges, RefusedChange,
};
use axum::{Json, extract::State};
use futures::{StreamExt, TryStreamExt, stream};
use time::OffsetDateTime;

use super::{json::JsonBody, owner, photo::take_delete, photos::keep_record};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    purge,
    store::{Owner, PhotoId, PhotoRecord, StateChange},
};

/// Photos changed at once within one request.
const IN_FLIGHT: usize = 8;

/// What happened to one photo.
enum Outcome {
    Done,
    NotFound,
    Refused(String),
}

pub(crate) async fn changes(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    JsonBody(request): JsonBody<PhotoChanges>,
) -> Result<Json<ChangesAnswer>, ApiError> {
    let owner = owner(&user)?;
    if request.ids.is_empty() || request.ids.len() > MAX_CHANGES_PER_REQUEST {
        return Err(ApiError::BadRequest(format!(
            "Change 1 to {MAX_CHANGES_PER_REQUEST} photos at a time."
        )));
    }
    let now = OffsetDateTime::now_utc();
    let mut answer = ChangesAnswer::default();
    let work: Vec<_> = request
        .ids
        .iter()
        .map(|id| change_one(&state, &owner, id, request.change, now))
        .collect();
    let outcomes: Vec<Outcome> = stream::iter(work).buffered(IN_FLIGHT).try_collect().await?;
    for (id, outcome) in request.ids.iter().zip(outcomes) {
        report(&mut answer, id, outcome);
    }
    tracing::info!(
        user = owner.as_str(),
        change = ?request.change,
        done = answer.done.len(),
        not_found = answer.not_found.len(),
        refused = answer.refused.len(),
        "photos changed"
    );
    Ok(Json(answer))
}

fn report(answer: &mut ChangesAnswer, id: &str, outcome: Outcome) {
    match outcome {
        Outcome::Done => answer.done.push(id.to_owned()),
        Outcome::NotFound => answer.not_found.push(id.to_owned()),
        Outcome::Refused(message) => answer.refused.push(RefusedChange {
            id: id.to_owned(),
            message,
        }),
    }
}

async fn change_one(
    state: &ApiState,
    owner: &Owner,
    id: &str,
    change: PhotoChange,
    now: OffsetDateTime,
) -> Result<Outcome, ApiError> {
    let Some(id) = PhotoId::parse(id) else {
        return Ok(Outcome::NotFound);
    };
    let change = match change {
        PhotoChange::Favorite => StateChange::Favorite(true),
        PhotoChange::Unfavorite => StateChange::Favorite(false),
        PhotoChange::Archive => StateChange::Archive(true),
        PhotoChange::Unarchive => StateChange::Archive(false),
        PhotoChange::Trash => StateChange::Trash { at: now },
        PhotoChange::Restore => {
            let Some(record) = state.index.get(owner, &id).await? else {
                return Ok(Outcome::NotFound);
            };
            if record.state.due_for_purge(now) {
                return Ok(Outcome::Refused(format!(
                    "{} was in the trash for {} days and is being deleted for good: it can no \
                     longer be restored.",
                    record.details.filename,
                    crate::store::TRASH_DAYS
                )));
            }
            StateChange::Restore
        }
        PhotoChange::DeleteForever => {
            // Past the hour's allowance, each is refused with the same words.
            return match delete_forever(state, owner, &id).await {
                Err(ApiError::TooManyRequests { message, .. }) => Ok(Outcome::Refused(message)),
                other => other,
            };
        }
    };
    Ok(match apply(state, owner, &id, change).await? {
        Some(_) => Outcome::Done,
        None => Outcome::NotFound,
    })
}

async fn delete_forever(
    state: &ApiState,
    owner: &Owner,
    id: &PhotoId,
) -> Result<Outcome, ApiError> {
    let Some(record) = state.index.get(owner, id).await? else {
        return Ok(Outcome::NotFound);
    };
    if record.state.trashed_at.is_none() {
        return Ok(Outcome::Refused(format!(
            "{} is not in the trash: only photos in the trash can be deleted for good.",
            record.details.filename
        )));
    }
    let taken = take_delete(state, owner).await?;
    purge::delete_for_good(state.objects.as_ref(), state.index.as_ref(), &record).await?;
    // Who deleted what, and how many this hour: never the token or a URL.
    tracing::info!(user = owner.as_str(), photo = %id, deleted_this_hour = taken, "photo deleted for good");
    Ok(Outcome::Done)
}

/// Applies `change` to the owner's photo, in the index and then in the
/// record kept in the bucket; the record as it now is, or `None` when the
/// owner has no such photo.
pub(crate) async fn apply(
    state: &ApiState,
    owner: &Owner,
    id: &PhotoId,
    change: StateChange,
) -> Result<Option<PhotoRecord>, ApiError> {
    let Some(changed) = state.index.change(owner, id, change).await? else {
        return Ok(None);
    };
    // Written again even when nothing changed: a repeat after a failure here
    // brings the bucket's copy up to date.
    keep_record(state, &changed).await?;
    Ok(Some(changed))
}
