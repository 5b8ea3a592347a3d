//! Albums and share links in the SQLite index: the [`AlbumIndex`] conformance
//! suite (which DynamoDB also passes), and what only SQLite has to do: open a
//! database from before albums.
//!
//! [`AlbumIndex`]: lambda_index::store::AlbumIndex

use std::sync::Arc;

use lambda_index::store::{
    AlbumId, AlbumIndex, PhotoIndex, View,
    conformance::{albums::Indexes, fresh_owner, record},
};
use local::photo_index::SqliteIndex;
use time::macros::datetime;

/// A fresh index in a folder of its own, removed when the check ends.
async fn make() -> Option<Indexes> {
    let dir = tempfile::tempdir().expect("dir");
    let index = SqliteIndex::open(dir.path()).expect("index");
    Some(Indexes::of(Arc::new(index)).keeping(dir))
}

lambda_index::album_index_conformance!(make);
lambda_index::library_state_conformance!(make);

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
        index
            .page(&me, View::Timeline, None, 10)
            .await
            .expect("page"),
        std::slice::from_ref(&photo)
    );
    let album = AlbumId::random().expect("id");
    let at = datetime!(2026-11-24 10:00 UTC);
    index
        .create_album(&me, &album, "New", at)
        .await
        .expect("create");
    index
        .add_photos(&me, &album, std::slice::from_ref(&photo.id), at)
        .await
        .expect("add");
    assert_eq!(
        index.album_page(&me, &album, None, 10).await.expect("page"),
        [photo]
    );
}
