//! The checks every index must pass for how owners keep photos
//! ([`PhotoIndex::change`]): favourites, the archive and the trash as views
//! that page and count, trashed photos out of albums until restored, and the
//! purge's queue across owners.

use api_types::photo::LiveVideo;
use time::{Duration, OffsetDateTime, macros::datetime};

use super::{albums::Indexes, fresh_owner, ids, insert_all, record, sorted_newest_first};
use crate::store::{
    AlbumId, Owner, PhotoId, PhotoIndex, PhotoRecord, PhotoState, Presence, StateChange, View,
};

/// Makes one `#[tokio::test]` per check, over the same makers as
/// [`crate::album_index_conformance`].
#[macro_export]
macro_rules! library_state_conformance {
    ($make:path) => {
        $crate::library_state_conformance!(@tests $make;
            each_change_moves_the_photo_between_views_and_their_counts,
            a_view_pages_newest_first_and_misses_nothing,
            a_trashed_photo_leaves_its_albums_and_comes_back_with_restore,
            the_purge_queue_holds_every_owners_trash_longest_first,
            changes_repeat_safely_and_never_reach_another_owner,
            changes_of_one_photo_at_once_all_land,
            a_record_kept_with_its_state_is_listed_by_it,
            a_removed_photo_leaves_every_view,
            a_live_photos_video_changes_only_with_its_still,
        );
    };
    (@tests $make:path; $($check:ident,)*) => {
        $(
            #[tokio::test]
            async fn $check() {
                if let Some(indexes) = $make().await {
                    $crate::store::conformance::state::$check(&indexes).await;
                }
            }
        )*
    };
}

const NOW: OffsetDateTime = datetime!(2026-12-07 12:00 UTC);

/// Every photo of `view`, paged two at a time.
async fn listed(index: &dyn PhotoIndex, owner: &Owner, view: View) -> Vec<PhotoId> {
    let mut all: Vec<PhotoRecord> = Vec::new();
    loop {
        let after = all.last().map(PhotoRecord::position);
        let page = index
            .page(owner, view, after.as_ref(), 2)
            .await
            .expect("page");
        let done = page.len() < 2;
        all.extend(page);
        if done {
            return ids(&all);
        }
    }
}

/// How many photos `view`'s day counts add up to.
async fn total(index: &dyn PhotoIndex, owner: &Owner, view: View) -> u32 {
    index
        .day_counts(owner, view, None)
        .await
        .expect("counts")
        .iter()
        .map(|day| day.count)
        .sum()
}

/// Where each view stands: its photos (paged) and its count, which must agree.
async fn views(index: &dyn PhotoIndex, owner: &Owner) -> [Vec<PhotoId>; 4] {
    let mut all: [Vec<PhotoId>; 4] = Default::default();
    for (at, view) in View::ALL.into_iter().enumerate() {
        all[at] = listed(index, owner, view).await;
        assert_eq!(
            total(index, owner, view).await as usize,
            all[at].len(),
            "{view:?} is counted as it lists"
        );
    }
    all
}

async fn change(index: &dyn PhotoIndex, photo: &PhotoRecord, change: StateChange) -> PhotoRecord {
    index
        .change(&photo.owner, &photo.id, change)
        .await
        .expect("change")
        .expect("the photo is there")
}

/// `count` photos a day apart, newest first.
async fn library(index: &dyn PhotoIndex, owner: &Owner, count: i64) -> Vec<PhotoRecord> {
    let made: Vec<PhotoRecord> = (0..count)
        .map(|n| {
            record(
                owner,
                &format!("kept-{n}"),
                datetime!(2025-06-30 12:00 +02:00) - Duration::days(n),
            )
        })
        .collect();
    insert_all(index, &made).await;
    made
}

