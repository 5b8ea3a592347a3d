//! `POST /public/{token}/photos/{id}/play`: what moves, for a share link's
//! visitor where the link keeps the location private: a video, a Live
//! Photo's video, or a motion photo's clip. Its original may say where it was
//! taken in its own boxes (and a motion photo's picture in its EXIF), so the
//! visitor gets a copy without them ([`crate::scrub`]), made in the store the
//! first time any such link plays it and kept (`u/{sub}/s/{id}`, under the
//! id of the file it was made of) until it is deleted; or the original
//! itself when it has nothing to hide. A video that cannot be copied so (a
//! GoPro's GPS track, a WebM) is refused, and says why.
//!
//! The same one lookup of the link as its page; a photo outside its album is
//! the same 404 as an unknown link.

use std::ops::Range;

use api_types::photo::PlayAnswer;
use axum::{
    Json,
    extract::{Path, State},
};

use super::{public, shown};
use crate::{
    ApiError, ApiState,
    scrub::copy::{CopyError, Placeless, Source, make},
    store::{ObjectKey, Owner, PhotoId, PhotoRecord},
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
    let moving = Moving::of(&state, &share.owner, &record).await?;
    let original = ObjectKey::original(&share.owner, &moving.id);
    let copy = ObjectKey::shareable(&share.owner, &moving.id);
    let plays = if state.objects.size(&copy).await?.is_some() {
        copy
    } else {
        let source = Source {
            key: &original,
            range: moving.range,
            is_whole: moving.is_whole,
        };
        match make(state.objects.as_ref(), &source, &copy).await {
            Ok(Placeless::Original) => original,
            Ok(Placeless::Copy) => {
                tracing::info!(user = share.owner.as_str(), photo = %moving.id, "copy to share made");
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

/// Where what moves in `record` is: the file (by its id) and its bytes.
struct Moving {
    id: PhotoId,
    range: Range<u64>,
    is_whole: bool,
}

impl Moving {
    async fn of(state: &ApiState, owner: &Owner, record: &PhotoRecord) -> Result<Moving, ApiError> {
        let stored_wrong =
            |what: &str| ApiError::Internal(format!("bad stored {what} for {}", record.id));
        if let Some(live) = &record.live {
            // The still's Live Photo video: a file (and a record) of its own.
            let id = PhotoId::parse(&live.id).ok_or_else(|| stored_wrong("Live Photo video"))?;
            let video = state
                .index
                .get(owner, &id)
                .await?
                .ok_or(ApiError::NotFound)?;
            if !shown::is_iso_media(&video.details.content_type) {
                return Err(ApiError::Unshareable(
                    "This Live Photo's video can't be played on a link that keeps the location \
                     private."
                        .to_owned(),
                ));
            }
            return Ok(Moving {
                id,
                range: 0..video.details.bytes,
                is_whole: true,
            });
        }
        if let Some(motion) = &record.details.motion {
            // The clip after the picture: its own file once copied.
            let end = motion
                .start
                .checked_add(motion.bytes)
                .filter(|end| *end <= record.details.bytes && motion.bytes > 0)
                .ok_or_else(|| stored_wrong("motion photo clip"))?;
            return Ok(Moving {
                id: record.id.clone(),
                range: motion.start..end,
                is_whole: false,
            });
        }
        Ok(Moving {
            id: record.id.clone(),
            range: 0..record.details.bytes,
            is_whole: true,
        })
    }
}
