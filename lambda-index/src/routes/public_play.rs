//! `POST /public/{token}/photos/{id}/play`: a video for a share link's visitor
//! where the link keeps the location private. Its original may say where it
//! was taken in its own boxes, so the visitor gets a copy without them
//! ([`crate::scrub`]), made in the store the first time any such link plays
//! it and kept (`u/{sub}/s/{id}`) until the video is deleted; or the
//! original itself when it has nothing to hide. A video that cannot be
//! copied so (a GoPro's GPS track, a WebM) is refused, and says why.
//!
//! The same one lookup of the link as its page; a photo outside its album is
//! the same 404 as an unknown link.

use api_types::photo::PlayAnswer;
use axum::{
    Json,
    extract::{Path, State},
};

use super::{public, shown};
use crate::{
    ApiError, ApiState,
    scrub::copy::{CopyError, Placeless, make},
    store::{ObjectKey, PhotoId},
};

pub(crate) async fn play(
    State(state): State<ApiState>,
    Path((token, id)): Path<(String, String)>,
) -> Result<Json<PlayAnswer>, ApiError> {
    let share = public::open(&state, &token).await?;
    let id = PhotoId::parse(&id).ok_or(ApiError::NotFound)?;
    if !state.albums.holds(&share.owner, &share.album, &id).await? {
        return Err(ApiError::NotFound);
    }
    let record = state
        .index
        .get(&share.owner, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let shown = shown::shared_photo(&state, &record, &share)?;
    if let Some(play_url) = shown.play_url {
        // The link shows the location: the original plays as it is.
        return Ok(Json(PlayAnswer { play_url }));
    }
    if !shown.play_on_request {
        return Err(ApiError::Unshareable(
            "This can't be played on a link that keeps the location private.".to_owned(),
        ));
    }
    let original = ObjectKey::original(&share.owner, &id);
    let copy = ObjectKey::shareable(&share.owner, &id);
    let plays = if state.objects.size(&copy).await?.is_some() {
        copy
    } else {
        match make(
            state.objects.as_ref(),
            &original,
            record.details.bytes,
            &copy,
        )
        .await
        {
            Ok(Placeless::Original) => original,
            Ok(Placeless::Copy) => {
                tracing::info!(user = share.owner.as_str(), photo = %id, "copy to share made");
                copy
            }
            Err(CopyError::Unshareable(why)) => {
                return Err(ApiError::Unshareable(format!(
                    "This video can't be played here without where it was taken: {why}. \
                     Its owner can share it with the location shown."
                )));
            }
            Err(CopyError::Store(error)) => return Err(error.into()),
        }
    };
    Ok(Json(PlayAnswer {
        play_url: state.objects.presign_get(&plays)?,
    }))
}
