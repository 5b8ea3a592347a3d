//! Live Photos: a still and a video that share a content identifier, joined by
//! [`PhotoIndex::note_live`] and [`PhotoIndex::join_live`] whichever is indexed
//! first. The photo check runs with the others; the album one with the album
//! checks (`albums.rs` names it).

use api_types::photo::{LiveVideo, VideoFacts};

use super::{albums::Indexes, at, day, fresh_owner, ids, insert_all, record, walk};
use crate::store::{AlbumId, DayCount, LiveHalf, LivePair, Owner, PhotoIndex, PhotoRecord, View};

/// A Live Photo of `owner`: its still and its video, taken the same second.
fn live_photo(owner: &Owner, seed: &str) -> (PhotoRecord, PhotoRecord, LiveVideo) {
    let taken = at(2024, 5, 1, 10, 0, 2);
    let still = record(owner, &format!("{seed}-still"), taken);
    let mut video = record(owner, &format!("{seed}-video"), taken);
    video.details.filename = format!("IMG_{seed}.MOV");
    video.details.content_type = "video/quicktime".into();
    video.details.video = Some(VideoFacts {
        duration_ms: Some(2_900),
    });
    let live = LiveVideo {
        id: video.id.to_string(),
        duration_ms: Some(2_900),
    };
    (still, video, live)
}

pub async fn a_live_photos_video_leaves_the_timeline_once_joined(index: &dyn PhotoIndex) {
    let owner = fresh_owner("live");
    let (still, video, live) = live_photo(&owner, "0042");
    let other = record(&owner, "other", at(2024, 5, 1, 9, 0, 2));
    insert_all(index, &[video.clone(), other.clone()]).await;

    // The video first: alone, it is a video in the timeline.
    assert_eq!(
        index
            .note_live(&owner, "LIVE-1", LiveHalf::Video, &video.id)
            .await
            .expect("note"),
        LivePair {
            still: None,
            video: Some(video.id.clone())
        }
    );
    assert!(
        !index
            .join_live(&owner, &still.id, &live)
            .await
            .expect("join"),
        "no still to join yet"
    );
    assert_eq!(walk(index, &owner, 10).await.len(), 2);

    // Then its still: the second half noted sees the first.
    insert_all(index, std::slice::from_ref(&still)).await;
    assert_eq!(
        index
            .note_live(&owner, "LIVE-1", LiveHalf::Still, &still.id)
            .await
            .expect("note"),
        LivePair {
            still: Some(still.id.clone()),
            video: Some(video.id.clone())
        }
    );
    for _ in 0..2 {
        assert!(
            index
                .join_live(&owner, &still.id, &live)
                .await
                .expect("join"),
            "joined, and again (a retried commit)"
        );
    }
    let timeline = walk(index, &owner, 1).await;
    assert_eq!(
        ids(&timeline),
        [still.id.clone(), other.id.clone()],
        "the video is shown by its still"
    );
    assert_eq!(timeline[0].live.as_ref(), Some(&live));
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [DayCount {
            day: day(2024, 5, 1),
            count: 2
        }],
        "the video is not counted twice"
    );
    // Still indexed: dedup finds it, and it can be read.
    assert_eq!(
        index
            .existing(&owner, std::slice::from_ref(&video.id))
            .await
            .expect("existing")
            .len(),
        1
    );
    assert_eq!(
        index
            .get(&owner, &video.id)
            .await
            .expect("get")
            .map(|v| v.id),
        Some(video.id.clone())
    );

    // Another owner's identifier is another pair.
    let stranger = fresh_owner("live-stranger");
    assert_eq!(
        index
            .note_live(&stranger, "LIVE-1", LiveHalf::Still, &still.id)
            .await
            .expect("note")
            .video,
        None
    );

    // Removing the video takes nothing more off its day; the still's does.
    index.remove(&owner, &video.id).await.expect("remove");
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts")[0]
            .count,
        2
    );
    index.remove(&owner, &still.id).await.expect("remove");
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts")[0]
            .count,
        1
    );
}

/// An album shows the still as the timeline does: playing its video, even
/// when the still was put in the album before the video arrived.
pub async fn a_joined_live_photo_plays_in_its_albums(indexes: &Indexes) {
    let (photos, albums) = (&*indexes.photos, &*indexes.albums);
    let owner = fresh_owner("live-album");
    let (still, video, live) = live_photo(&owner, "0043");
    insert_all(photos, std::slice::from_ref(&still)).await;
    let album = AlbumId::random().expect("id");
    let when = at(2024, 6, 1, 0, 0, 0);
    albums
        .create_album(&owner, &album, "Trip", when)
        .await
        .expect("create");
    albums
        .add_photos(&owner, &album, std::slice::from_ref(&still.id), when)
        .await
        .expect("add")
        .expect("the album");
    insert_all(photos, std::slice::from_ref(&video)).await;
    assert!(
        photos
            .join_live(&owner, &still.id, &live)
            .await
            .expect("join")
    );
    let page = albums
        .album_page(&owner, &album, None, 10)
        .await
        .expect("page");
    assert_eq!(ids(&page), std::slice::from_ref(&still.id));
    assert_eq!(page[0].live.as_ref(), Some(&live));
    // One photo asked about (a link's visitor playing it): only what is in it.
    assert!(
        albums
            .holds(&owner, &album, &still.id)
            .await
            .expect("holds")
    );
    assert!(
        !albums
            .holds(&owner, &album, &video.id)
            .await
            .expect("holds")
    );
    let stranger = fresh_owner("live-album-stranger");
    assert!(
        !albums
            .holds(&stranger, &album, &still.id)
            .await
            .expect("holds")
    );
    let other = AlbumId::random().expect("id");
    assert!(
        !albums
            .holds(&owner, &other, &still.id)
            .await
            .expect("holds")
    );
}
