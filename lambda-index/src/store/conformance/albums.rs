//! What every [`AlbumIndex`] must do, with the [`PhotoIndex`] of the same
//! store: this module owns the album and share link checks, and
//! [`album_index_conformance!`](crate::album_index_conformance), which makes
//! one test per check. Photos are written with the parent module's helpers.

use std::{
    any::Any,
    collections::{HashMap, HashSet},
    sync::Arc,
};

use time::{Duration, OffsetDateTime, macros::datetime};

pub use super::live::a_joined_live_photo_plays_in_its_albums;
use super::{fresh_owner, id_for, ids, insert_all, record, sorted_newest_first};
use crate::store::{
    AlbumId, AlbumIndex, AlbumRecord, Owner, PhotoId, PhotoIndex, PhotoRecord, Position,
    ShareRecord, ShareToken, View,
    albums::{Added, AlbumEdit, Edited},
};

/// Makes one `#[tokio::test]` per album check. `$make` is an async fn
/// returning `Option<`[`Indexes`]`>`: both indexes over one fresh store, or
/// `None` where that store is not to be had on this machine (the maker says
/// why), and the check passes without running.
#[macro_export]
macro_rules! album_index_conformance {
    ($make:path) => {
        $crate::album_index_conformance!(@tests $make;
            adding_takes_only_the_owners_photos_and_says_what_it_did,
            an_album_pages_newest_first_with_bursts_apart,
            the_album_page_is_the_true_end,
            an_album_page_after_removing_photos_neither_repeats_nor_skips,
            owners_never_see_or_touch_each_others_albums,
            rename_and_cover_change_the_album_and_its_place_in_the_list,
            a_removed_photo_leaves_every_album,
            a_deleted_album_leaves_its_photos_and_takes_its_links,
            links_are_found_by_token_listed_newest_first_and_revoked_only_by_their_owner,
            counts_hold_when_adds_and_removes_repeat_and_race,
            a_joined_live_photo_plays_in_its_albums,
        );
    };
    (@tests $make:path; $($check:ident,)*) => {
        $(
            #[tokio::test]
            async fn $check() {
                if let Some(indexes) = $make().await {
                    $crate::store::conformance::albums::$check(&indexes).await;
                }
            }
        )*
    };
}

/// The two indexes of one store, as the checks use them.
pub struct Indexes {
    pub photos: Arc<dyn PhotoIndex>,
    pub albums: Arc<dyn AlbumIndex>,
    /// Whatever the store needs while it is used (the folder it lives in).
    _keep: Option<Box<dyn Any + Send + Sync>>,
}

impl Indexes {
    /// Both indexes of a store that is both.
    pub fn of<T: PhotoIndex + AlbumIndex + 'static>(index: Arc<T>) -> Indexes {
        Indexes {
            photos: index.clone(),
            albums: index,
            _keep: None,
        }
    }

    /// Keeps `guard` (a temporary folder, a server) until the check is done.
    pub fn keeping(mut self, guard: impl Any + Send + Sync) -> Indexes {
        self._keep = Some(Box::new(guard));
        self
    }
}

const AT: OffsetDateTime = datetime!(2026-11-24 10:00 UTC);

fn minutes(n: i64) -> OffsetDateTime {
    AT + Duration::minutes(n)
}

/// `count` photos of `owner`, a day apart, newest first, in the timeline.
async fn photos(photos: &dyn PhotoIndex, owner: &Owner, count: usize) -> Vec<PhotoRecord> {
    let made: Vec<PhotoRecord> = (0..count)
        .map(|n| {
            record(
                owner,
                &n.to_string(),
                datetime!(2025-06-30 12:00 +02:00) - Duration::days(n as i64),
            )
        })
        .collect();
    insert_all(photos, &made).await;
    made
}

async fn new_album(albums: &dyn AlbumIndex, owner: &Owner, title: &str) -> AlbumId {
    let id = AlbumId::random().expect("id");
    albums
        .create_album(owner, &id, title, AT)
        .await
        .expect("create");
    id
}

