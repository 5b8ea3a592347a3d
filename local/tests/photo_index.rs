//! The SQLite index: the [`PhotoIndex`] conformance suite (which DynamoDB and the
//! in-memory stand-in also pass), what survives a restart, and the move from the
//! first release's database.

use std::ops::Deref;

use lambda_index::store::{
    DayCount, PhotoIndex, View,
    conformance::{fresh_owner, record},
};
use local::photo_index::SqliteIndex;
use tempfile::TempDir;
use time::macros::{date, datetime};

/// An index in a folder of its own, removed when the test ends.
struct Fresh {
    index: SqliteIndex,
    _dir: TempDir,
}

impl Deref for Fresh {
    type Target = dyn PhotoIndex;
    fn deref(&self) -> &Self::Target {
        &self.index
    }
}

async fn make() -> Fresh {
    let dir = tempfile::tempdir().expect("dir");
    Fresh {
        index: SqliteIndex::open(dir.path()).expect("index"),
        _dir: dir,
    }
}

lambda_index::photo_index_conformance!(make);

#[tokio::test]
async fn photos_and_counts_survive_a_restart() {
    let dir = tempfile::tempdir().expect("dir");
    let owner = fresh_owner("restart");
    let photo = record(&owner, "kept", datetime!(2019-09-26 16:38:00.5 +02:00));
    {
        let index = SqliteIndex::open(dir.path()).expect("index");
        index.insert(&photo).await.expect("insert");
    }
    let reopened = SqliteIndex::open(dir.path()).expect("reopens");
    assert_eq!(
        reopened.get(&owner, &photo.id).await.expect("get"),
        Some(photo),
        "read back as written, offset included"
    );
    assert_eq!(
        reopened
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [DayCount {
            day: date!(2019 - 09 - 26),
            count: 1
        }]
    );
}

/// The first release kept `taken_ms` in UTC and no counts; opening its database
/// moves every photo to the camera-clock order and counts them.
#[tokio::test]
async fn a_first_release_database_is_migrated_without_losing_a_photo() {
    let dir = tempfile::tempdir().expect("dir");
    let owner = fresh_owner("migrated");
    let late = record(&owner, "late", datetime!(2023-12-31 23:30:00 -05:00));
    let early = record(&owner, "early", datetime!(2024-01-01 00:10:00 +01:00));
    {
        let old = rusqlite::Connection::open(dir.path().join("index.sqlite3")).expect("db");
        old.execute_batch(
            "CREATE TABLE photos (owner TEXT NOT NULL, id TEXT NOT NULL, taken_ms INTEGER NOT NULL,
                taken_at TEXT NOT NULL, uploaded_at TEXT NOT NULL, details TEXT NOT NULL,
                PRIMARY KEY (owner, id)) WITHOUT ROWID;
             CREATE INDEX timeline ON photos (owner, taken_ms DESC, id DESC);",
        )
        .expect("old schema");
        for photo in [&late, &early] {
            let text = |at: time::OffsetDateTime| {
                at.format(&time::format_description::well_known::Rfc3339)
                    .expect("time")
            };
            old.execute(
                "INSERT INTO photos VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    photo.owner.as_str(),
                    photo.id.as_str(),
                    (photo.taken_at.unix_timestamp_nanos() / 1_000_000) as i64,
                    text(photo.taken_at),
                    text(photo.uploaded_at),
                    lambda_index::store::index::encode_details(photo).expect("json"),
                ],
            )
            .expect("old row");
        }
    }
    let index = SqliteIndex::open(dir.path()).expect("migrates");
    let page = index
        .page(&owner, View::Timeline, None, 10)
        .await
        .expect("page");
    assert_eq!(
        page,
        [early.clone(), late.clone()],
        "both kept, New Year's Day first on the camera's clock (in UTC it was the other way)"
    );
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [
            DayCount {
                day: date!(2024 - 01 - 01),
                count: 1
            },
            DayCount {
                day: date!(2023 - 12 - 31),
                count: 1
            }
        ]
    );
    drop(index);
    SqliteIndex::open(dir.path()).expect("opening again changes nothing");
}

