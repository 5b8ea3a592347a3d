//! Albums and share links in the SQLite index: what an album holds and shows,
//! that it only ever holds its owner's photos, that deleting a photo or an
//! album takes exactly what it should, and that a link is found by its token.

use lambda_index::store::{
    AlbumId, AlbumIndex, PhotoIndex, PhotoRecord, ShareRecord, ShareToken,
    albums::{AlbumEdit, Edited},
    conformance::{fresh_owner, id_for, record},
};
use local::photo_index::SqliteIndex;
use tempfile::TempDir;
use time::{Duration, macros::datetime};

const AT: time::OffsetDateTime = datetime!(2026-11-24 10:00 UTC);

struct Fresh {
    index: SqliteIndex,
    _dir: TempDir,
}

fn fresh() -> Fresh {
    let dir = tempfile::tempdir().expect("dir");
    Fresh {
        index: SqliteIndex::open(dir.path()).expect("index"),
        _dir: dir,
    }
}

/// `count` photos of `owner`, a day apart, newest first.
async fn photos(
    index: &SqliteIndex,
    owner: &lambda_index::store::Owner,
    count: usize,
) -> Vec<PhotoRecord> {
    let mut made = Vec::new();
    for n in 0..count {
        let photo = record(
            owner,
            &n.to_string(),
            datetime!(2025-06-30 12:00 +02:00) - Duration::days(n as i64),
        );
        index.insert(&photo).await.expect("insert");
        made.push(photo);
    }
    made
}

fn ids(records: &[PhotoRecord]) -> Vec<String> {
    records.iter().map(|r| r.id.as_str().to_owned()).collect()
}

#[tokio::test]
async fn an_album_holds_its_owners_photos_in_timeline_order_and_pages_them() {
    let fresh = fresh();
    let index = &fresh.index;
    let (me, other) = (fresh_owner("me"), fresh_owner("other"));
    let mine = photos(index, &me, 5).await;
    let theirs = photos(index, &other, 1).await;
    let album = AlbumId::random().expect("id");
    index
        .create_album(&me, &album, "Summer", AT)
        .await
        .expect("create");

    // Added out of order, one twice, one not mine, one nobody's.
    let asked = vec![
        mine[3].id.clone(),
        mine[0].id.clone(),
        mine[2].id.clone(),
        mine[0].id.clone(),
        theirs[0].id.clone(),
        id_for("nobody's"),
    ];
    let added = index
        .add_photos(&me, &album, &asked, AT)
        .await
        .expect("add")
        .expect("an album");
    assert_eq!(
        added.added,
        vec![mine[3].id.clone(), mine[0].id.clone(), mine[2].id.clone()]
    );
    assert_eq!(added.already_there, vec![mine[0].id.clone()]);
    assert_eq!(
        added.not_found,
        vec![theirs[0].id.clone(), id_for("nobody's")]
    );

    let first = index.album_page(&me, &album, None, 2).await.expect("page");
    assert_eq!(
        ids(&first),
        ids(&[mine[0].clone(), mine[2].clone()]),
        "newest first"
    );
    let rest = index
        .album_page(&me, &album, Some(&first[1].position()), 2)
        .await
        .expect("page");
    assert_eq!(ids(&rest), ids(&[mine[3].clone()]));
    assert_eq!(rest[0], mine[3], "the whole record comes back");

    let shown = index
        .album(&me, &album)
        .await
        .expect("album")
        .expect("there");
    assert_eq!((shown.title.as_str(), shown.count), ("Summer", 3));
    assert_eq!(
        shown.cover.as_ref().map(|c| &c.id),
        Some(&mine[0].id),
        "newest is the cover"
    );

    // Nobody else sees it, changes it or fills it.
    assert_eq!(index.album(&other, &album).await.expect("album"), None);
    assert!(index.albums(&other).await.expect("albums").is_empty());
    assert_eq!(
        index
            .add_photos(&other, &album, &[theirs[0].id.clone()], AT)
            .await
            .expect("add"),
        None
    );
    assert!(
        index
            .album_page(&other, &album, None, 10)
            .await
            .expect("page")
            .is_empty()
    );
    assert_eq!(
        index
            .edit_album(&other, &album, AlbumEdit::default(), AT)
            .await
            .expect("edit"),
        Edited::NoAlbum
    );
    assert!(!index.delete_album(&other, &album).await.expect("delete"));
}