async fn add(albums: &dyn AlbumIndex, owner: &Owner, album: &AlbumId, photos: &[PhotoRecord]) {
    let added = albums
        .add_photos(owner, album, &ids(photos), AT)
        .await
        .expect("add")
        .expect("an album");
    assert_eq!(added.added, ids(photos), "all added");
}

async fn shown(albums: &dyn AlbumIndex, owner: &Owner, album: &AlbumId) -> AlbumRecord {
    albums
        .album(owner, album)
        .await
        .expect("album")
        .expect("the album is there")
}

/// Every photo of the album, paging `limit` at a time from the newest.
async fn walk(
    albums: &dyn AlbumIndex,
    owner: &Owner,
    album: &AlbumId,
    limit: usize,
) -> Vec<PhotoRecord> {
    let mut all: Vec<PhotoRecord> = Vec::new();
    loop {
        let after = all.last().map(PhotoRecord::position);
        let page = albums
            .album_page(owner, album, after.as_ref(), limit)
            .await
            .expect("page");
        assert!(page.len() <= limit, "a page holds at most its limit");
        assert_below(after.as_ref(), &page);
        let done = page.len() < limit;
        all.extend(page);
        if done {
            return all;
        }
    }
}

/// A page begins strictly after its position (else paging would never end).
fn assert_below(after: Option<&Position>, page: &[PhotoRecord]) {
    if let (Some(after), Some(first)) = (after, page.first()) {
        assert!(
            first.position().order() < after.order(),
            "{} comes again, or too soon",
            first.details.filename
        );
    }
}

async fn page_ids(albums: &dyn AlbumIndex, owner: &Owner, album: &AlbumId) -> Vec<PhotoId> {
    ids(&walk(albums, owner, album, 1000).await)
}

fn cover_of(album: &AlbumRecord) -> Option<&PhotoId> {
    album.cover.as_ref().map(|cover| &cover.id)
}

pub async fn adding_takes_only_the_owners_photos_and_says_what_it_did(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let (me, other) = (fresh_owner("adder"), fresh_owner("adder-other"));
    let mine = photos(photo_index, &me, 5).await;
    let theirs = photos(photo_index, &other, 1).await;
    let album = new_album(index, &me, "Summer").await;
    let empty = shown(index, &me, &album).await;
    assert_eq!(
        (
            empty.title.as_str(),
            empty.count,
            empty.cover,
            empty.chosen_cover
        ),
        ("Summer", 0, None, None)
    );
    assert_eq!((empty.created_at, empty.updated_at), (AT, AT));
    let nowhere = AlbumId::random().expect("id");
    assert_eq!(
        index
            .add_photos(&me, &nowhere, &ids(&mine), AT)
            .await
            .expect("add"),
        None,
        "no such album"
    );

    // Out of timeline order, one twice, one not mine, one nobody's.
    let asked = vec![
        mine[3].id.clone(),
        mine[0].id.clone(),
        mine[2].id.clone(),
        mine[0].id.clone(),
        theirs[0].id.clone(),
        id_for("nobody's"),
    ];
    let added = index
        .add_photos(&me, &album, &asked, minutes(1))
        .await
        .expect("add")
        .expect("an album");
    assert_eq!(
        added,
        Added {
            added: vec![mine[3].id.clone(), mine[0].id.clone(), mine[2].id.clone()],
            already_there: vec![mine[0].id.clone()],
            not_found: vec![theirs[0].id.clone(), id_for("nobody's")],
        },
        "each as asked, in the order asked"
    );
    let after_add = shown(index, &me, &album).await;
    assert_eq!((after_add.count, after_add.updated_at), (3, minutes(1)));
    assert_eq!(
        cover_of(&after_add),
        Some(&mine[0].id),
        "the newest is the cover"
    );
    assert_eq!(
        page_ids(index, &me, &album).await,
        [mine[0].id.clone(), mine[2].id.clone(), mine[3].id.clone()],
        "timeline order, whatever the order added"
    );

    // Nothing new: nothing changes, not even the time.
    let again = index
        .add_photos(
            &me,
            &album,
            &[mine[2].id.clone(), mine[3].id.clone()],
            minutes(2),
        )
        .await
        .expect("add")
        .expect("an album");
    assert!(again.added.is_empty() && again.not_found.is_empty());
    assert_eq!(
        again.already_there,
        [mine[2].id.clone(), mine[3].id.clone()]
    );
    assert_eq!(
        index
            .add_photos(&me, &album, &[], minutes(2))
            .await
            .expect("add"),
        Some(Added::default())
    );
    let unchanged = shown(index, &me, &album).await;
    assert_eq!((unchanged.count, unchanged.updated_at), (3, minutes(1)));
    assert_eq!(index.albums(&me).await.expect("albums"), [unchanged]);
    assert!(
        index
            .album_page(&other, &album, None, 10)
            .await
            .expect("page")
            .is_empty(),
        "their photo is not in my album"
    );
}