/// A database of the release before the delete allowance (schema version 2)
/// opens with every photo and gains the allowance's table.
#[tokio::test]
async fn a_version_2_database_gains_the_delete_allowance_and_keeps_its_photos() {
    let dir = tempfile::tempdir().expect("dir");
    let owner = fresh_owner("before-allowance");
    let photo = record(&owner, "kept", datetime!(2024-05-01 10:00:00 +02:00));
    {
        let index = SqliteIndex::open(dir.path()).expect("open");
        index.insert(&photo).await.expect("insert");
    }
    {
        let old = rusqlite::Connection::open(dir.path().join("index.sqlite3")).expect("db");
        old.execute_batch("DROP TABLE delete_allowance; PRAGMA user_version = 2;")
            .expect("as version 2 left it");
    }
    let index = SqliteIndex::open(dir.path()).expect("migrates");
    assert_eq!(
        index
            .page(&owner, View::Timeline, None, 10)
            .await
            .expect("page"),
        [photo]
    );
    assert_eq!(
        index
            .take_delete(&owner, 1_700_000_000, 5)
            .await
            .expect("take"),
        Some(1)
    );
}

/// Links made before a link could show the location (schema version 3) read
/// back as keeping it private.
#[tokio::test]
async fn a_version_3_databases_links_keep_the_location_private() {
    use lambda_index::store::{AlbumId, AlbumIndex, ShareRecord, ShareToken};
    let dir = tempfile::tempdir().expect("dir");
    let owner = fresh_owner("old-links");
    let album = AlbumId::parse(&"c".repeat(32)).expect("album");
    let at = datetime!(2024-05-01 10:00:00 UTC);
    let link = ShareRecord {
        token: ShareToken::random().expect("token"),
        owner: owner.clone(),
        album: album.clone(),
        created_at: at,
        expires_at: None,
        allow_download: true,
        show_location: false,
    };
    {
        let index = SqliteIndex::open(dir.path()).expect("open");
        index
            .create_album(&owner, &album, "Old", at)
            .await
            .expect("album");
        index.create_share(&link).await.expect("link");
    }
    {
        let old = rusqlite::Connection::open(dir.path().join("index.sqlite3")).expect("db");
        old.execute_batch("ALTER TABLE shares DROP COLUMN show_location; PRAGMA user_version = 3;")
            .expect("as version 3 left it");
    }
    let index = SqliteIndex::open(dir.path()).expect("migrates");
    assert_eq!(index.share(&link.token).await.expect("share"), Some(link));
}

#[tokio::test]
async fn a_version_5_database_gains_the_views_with_every_photo_in_its_timeline() {
    use lambda_index::store::StateChange;
    let dir = tempfile::tempdir().expect("dir");
    let owner = fresh_owner("before-trash");
    let photos = [
        record(&owner, "one", datetime!(2024-05-01 10:00 +02:00)),
        record(&owner, "two", datetime!(2024-05-02 10:00 +02:00)),
    ];
    {
        let index = SqliteIndex::open(dir.path()).expect("open");
        for photo in &photos {
            index.insert(photo).await.expect("insert");
        }
    }
    {
        let old = rusqlite::Connection::open(dir.path().join("index.sqlite3")).expect("db");
        old.execute_batch(
            "DROP INDEX favorites_view; DROP INDEX archive_view; DROP INDEX trash_view;
             DROP INDEX trash_due; DROP TABLE view_days;
             ALTER TABLE timeline DROP COLUMN favorite;
             ALTER TABLE timeline DROP COLUMN in_archive;
             ALTER TABLE timeline DROP COLUMN trashed_ms;
             PRAGMA user_version = 5;",
        )
        .expect("as version 5 left it");
    }
    let index = SqliteIndex::open(dir.path()).expect("migrates");
    let page = index
        .page(&owner, View::Timeline, None, 10)
        .await
        .expect("page");
    assert_eq!(page.len(), 2);
    assert!(page.iter().all(|photo| photo.state == Default::default()));
    for view in [View::Favorites, View::Archive, View::Trash] {
        assert!(
            index
                .page(&owner, view, None, 10)
                .await
                .expect("page")
                .is_empty()
        );
    }
    let trashed = index
        .change(
            &owner,
            &photos[0].id,
            StateChange::Trash {
                at: datetime!(2026-12-07 12:00 UTC),
            },
        )
        .await
        .expect("change")
        .expect("there");
    assert!(trashed.state.trashed_at.is_some());
    assert_eq!(
        index
            .day_counts(&owner, View::Trash, None)
            .await
            .expect("counts"),
        [DayCount {
            day: date!(2024 - 05 - 01),
            count: 1
        }]
    );
}