#[tokio::test]
async fn rename_cover_and_removal_change_the_album_and_its_order_in_the_list() {
    let fresh = fresh();
    let index = &fresh.index;
    let me = fresh_owner("me");
    let mine = photos(index, &me, 3).await;
    let (older, newer) = (
        AlbumId::random().expect("id"),
        AlbumId::random().expect("id"),
    );
    index
        .create_album(&me, &older, "Older", AT)
        .await
        .expect("create");
    index
        .create_album(&me, &newer, "Newer", AT + Duration::minutes(1))
        .await
        .expect("create");
    let all: Vec<_> = mine.iter().map(|p| p.id.clone()).collect();
    index
        .add_photos(&me, &older, &all, AT + Duration::minutes(2))
        .await
        .expect("add");
    let titles = |albums: Vec<lambda_index::store::AlbumRecord>| {
        albums.into_iter().map(|a| a.title).collect::<Vec<_>>()
    };
    assert_eq!(
        titles(index.albums(&me).await.expect("albums")),
        ["Older", "Newer"],
        "the last changed first"
    );

    let cover = AlbumEdit {
        title: Some("Renamed".into()),
        cover: Some(mine[2].id.clone()),
    };
    let Edited::Done(edited) = index
        .edit_album(&me, &older, cover, AT + Duration::minutes(3))
        .await
        .expect("edit")
    else {
        panic!("edited");
    };
    assert_eq!(edited.title, "Renamed");
    assert_eq!(edited.chosen_cover.as_ref(), Some(&mine[2].id));
    assert_eq!(edited.cover.as_ref().map(|c| &c.id), Some(&mine[2].id));
    let not_in = AlbumEdit {
        title: None,
        cover: Some(mine[0].id.clone()),
    };
    assert_eq!(
        index
            .edit_album(&me, &newer, not_in, AT)
            .await
            .expect("edit"),
        Edited::CoverNotInAlbum
    );

    // The cover taken out: the newest photo stands in.
    assert_eq!(
        index
            .remove_photo(&me, &older, &mine[2].id, AT)
            .await
            .expect("remove"),
        Some(true)
    );
    assert_eq!(
        index
            .remove_photo(&me, &older, &mine[2].id, AT)
            .await
            .expect("remove"),
        Some(false)
    );
    let after = index
        .album(&me, &older)
        .await
        .expect("album")
        .expect("there");
    assert_eq!((after.count, after.chosen_cover.clone()), (2, None));
    assert_eq!(after.cover.map(|c| c.id), Some(mine[0].id.clone()));
}

#[tokio::test]
async fn a_deleted_photo_leaves_every_album_and_a_deleted_album_leaves_its_photos() {
    let fresh = fresh();
    let index = &fresh.index;
    let me = fresh_owner("me");
    let mine = photos(index, &me, 2).await;
    let (one, two) = (
        AlbumId::random().expect("id"),
        AlbumId::random().expect("id"),
    );
    for album in [&one, &two] {
        index
            .create_album(&me, album, "A", AT)
            .await
            .expect("create");
        index
            .add_photos(&me, album, &[mine[0].id.clone(), mine[1].id.clone()], AT)
            .await
            .expect("add");
    }
    index.remove(&me, &mine[0].id).await.expect("remove");
    for album in [&one, &two] {
        assert_eq!(
            ids(&index.album_page(&me, album, None, 10).await.expect("page")),
            ids(&mine[1..])
        );
        assert_eq!(
            index
                .album(&me, album)
                .await
                .expect("album")
                .expect("there")
                .count,
            1
        );
    }

    let share = ShareRecord {
        token: ShareToken::random().expect("token"),
        owner: me.clone(),
        album: one.clone(),
        created_at: AT,
        expires_at: None,
        allow_download: false,
    };
    index.create_share(&share).await.expect("share");
    assert!(index.delete_album(&me, &one).await.expect("delete"));
    assert_eq!(index.album(&me, &one).await.expect("album"), None);
    assert_eq!(
        index.share(&share.token).await.expect("share"),
        None,
        "its links die with it"
    );
    assert!(
        index.get(&me, &mine[1].id).await.expect("get").is_some(),
        "the photo stays"
    );
    assert_eq!(
        index
            .album(&me, &two)
            .await
            .expect("album")
            .expect("there")
            .count,
        1
    );
}