pub async fn an_album_pages_newest_first_with_bursts_apart(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let owner = fresh_owner("album-burst");
    let mut members = Vec::new();
    // A burst in one second, photos spread over a month, and a scanned print.
    for n in 0..30 {
        members.push(record(
            &owner,
            &format!("burst{n}"),
            datetime!(2020-08-15 14:30:02 +02:00),
        ));
    }
    for n in 0..15_u8 {
        members.push(record(
            &owner,
            &format!("day{n}"),
            datetime!(2020-08-01 09:00 +02:00) + Duration::days(i64::from(n) * 2),
        ));
    }
    members.push(record(&owner, "1965", datetime!(1965-07-04 16:00 -04:00)));
    // Photos of the timeline around them that are not in the album.
    let outside: Vec<PhotoRecord> = (0..10)
        .map(|n| {
            record(
                &owner,
                &format!("out{n}"),
                datetime!(2020-08-15 14:30:02 +02:00) + Duration::hours(n * 24 - 120),
            )
        })
        .collect();
    insert_all(photo_index, &members).await;
    insert_all(photo_index, &outside).await;
    let album = new_album(index, &owner, "August").await;
    add(index, &owner, &album, &members).await;
    let expected = sorted_newest_first(members);
    for limit in [1, 7, 30, 46, 100] {
        assert_eq!(
            walk(index, &owner, &album, limit).await,
            expected,
            "pages of {limit}: every photo once, whole, newest first, bursts by id"
        );
    }
}

pub async fn the_album_page_is_the_true_end(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let owner = fresh_owner("album-end");
    let mine = photos(photo_index, &owner, 21).await;
    let album = new_album(index, &owner, "Twenty").await;
    let members = &mine[..20];
    add(index, &owner, &album, members).await;
    // Exactly a page left: the page is full, and the one after it is empty
    // (DynamoDB may answer a full page with "more", then an empty one).
    let page = index
        .album_page(&owner, &album, Some(&members[9].position()), 10)
        .await
        .expect("page");
    assert_eq!(ids(&page), ids(&members[10..]));
    let past_end = index
        .album_page(&owner, &album, Some(&members[19].position()), 10)
        .await
        .expect("page");
    assert!(past_end.is_empty(), "nothing after the oldest photo");
    let all = index
        .album_page(&owner, &album, None, 20)
        .await
        .expect("page");
    assert_eq!(ids(&all), ids(members), "a limit of all of it");
    let more = index
        .album_page(&owner, &album, None, 25)
        .await
        .expect("page");
    assert_eq!(ids(&more), ids(members), "a limit past all of it");
    assert!(
        index
            .album_page(&owner, &album, None, 0)
            .await
            .expect("page")
            .is_empty()
    );
    // A position that is no photo of the album: strictly older ones follow.
    let between = Position {
        clock_ms: members[4].position().clock_ms - 1,
        id: PhotoId::smallest(),
    };
    let page = index
        .album_page(&owner, &album, Some(&between), 3)
        .await
        .expect("page");
    assert_eq!(ids(&page), ids(&members[5..8]));
    let empty = new_album(index, &owner, "Empty").await;
    assert!(
        index
            .album_page(&owner, &empty, None, 10)
            .await
            .expect("page")
            .is_empty()
    );
}