pub async fn each_change_moves_the_photo_between_views_and_their_counts(indexes: &Indexes) {
    let index = indexes.photos.as_ref();
    let owner = fresh_owner("keeper");
    let made = library(index, &owner, 4).await;
    let [a, b, c, d] = [&made[0], &made[1], &made[2], &made[3]];
    let favorite = change(index, a, StateChange::Favorite(true)).await;
    assert!(favorite.state.favorite);
    change(index, b, StateChange::Archive(true)).await;
    change(index, b, StateChange::Favorite(true)).await;
    let trashed = change(index, c, StateChange::Trash { at: NOW }).await;
    assert_eq!(trashed.state.trashed_at, Some(NOW));
    // What was written is what is read back.
    assert_eq!(index.get(&owner, &c.id).await.expect("get"), Some(trashed));
    assert_eq!(
        views(index, &owner).await,
        [
            vec![a.id.clone(), d.id.clone()],
            vec![a.id.clone(), b.id.clone()],
            vec![b.id.clone()],
            vec![c.id.clone()],
        ],
        "timeline, favorites, archive, trash"
    );
    // A trashed favourite leaves Favorites; restored, it is back where it was.
    change(index, b, StateChange::Trash { at: NOW }).await;
    assert_eq!(
        views(index, &owner).await,
        [
            vec![a.id.clone(), d.id.clone()],
            vec![a.id.clone()],
            vec![],
            vec![b.id.clone(), c.id.clone()],
        ]
    );
    let back = change(index, b, StateChange::Restore).await;
    assert_eq!(back.state, PhotoState::imported(true, true));
    change(index, b, StateChange::Archive(false)).await;
    change(index, c, StateChange::Restore).await;
    change(index, a, StateChange::Favorite(false)).await;
    change(index, b, StateChange::Favorite(false)).await;
    assert_eq!(
        views(index, &owner).await,
        [ids(&made), vec![], vec![], vec![]]
    );
}

pub async fn a_view_pages_newest_first_and_misses_nothing(indexes: &Indexes) {
    let index = indexes.photos.as_ref();
    let owner = fresh_owner("pager");
    // Bursts: several photos in one second, and the days apart.
    let made: Vec<PhotoRecord> = (0..13)
        .map(|n| {
            record(
                &owner,
                &format!("burst-{n}"),
                datetime!(2024-02-29 23:59:59 -05:00) - Duration::days(n / 3),
            )
        })
        .collect();
    insert_all(index, &made).await;
    for photo in made.iter().step_by(2) {
        change(index, photo, StateChange::Favorite(true)).await;
    }
    let favorites: Vec<PhotoRecord> = made.iter().step_by(2).cloned().collect();
    let expected = ids(&sorted_newest_first(favorites.clone()));
    assert_eq!(listed(index, &owner, View::Favorites).await, expected);
    // From a position, strictly after it, as the timeline pages.
    let after = sorted_newest_first(favorites)[2].position();
    let page = index
        .page(&owner, View::Favorites, Some(&after), 100)
        .await
        .expect("page");
    assert_eq!(ids(&page), expected[3..].to_vec());
    // Day counts per day, as the timeline's.
    let days = index
        .day_counts(&owner, View::Favorites, None)
        .await
        .expect("counts");
    assert_eq!(days.iter().map(|day| day.count).sum::<u32>(), 7);
    assert!(days.windows(2).all(|pair| pair[0].day > pair[1].day));
}

pub async fn a_trashed_photo_leaves_its_albums_and_comes_back_with_restore(indexes: &Indexes) {
    let (index, albums) = (indexes.photos.as_ref(), indexes.albums.as_ref());
    let owner = fresh_owner("album-keeper");
    let made = library(index, &owner, 3).await;
    let album = AlbumId::random().expect("id");
    albums
        .create_album(&owner, &album, "Summer", NOW)
        .await
        .expect("create");
    albums
        .add_photos(&owner, &album, &ids(&made), NOW)
        .await
        .expect("add")
        .expect("album");
    let cover = &made[1];
    albums
        .edit_album(
            &owner,
            &album,
            crate::store::albums::AlbumEdit {
                title: None,
                cover: Some(cover.id.clone()),
            },
            NOW,
        )
        .await
        .expect("cover");
    change(index, cover, StateChange::Favorite(true)).await;
    change(index, cover, StateChange::Trash { at: NOW }).await;
    let shown = albums
        .album(&owner, &album)
        .await
        .expect("album")
        .expect("there");
    assert_eq!(shown.count, 2, "the album counts what it lists");
    assert_eq!(shown.chosen_cover, None, "a trashed cover is not shown");
    assert_eq!(
        shown.cover.map(|cover| cover.id),
        Some(made[0].id.clone()),
        "the newest listed photo stands in"
    );
    let page = albums
        .album_page(&owner, &album, None, 10)
        .await
        .expect("page");
    assert_eq!(ids(&page), vec![made[0].id.clone(), made[2].id.clone()]);
    assert!(
        !albums
            .holds(&owner, &album, &cover.id)
            .await
            .expect("holds"),
        "a share link's visitor cannot open it"
    );
    // Back in the album, as it is kept now (a favourite), and its cover again.
    change(index, cover, StateChange::Restore).await;
    let shown = albums
        .album(&owner, &album)
        .await
        .expect("album")
        .expect("there");
    assert_eq!(shown.count, 3);
    assert_eq!(shown.chosen_cover, Some(cover.id.clone()));
    let page = albums
        .album_page(&owner, &album, None, 10)
        .await
        .expect("page");
    assert_eq!(ids(&page), ids(&made));
    assert!(
        page[1].state.favorite,
        "the album shows the photo as it is now"
    );
    assert!(
        albums
            .holds(&owner, &album, &cover.id)
            .await
            .expect("holds")
    );
}

