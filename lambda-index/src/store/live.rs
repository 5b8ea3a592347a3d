//! A Live Photo's two halves, joined: an iPhone writes a still (HEIC or JPEG)
//! and a short video (MOV) that share a content identifier
//! (`Metadata::live_id`). Each is committed as a photo of its own, kept
//! byte for byte; once both are indexed, whichever came first and however far
//! apart, the still plays the video and the video leaves the timeline.

use api_types::photo::LiveVideo;

use super::{IndexError, LiveHalf, PhotoIndex, PhotoRecord};

/// Notes `record` as its Live Photo's half and, when the other half is there,
/// joins them. Run on every commit of a half, a retried one too: a first try
/// that stopped between its insert and the join is finished by the next; and
/// for each record a rebuild of the index puts back (`recovery`).
pub async fn pair(index: &dyn PhotoIndex, record: &PhotoRecord) -> Result<(), IndexError> {
    let Some(live_id) = &record.details.metadata.live_id else {
        return Ok(());
    };
    let half = if record.details.video.is_some() {
        LiveHalf::Video
    } else {
        LiveHalf::Still
    };
    let pair = index
        .note_live(&record.owner, live_id, half, &record.id)
        .await?;
    let (Some(still), Some(video)) = (pair.still, pair.video) else {
        return Ok(());
    };
    let video = match half {
        LiveHalf::Video => record.clone(),
        LiveHalf::Still => match index.get(&record.owner, &video).await? {
            Some(video) => video,
            // Noted, then deleted: the still stays a still.
            None => return Ok(()),
        },
    };
    let joined = index
        .join_live(
            &record.owner,
            &still,
            &LiveVideo {
                id: video.id.to_string(),
                duration_ms: video.details.video.as_ref().and_then(|v| v.duration_ms),
            },
        )
        .await?;
    if joined {
        tracing::info!(user = record.owner.as_str(), %still, video = %video.id, "Live Photo joined");
    }
    Ok(())
}