pub async fn an_album_page_after_removing_photos_neither_repeats_nor_skips(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let owner = fresh_owner("album-churn");
    let mine = photos(photo_index, &owner, 60).await;
    let album = new_album(index, &owner, "Churn").await;
    add(index, &owner, &album, &mine).await;
    // Every fourth is taken out before it is reached; so is every other
    // page's last photo once it is read (the position paging goes on from);
    // by turns out of the album and out of the timeline.
    let doomed: Vec<&PhotoRecord> = mine.iter().skip(3).step_by(4).collect();
    // What was taken out, and how much had been read by then.
    let mut gone: HashMap<PhotoId, usize> = HashMap::new();
    let mut seen: Vec<PhotoRecord> = Vec::new();
    let mut arrived = Vec::new();
    let mut round: u32 = 0;
    loop {
        let after = seen.last().map(PhotoRecord::position);
        let page = index
            .album_page(&owner, &album, after.as_ref(), 5)
            .await
            .expect("page");
        assert_below(after.as_ref(), &page);
        let done = page.len() < 5;
        seen.extend(page);
        let unread = doomed
            .iter()
            .find(|photo| !gone.contains_key(&photo.id) && !seen.iter().any(|s| s.id == photo.id))
            .map(|photo| (*photo).clone());
        let cursor = seen.last().filter(|_| round.is_multiple_of(2)).cloned();
        for photo in unread.into_iter().chain(cursor) {
            if gone.insert(photo.id.clone(), seen.len()).is_some() {
                continue;
            }
            if gone.len().is_multiple_of(2) {
                let removed = index
                    .remove_photo(&owner, &album, &photo.id, AT)
                    .await
                    .expect("remove");
                assert_eq!(removed, Some(true));
            } else {
                let removed = photo_index.remove(&owner, &photo.id).await.expect("remove");
                assert!(removed.is_some());
            }
        }
        // An older photo arrives, further down than paging has come.
        let old = record(
            &owner,
            &format!("old{round}"),
            datetime!(2001-01-01 00:00 UTC) - Duration::days(i64::from(round)),
        );
        insert_all(photo_index, std::slice::from_ref(&old)).await;
        add(index, &owner, &album, std::slice::from_ref(&old)).await;
        arrived.push(old);
        round += 1;
        if done {
            break;
        }
    }
    let seen_ids = ids(&seen);
    let unique: HashSet<&PhotoId> = seen_ids.iter().collect();
    assert_eq!(unique.len(), seen_ids.len(), "no photo listed twice");
    let orders: Vec<_> = seen.iter().map(|r| r.position().order()).collect();
    assert!(
        orders.windows(2).all(|w| w[0] > w[1]),
        "always newest first"
    );
    // The last arrival came after the last page.
    for photo in mine.iter().chain(&arrived[..arrived.len() - 1]) {
        let listed_at = seen_ids.iter().position(|id| id == &photo.id);
        match (gone.get(&photo.id), listed_at) {
            (None, None) => panic!("{} was skipped", photo.details.filename),
            (Some(read_by_then), Some(at)) => assert!(
                at < *read_by_then,
                "{} was listed after it was taken out",
                photo.details.filename
            ),
            _ => {}
        }
    }
    let left = shown(index, &owner, &album).await;
    assert_eq!(
        left.count as usize,
        page_ids(index, &owner, &album).await.len()
    );
}