pub async fn the_purge_queue_holds_every_owners_trash_longest_first(indexes: &Indexes) {
    let index = indexes.photos.as_ref();
    let (alice, bob) = (fresh_owner("alice"), fresh_owner("bob"));
    let hers = library(index, &alice, 3).await;
    let his = library(index, &bob, 1).await;
    change(
        index,
        &hers[0],
        StateChange::Trash {
            at: NOW - Duration::days(40),
        },
    )
    .await;
    change(
        index,
        &his[0],
        StateChange::Trash {
            at: NOW - Duration::days(35),
        },
    )
    .await;
    change(
        index,
        &hers[1],
        StateChange::Trash {
            at: NOW - Duration::days(1),
        },
    )
    .await;
    let due = NOW - Duration::days(30);
    assert_eq!(
        index.trashed_before(due, 10).await.expect("queue"),
        vec![
            (alice.clone(), hers[0].id.clone()),
            (bob.clone(), his[0].id.clone())
        ]
    );
    assert_eq!(index.trashed_before(due, 1).await.expect("queue").len(), 1);
    let found = index.existing(&alice, &ids(&hers)).await.expect("existing");
    assert_eq!(found[&hers[0].id], Presence::Trashed);
    assert_eq!(found[&hers[2].id], Presence::Kept);
    // Restored, it leaves the queue; removed, too.
    change(index, &hers[0], StateChange::Restore).await;
    index.remove(&bob, &his[0].id).await.expect("remove");
    assert_eq!(index.trashed_before(due, 10).await.expect("queue"), vec![]);
    assert_eq!(
        index.trashed_before(NOW, 10).await.expect("queue"),
        vec![(alice, hers[1].id.clone())]
    );
}

pub async fn changes_repeat_safely_and_never_reach_another_owner(indexes: &Indexes) {
    let index = indexes.photos.as_ref();
    let (alice, mallory) = (fresh_owner("alice"), fresh_owner("mallory"));
    let hers = library(index, &alice, 2).await;
    let first = NOW - Duration::days(3);
    for at in [first, NOW] {
        change(index, &hers[0], StateChange::Trash { at }).await;
        change(index, &hers[1], StateChange::Favorite(true)).await;
    }
    let kept = index.get(&alice, &hers[0].id).await.expect("get");
    assert_eq!(kept.and_then(|photo| photo.state.trashed_at), Some(first));
    assert_eq!(total(index, &alice, View::Trash).await, 1);
    assert_eq!(total(index, &alice, View::Favorites).await, 1);
    assert_eq!(total(index, &alice, View::Timeline).await, 1);
    // Another owner's id, and no photo at all, are nothing to change.
    for id in [&hers[1].id, &super::id_for("nobody has this")] {
        let changed = index
            .change(&mallory, id, StateChange::Favorite(false))
            .await
            .expect("change");
        assert_eq!(changed, None);
    }
    let still = index.get(&alice, &hers[1].id).await.expect("get");
    assert!(still.is_some_and(|photo| photo.state.favorite));
    assert!(listed(index, &mallory, View::Favorites).await.is_empty());
}

