//! The library the second stored-record fixtures hold
//! (`lambda-index/tests/fixtures/records/dynamodb-items-2026-12-07.json`,
//! `local/tests/fixtures/library-2026-12-07/`): what the code of 2026-12-07
//! wrote for a camera roll's moving pictures (a video, an Android motion
//! photo, and an iPhone Live Photo whose still and video the index joined),
//! kept so each later version proves it still reads them. Made by [`write`]
//! through that version's indexes.

use api_types::photo::{LiveVideo, MotionVideo, VideoFacts};
use time::macros::{date, datetime};

use super::record;
use crate::store::{DayCount, LiveHalf, Owner, PhotoIndex, PhotoRecord, View};

pub fn owner() -> Owner {
    Owner::new("fixture-owner-2026-12-07").expect("a usable owner")
}

/// The content identifier both halves of the Live Photo carry.
pub const LIVE_ID: &str = "5F1E0D2C-3B4A-4968-8776-A5B4C3D2E1F0";

/// A phone's video, with its poster as previews.
pub fn clip() -> PhotoRecord {
    let mut clip = record(&owner(), "clip", datetime!(2024-07-14 21:05:09 +02:00));
    clip.details.filename = "VID_20240714_210509.mp4".into();
    clip.details.content_type = "video/mp4".into();
    clip.details.bytes = 48_213_004;
    clip.details.width = Some(1080);
    clip.details.height = Some(1920);
    clip.details.video = Some(VideoFacts {
        duration_ms: Some(31_480),
    });
    clip
}

/// An Android motion photo: a JPEG with its clip after the picture.
pub fn motion_photo() -> PhotoRecord {
    let mut motion = record(&owner(), "motion", datetime!(2024-07-14 20:58:41 +02:00));
    motion.details.filename = "PXL_20240714_185841123.MP.jpg".into();
    motion.details.bytes = 6_904_512;
    motion.details.motion = Some(MotionVideo {
        start: 3_102_977,
        bytes: 3_801_535,
        duration_ms: Some(2_967),
    });
    motion
}

/// The Live Photo's still, as it was committed (before the join).
pub fn live_still() -> PhotoRecord {
    let mut still = record(
        &owner(),
        "live-still",
        datetime!(2024-07-14 20:41:17 +02:00),
    );
    still.details.filename = "IMG_4242.HEIC".into();
    still.details.content_type = "image/heic".into();
    still.details.metadata.live_id = Some(LIVE_ID.into());
    still
}

/// The Live Photo's video.
pub fn live_video() -> PhotoRecord {
    let mut video = record(
        &owner(),
        "live-video",
        datetime!(2024-07-14 20:41:17 +02:00),
    );
    video.details.filename = "IMG_4242.MOV".into();
    video.details.content_type = "video/quicktime".into();
    video.details.bytes = 3_512_881;
    video.details.width = Some(1440);
    video.details.height = Some(1920);
    video.details.metadata.live_id = Some(LIVE_ID.into());
    video.details.video = Some(VideoFacts {
        duration_ms: Some(2_833),
    });
    video
}

/// What the join put on the still.
pub fn live() -> LiveVideo {
    LiveVideo {
        id: live_video().id.to_string(),
        duration_ms: Some(2_833),
    }
}

/// The still as the index holds it once joined.
pub fn joined_still() -> PhotoRecord {
    PhotoRecord {
        live: Some(live()),
        ..live_still()
    }
}

/// Puts the library into `index` as the app does: each file committed, the
/// Live Photo's halves noted by their identifier (the video first), then joined.
pub async fn write<I: PhotoIndex + ?Sized>(index: &I) {
    let owner = owner();
    for photo in [clip(), motion_photo(), live_video(), live_still()] {
        index.insert(&photo).await.expect("insert");
    }
    let video = live_video().id;
    let still = live_still().id;
    index
        .note_live(&owner, LIVE_ID, LiveHalf::Video, &video)
        .await
        .expect("note the video");
    index
        .note_live(&owner, LIVE_ID, LiveHalf::Still, &still)
        .await
        .expect("note the still");
    assert!(
        index
            .join_live(&owner, &still, &live())
            .await
            .expect("join"),
        "the still is there to join"
    );
}

/// Checks that `index`, holding the library as the code of 2026-12-07 wrote
/// it, reads back the video, the motion photo's clip and the joined Live Photo
/// as they were: the Live Photo's video indexed but out of the timeline and of
/// its day's count, and found again by its identifier.
pub async fn reads_the_library<I: PhotoIndex + ?Sized>(index: &I) {
    let owner = owner();
    for photo in [clip(), motion_photo(), joined_still(), live_video()] {
        assert_eq!(
            index.get(&owner, &photo.id).await.expect("get"),
            Some(photo.clone()),
            "{} reads as written",
            photo.details.filename
        );
    }
    assert_eq!(
        index
            .page(&owner, View::Timeline, None, 10)
            .await
            .expect("page"),
        [clip(), motion_photo(), joined_still()],
        "the timeline: the Live Photo's video is played through its still"
    );
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [DayCount {
            day: date!(2024 - 07 - 14),
            count: 3
        }]
    );
    let pair = index
        .note_live(&owner, LIVE_ID, LiveHalf::Still, &live_still().id)
        .await
        .expect("note again");
    assert_eq!(
        (pair.still, pair.video),
        (Some(live_still().id), Some(live_video().id)),
        "the halves are still paired by their identifier"
    );
}