pub async fn owners_never_see_or_touch_each_others_albums(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let (me, other) = (fresh_owner("album-me"), fresh_owner("album-other"));
    let mine = photos(photo_index, &me, 2).await;
    let theirs = photos(photo_index, &other, 1).await;
    let album = new_album(index, &me, "Mine").await;
    add(index, &me, &album, &mine).await;
    let before = shown(index, &me, &album).await;

    assert_eq!(index.album(&other, &album).await.expect("album"), None);
    assert!(index.albums(&other).await.expect("albums").is_empty());
    assert!(
        index
            .album_page(&other, &album, None, 10)
            .await
            .expect("page")
            .is_empty()
    );
    assert_eq!(
        index
            .add_photos(&other, &album, &ids(&theirs), minutes(1))
            .await
            .expect("add"),
        None
    );
    let rename = AlbumEdit {
        title: Some("Theirs now".into()),
        cover: None,
    };
    assert_eq!(
        index
            .edit_album(&other, &album, rename, minutes(1))
            .await
            .expect("edit"),
        Edited::NoAlbum
    );
    assert_eq!(
        index
            .remove_photo(&other, &album, &mine[0].id, minutes(1))
            .await
            .expect("remove"),
        None
    );
    assert!(!index.delete_album(&other, &album).await.expect("delete"));
    // Removing their own copy of the same file leaves my album alone.
    let mut same_file = mine[0].clone();
    same_file.owner = other.clone();
    insert_all(photo_index, std::slice::from_ref(&same_file)).await;
    assert!(
        photo_index
            .remove(&other, &same_file.id)
            .await
            .expect("remove")
            .is_some()
    );

    assert_eq!(
        shown(index, &me, &album).await,
        before,
        "untouched by all that"
    );
    assert_eq!(page_ids(index, &me, &album).await, ids(&mine));
}

pub async fn rename_and_cover_change_the_album_and_its_place_in_the_list(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let (me, other) = (fresh_owner("cover"), fresh_owner("cover-other"));
    let mine = photos(photo_index, &me, 4).await;
    let theirs = photos(photo_index, &other, 1).await;
    let older = new_album(index, &me, "Older").await;
    let newer = AlbumId::random().expect("id");
    index
        .create_album(&me, &newer, "Newer", minutes(1))
        .await
        .expect("create");
    let titles = |albums: Vec<AlbumRecord>| albums.into_iter().map(|a| a.title).collect::<Vec<_>>();
    assert_eq!(
        titles(index.albums(&me).await.expect("albums")),
        ["Newer", "Older"],
        "the last changed first"
    );
    index
        .add_photos(&me, &older, &ids(&mine[..3]), minutes(2))
        .await
        .expect("add");
    assert_eq!(
        titles(index.albums(&me).await.expect("albums")),
        ["Older", "Newer"],
        "adding photos is a change"
    );

    let edit = AlbumEdit {
        title: Some("Renamed".into()),
        cover: Some(mine[2].id.clone()),
    };
    let Edited::Done(edited) = index
        .edit_album(&me, &older, edit, minutes(3))
        .await
        .expect("edit")
    else {
        panic!("edited");
    };
    assert_eq!(edited.title, "Renamed");
    assert_eq!(edited.updated_at, minutes(3));
    assert_eq!(edited.chosen_cover.as_ref(), Some(&mine[2].id));
    assert_eq!(edited.cover.as_ref(), Some(&mine[2]), "the whole record");
    assert_eq!(edited.count, 3);
    assert_eq!(shown(index, &me, &older).await, *edited, "as stored");

    // A title alone leaves the cover; a cover must be a photo in the album.
    let retitle = AlbumEdit {
        title: Some("Summer".into()),
        cover: None,
    };
    let Edited::Done(retitled) = index
        .edit_album(&me, &older, retitle, minutes(4))
        .await
        .expect("edit")
    else {
        panic!("edited");
    };
    assert_eq!(
        (retitled.title.as_str(), retitled.chosen_cover.as_ref()),
        ("Summer", Some(&mine[2].id))
    );
    for not_in in [mine[3].id.clone(), theirs[0].id.clone(), id_for("nobody's")] {
        let edit = AlbumEdit {
            title: Some("Not kept".into()),
            cover: Some(not_in),
        };
        assert_eq!(
            index
                .edit_album(&me, &older, edit, minutes(5))
                .await
                .expect("edit"),
            Edited::CoverNotInAlbum
        );
    }
    let nowhere = AlbumId::random().expect("id");
    assert_eq!(
        index
            .edit_album(&me, &nowhere, AlbumEdit::default(), minutes(5))
            .await
            .expect("edit"),
        Edited::NoAlbum
    );
    let kept = shown(index, &me, &older).await;
    assert_eq!(
        (kept.title.as_str(), kept.updated_at),
        ("Summer", minutes(4)),
        "a refused edit changes nothing"
    );
    let Edited::Done(touched) = index
        .edit_album(&me, &newer, AlbumEdit::default(), minutes(6))
        .await
        .expect("edit")
    else {
        panic!("edited");
    };
    assert_eq!(
        (touched.title.as_str(), touched.updated_at),
        ("Newer", minutes(6))
    );
    assert_eq!(
        titles(index.albums(&me).await.expect("albums")),
        ["Newer", "Summer"]
    );

    // The chosen cover taken out: the newest photo stands in.
    assert_eq!(
        index
            .remove_photo(&me, &older, &mine[2].id, minutes(7))
            .await
            .expect("remove"),
        Some(true)
    );
    assert_eq!(
        index
            .remove_photo(&me, &older, &mine[2].id, minutes(8))
            .await
            .expect("remove"),
        Some(false),
        "once"
    );
    assert_eq!(
        index
            .remove_photo(&me, &older, &id_for("nobody's"), minutes(8))
            .await
            .expect("remove"),
        Some(false)
    );
    let after = shown(index, &me, &older).await;
    assert_eq!(
        (after.count, after.chosen_cover.as_ref(), after.updated_at),
        (2, None, minutes(7))
    );
    assert_eq!(after.cover.as_ref(), Some(&mine[0]));
    assert_eq!(
        titles(index.albums(&me).await.expect("albums")),
        ["Summer", "Newer"],
        "taking a photo out is a change"
    );
    assert!(
        photo_index
            .get(&me, &mine[2].id)
            .await
            .expect("get")
            .is_some(),
        "the photo stays in the timeline"
    );
}