pub async fn changes_of_one_photo_at_once_all_land(indexes: &Indexes) {
    let index = indexes.photos.as_ref();
    let owner = fresh_owner("racer");
    let made = library(index, &owner, 4).await;
    let work = made.iter().flat_map(|photo| {
        [
            index.change(&owner, &photo.id, StateChange::Favorite(true)),
            index.change(&owner, &photo.id, StateChange::Archive(true)),
        ]
    });
    futures::future::try_join_all(work).await.expect("changes");
    for photo in &made {
        let state = index
            .get(&owner, &photo.id)
            .await
            .expect("get")
            .expect("there")
            .state;
        assert_eq!(state, PhotoState::imported(true, true), "{}", photo.id);
    }
    assert_eq!(
        views(index, &owner).await,
        [vec![], ids(&made), ids(&made), vec![]]
    );
}

pub async fn a_record_kept_with_its_state_is_listed_by_it(indexes: &Indexes) {
    // As a rebuild from the bucket's records inserts them.
    let index = indexes.photos.as_ref();
    let owner = fresh_owner("rebuilt");
    let mut archived = record(&owner, "archived", datetime!(2023-01-02 10:00 UTC));
    archived.state = PhotoState::imported(true, true);
    let mut trashed = record(&owner, "trashed", datetime!(2023-01-01 10:00 UTC));
    trashed.state.trashed_at = Some(NOW - Duration::days(31));
    insert_all(index, &[archived.clone(), trashed.clone()]).await;
    assert_eq!(
        views(index, &owner).await,
        [
            vec![],
            vec![archived.id.clone()],
            vec![archived.id.clone()],
            vec![trashed.id.clone()]
        ]
    );
    assert_eq!(
        index
            .trashed_before(NOW - Duration::days(30), 10)
            .await
            .expect("queue"),
        vec![(owner.clone(), trashed.id.clone())]
    );
    assert_eq!(
        index.get(&owner, &trashed.id).await.expect("get"),
        Some(trashed)
    );
}

pub async fn a_removed_photo_leaves_every_view(indexes: &Indexes) {
    let index = indexes.photos.as_ref();
    let owner = fresh_owner("remover");
    let made = library(index, &owner, 2).await;
    change(index, &made[0], StateChange::Favorite(true)).await;
    change(index, &made[0], StateChange::Archive(true)).await;
    change(index, &made[1], StateChange::Favorite(true)).await;
    change(index, &made[1], StateChange::Trash { at: NOW }).await;
    for photo in &made {
        index.remove(&owner, &photo.id).await.expect("remove");
    }
    assert_eq!(views(index, &owner).await, <[Vec<PhotoId>; 4]>::default());
    assert_eq!(
        index
            .trashed_before(NOW + Duration::days(1), 10)
            .await
            .expect("queue"),
        vec![]
    );
}

pub async fn a_live_photos_video_changes_only_with_its_still(indexes: &Indexes) {
    let index = indexes.photos.as_ref();
    let owner = fresh_owner("live");
    let still = record(&owner, "still", datetime!(2024-07-14 21:05:09 +02:00));
    let mut video = record(&owner, "video", datetime!(2024-07-14 21:05:09 +02:00));
    video.details.content_type = "video/quicktime".into();
    insert_all(index, &[still.clone(), video.clone()]).await;
    let live = LiveVideo {
        id: video.id.to_string(),
        duration_ms: Some(2_900),
    };
    assert!(
        index
            .join_live(&owner, &still.id, &live)
            .await
            .expect("join")
    );
    let refused = index
        .change(&owner, &video.id, StateChange::Trash { at: NOW })
        .await
        .expect("change");
    assert_eq!(refused, None, "the video is kept as its still is");
    let trashed = change(index, &still, StateChange::Trash { at: NOW }).await;
    assert_eq!(
        trashed.live,
        Some(live),
        "the still keeps playing its video"
    );
    assert_eq!(
        views(index, &owner).await,
        [vec![], vec![], vec![], vec![still.id.clone()]]
    );
    let listed = index
        .page(&owner, View::Trash, None, 10)
        .await
        .expect("page");
    assert!(listed[0].live.is_some(), "and plays it from the trash");
}
