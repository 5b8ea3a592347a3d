//! Data outlives code: the SQLite database the code of 2026-12 wrote (schema
//! version 4: two photos, an album holding both, two share links; made by
//! putting `conformance::fixture_library` through that version's index) opens
//! with today's code, migrated if its schema moved on, and reads back as the
//! same photos, album and links. A change to what a record holds must keep this
//! passing: new fields get defaults, old ones keep their names.

use local::photo_index::SqliteIndex;

use lambda_index::store::conformance::fixture_library;

const LIBRARY_2026_12: &[u8] = include_bytes!("fixtures/library-2026-12/index.sqlite3");

#[tokio::test]
async fn a_library_written_in_2026_12_reads_as_it_was() {
    let dir = tempfile::tempdir().expect("dir");
    // A copy: opening migrates in place, and the fixture must stay as written.
    std::fs::write(dir.path().join("index.sqlite3"), LIBRARY_2026_12).expect("the fixture");
    let index = SqliteIndex::open(dir.path()).expect("opens");
    fixture_library::reads_the_library(&index).await;
}