pub async fn a_removed_photo_leaves_every_album(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let owner = fresh_owner("leaves");
    let mine = photos(photo_index, &owner, 4).await;
    let (one, two) = (
        new_album(index, &owner, "One").await,
        new_album(index, &owner, "Two").await,
    );
    add(index, &owner, &one, &mine[..3]).await;
    add(index, &owner, &two, &mine).await;
    let cover = AlbumEdit {
        title: None,
        cover: Some(mine[1].id.clone()),
    };
    assert!(matches!(
        index
            .edit_album(&owner, &one, cover, AT)
            .await
            .expect("edit"),
        Edited::Done(_)
    ));

    // The chosen cover of one, in both.
    assert_eq!(
        photo_index
            .remove(&owner, &mine[1].id)
            .await
            .expect("remove"),
        Some(mine[1].clone())
    );
    assert_eq!(
        page_ids(index, &owner, &one).await,
        [mine[0].id.clone(), mine[2].id.clone()]
    );
    assert_eq!(
        page_ids(index, &owner, &two).await,
        [mine[0].id.clone(), mine[2].id.clone(), mine[3].id.clone()]
    );
    let first = shown(index, &owner, &one).await;
    assert_eq!(
        (first.count, first.chosen_cover.as_ref(), cover_of(&first)),
        (2, None, Some(&mine[0].id)),
        "the newest stands in for the chosen cover"
    );
    assert_eq!(shown(index, &owner, &two).await.count, 3);

    // The newest, the cover of both.
    photo_index
        .remove(&owner, &mine[0].id)
        .await
        .expect("remove");
    assert_eq!(
        photo_index
            .remove(&owner, &mine[0].id)
            .await
            .expect("again"),
        None,
        "safe to repeat"
    );
    let (first, second) = (
        shown(index, &owner, &one).await,
        shown(index, &owner, &two).await,
    );
    assert_eq!((first.count, cover_of(&first)), (1, Some(&mine[2].id)));
    assert_eq!((second.count, cover_of(&second)), (2, Some(&mine[2].id)));

    // Back in the timeline, the same file is in no album until added again.
    insert_all(photo_index, std::slice::from_ref(&mine[0])).await;
    assert_eq!(shown(index, &owner, &two).await.count, 2);
    assert_eq!(page_ids(index, &owner, &two).await.len(), 2);
    add(index, &owner, &two, &mine[..1]).await;
    let again = shown(index, &owner, &two).await;
    assert_eq!((again.count, cover_of(&again)), (3, Some(&mine[0].id)));

    // The last one out: an empty album, still there.
    photo_index
        .remove(&owner, &mine[2].id)
        .await
        .expect("remove");
    let emptied = shown(index, &owner, &one).await;
    assert_eq!((emptied.count, emptied.cover), (0, None));
    assert!(page_ids(index, &owner, &one).await.is_empty());
}