#[tokio::test]
async fn a_link_is_found_by_its_token_listed_for_its_owner_and_revoked_only_by_them() {
    let fresh = fresh();
    let index = &fresh.index;
    let (me, other) = (fresh_owner("me"), fresh_owner("other"));
    let album = AlbumId::random().expect("id");
    index
        .create_album(&me, &album, "Trip", AT)
        .await
        .expect("create");
    let link = |minutes, expires_at, allow_download| ShareRecord {
        token: ShareToken::random().expect("token"),
        owner: me.clone(),
        album: album.clone(),
        created_at: AT + Duration::minutes(minutes),
        expires_at,
        allow_download,
    };
    let (first, second) = (
        link(0, None, false),
        link(1, Some(AT + Duration::days(7)), true),
    );
    index.create_share(&first).await.expect("share");
    index.create_share(&second).await.expect("share");
    assert_eq!(
        index.share(&second.token).await.expect("share"),
        Some(second.clone())
    );
    assert!(second.expired(AT + Duration::days(7)) && !second.expired(AT + Duration::days(6)));
    assert_eq!(
        index.shares(&me).await.expect("shares"),
        vec![second.clone(), first.clone()]
    );
    assert!(index.shares(&other).await.expect("shares").is_empty());

    assert!(
        !index
            .revoke_share(&other, &first.token)
            .await
            .expect("revoke"),
        "not theirs to revoke"
    );
    assert!(index.share(&first.token).await.expect("share").is_some());
    assert!(index.revoke_share(&me, &first.token).await.expect("revoke"));
    assert_eq!(index.share(&first.token).await.expect("share"), None);
    assert!(
        !index.revoke_share(&me, &first.token).await.expect("revoke"),
        "once"
    );
}

#[test]
fn ids_and_tokens_are_random_and_refuse_anything_else() {
    let (a, b) = (
        AlbumId::random().expect("id"),
        AlbumId::random().expect("id"),
    );
    assert_ne!(a, b);
    assert_eq!(AlbumId::parse(a.as_str()), Some(a.clone()));
    assert_eq!(AlbumId::parse(&a.as_str().to_uppercase()), None);
    assert_eq!(AlbumId::parse("../etc"), None);
    let token = ShareToken::random().expect("token");
    assert_eq!(token.as_str().len(), 22, "128 bits in base64url");
    assert_eq!(ShareToken::parse(token.as_str()), Some(token.clone()));
    assert_eq!(
        ShareToken::parse(&format!("{}=", &token.as_str()[..21])),
        None
    );
    assert!(
        !format!("{token:?}").contains(token.as_str()),
        "never printed"
    );
}

#[tokio::test]
async fn a_database_from_before_albums_gets_them_and_keeps_its_photos() {
    let dir = tempfile::tempdir().expect("dir");
    let me = fresh_owner("me");
    let photo = record(&me, "kept", datetime!(2024-05-01 10:00 +02:00));
    {
        let index = SqliteIndex::open(dir.path()).expect("index");
        index.insert(&photo).await.expect("insert");
    }
    {
        // Schema version 1, the gallery's release: no album tables yet.
        let old = rusqlite::Connection::open(dir.path().join("index.sqlite3")).expect("db");
        old.execute_batch(
            "DROP TABLE album_photos; DROP TABLE albums; DROP TABLE shares; PRAGMA user_version = 1;",
        )
        .expect("back to version 1");
    }
    let index = SqliteIndex::open(dir.path()).expect("migrates");
    assert_eq!(
        index.page(&me, None, 10).await.expect("page"),
        std::slice::from_ref(&photo)
    );
    let album = AlbumId::random().expect("id");
    index
        .create_album(&me, &album, "New", AT)
        .await
        .expect("create");
    index
        .add_photos(&me, &album, std::slice::from_ref(&photo.id), AT)
        .await
        .expect("add");
    assert_eq!(
        ids(&index.album_page(&me, &album, None, 10).await.expect("page")),
        ids(&[photo])
    );
}