pub async fn a_deleted_album_leaves_its_photos_and_takes_its_links(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let owner = fresh_owner("delete-album");
    // More than DynamoDB's 25 writes in one batch.
    let mine = photos(photo_index, &owner, 30).await;
    let (doomed, kept) = (
        new_album(index, &owner, "Doomed").await,
        new_album(index, &owner, "Kept").await,
    );
    add(index, &owner, &doomed, &mine).await;
    add(index, &owner, &kept, &mine[..2]).await;
    let link = |album: &AlbumId, minute| ShareRecord {
        token: ShareToken::random().expect("token"),
        owner: owner.clone(),
        album: album.clone(),
        created_at: minutes(minute),
        expires_at: None,
        allow_download: false,
        show_location: false,
    };
    let (doomed_links, kept_link) = ([link(&doomed, 1), link(&doomed, 2)], link(&kept, 3));
    for share in doomed_links.iter().chain([&kept_link]) {
        index.create_share(share).await.expect("share");
    }

    assert!(index.delete_album(&owner, &doomed).await.expect("delete"));
    assert_eq!(index.album(&owner, &doomed).await.expect("album"), None);
    assert!(page_ids(index, &owner, &doomed).await.is_empty());
    assert_eq!(
        index
            .albums(&owner)
            .await
            .expect("albums")
            .into_iter()
            .map(|album| album.id)
            .collect::<Vec<_>>(),
        std::slice::from_ref(&kept)
    );
    for share in &doomed_links {
        assert_eq!(
            index.share(&share.token).await.expect("share"),
            None,
            "its links die with it"
        );
    }
    assert_eq!(
        index.shares(&owner).await.expect("shares"),
        std::slice::from_ref(&kept_link),
        "and leave its owner's list"
    );
    assert_eq!(
        index.share(&kept_link.token).await.expect("share"),
        Some(kept_link)
    );
    assert_eq!(
        ids(&walk_timeline(photo_index, &owner).await),
        ids(&mine),
        "every photo stays in the timeline"
    );
    assert_eq!(shown(index, &owner, &kept).await.count, 2);
    assert_eq!(page_ids(index, &owner, &kept).await, ids(&mine[..2]));
    assert!(
        !index.delete_album(&owner, &doomed).await.expect("delete"),
        "once"
    );
    assert_eq!(
        index
            .add_photos(&owner, &doomed, &ids(&mine[..1]), AT)
            .await
            .expect("add"),
        None
    );
    // A photo that was in the deleted album goes as any other.
    assert!(
        photo_index
            .remove(&owner, &mine[0].id)
            .await
            .expect("remove")
            .is_some()
    );
    assert_eq!(page_ids(index, &owner, &kept).await, ids(&mine[1..2]));
}

async fn walk_timeline(photos: &dyn PhotoIndex, owner: &Owner) -> Vec<PhotoRecord> {
    photos
        .page(owner, View::Timeline, None, 1000)
        .await
        .expect("page")
}

pub async fn links_are_found_by_token_listed_newest_first_and_revoked_only_by_their_owner(
    indexes: &Indexes,
) {
    let index = &*indexes.albums;
    let (me, other) = (fresh_owner("links"), fresh_owner("links-other"));
    let (trip, party) = (
        new_album(index, &me, "Trip").await,
        new_album(index, &me, "Party").await,
    );
    let link = |album: &AlbumId, minute, expires_at, allow_download| ShareRecord {
        token: ShareToken::random().expect("token"),
        owner: me.clone(),
        album: album.clone(),
        created_at: minutes(minute),
        expires_at,
        allow_download,
        show_location: false,
    };
    let first = link(&trip, 0, None, false);
    let second = ShareRecord {
        show_location: true,
        ..link(&trip, 1, Some(AT + Duration::days(7)), true)
    };
    let third = link(&party, 2, Some(AT - Duration::days(1)), false);
    for share in [&second, &first, &third] {
        index.create_share(share).await.expect("share");
    }
    assert_eq!(
        index.share(&second.token).await.expect("share"),
        Some(second.clone()),
        "read back as written"
    );
    assert_eq!(
        index.share(&first.token).await.expect("share"),
        Some(first.clone())
    );
    assert_eq!(
        index
            .share(&ShareToken::random().expect("token"))
            .await
            .expect("share"),
        None
    );
    assert!(second.expired(AT + Duration::days(7)) && !second.expired(AT + Duration::days(6)));
    let expired = index
        .share(&third.token)
        .await
        .expect("share")
        .expect("an expired link is still stored");
    assert!(expired.expired(AT) && !first.expired(AT + Duration::days(10_000)));
    assert_eq!(
        index.shares(&me).await.expect("shares"),
        [third.clone(), second.clone(), first.clone()],
        "newest first, expired ones included"
    );
    assert!(index.shares(&other).await.expect("shares").is_empty());

    assert!(
        !index
            .revoke_share(&other, &first.token)
            .await
            .expect("revoke"),
        "not theirs to revoke"
    );
    assert_eq!(
        index.share(&first.token).await.expect("share"),
        Some(first.clone())
    );
    assert!(index.revoke_share(&me, &first.token).await.expect("revoke"));
    assert_eq!(index.share(&first.token).await.expect("share"), None);
    assert!(
        !index.revoke_share(&me, &first.token).await.expect("revoke"),
        "once"
    );
    assert_eq!(
        index.shares(&me).await.expect("shares"),
        [third, second],
        "gone from the list"
    );
}

pub async fn counts_hold_when_adds_and_removes_repeat_and_race(indexes: &Indexes) {
    let (photo_index, index) = (&*indexes.photos, &*indexes.albums);
    let owner = fresh_owner("album-race");
    let mine = photos(photo_index, &owner, 12).await;
    let album = new_album(index, &owner, "Busy").await;
    // The same selection added from two tabs at once, and part of it again.
    let all = ids(&mine);
    let adds =
        [&all[..], &all[..], &all[3..9]].map(|photos| index.add_photos(&owner, &album, photos, AT));
    let outcomes: Vec<Added> = futures::future::join_all(adds)
        .await
        .into_iter()
        .map(|outcome| outcome.expect("add").expect("an album"))
        .collect();
    let mut added: Vec<PhotoId> = outcomes
        .iter()
        .flat_map(|outcome| outcome.added.iter().cloned())
        .collect();
    added.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(added, expected, "each photo added exactly once");
    assert_eq!(shown(index, &owner, &album).await.count, 12);

    // Taken out of the album, and out of the timeline, each twice at once.
    let out_of_album = mine[..4]
        .iter()
        .chain(&mine[..4])
        .map(|photo| index.remove_photo(&owner, &album, &photo.id, AT));
    let taken_out = futures::future::join_all(out_of_album)
        .await
        .into_iter()
        .filter(|outcome| matches!(outcome, Ok(Some(true))))
        .count();
    assert_eq!(taken_out, 4, "each taken out exactly once");
    let removes = mine[4..8]
        .iter()
        .chain(&mine[4..8])
        .map(|photo| photo_index.remove(&owner, &photo.id));
    let removed = futures::future::join_all(removes)
        .await
        .into_iter()
        .filter(|outcome| matches!(outcome, Ok(Some(_))))
        .count();
    assert_eq!(removed, 4, "each removed exactly once");
    let left = shown(index, &owner, &album).await;
    assert_eq!(left.count, 4);
    assert_eq!(page_ids(index, &owner, &album).await, ids(&mine[8..]));
    assert_eq!(cover_of(&left), Some(&mine[8].id));
}
