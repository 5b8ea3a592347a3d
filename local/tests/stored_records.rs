//! Data outlives code: the SQLite database the code of 2026-12 wrote (schema
//! version 4: two photos, an album holding both, two share links; made by
//! putting `conformance::fixture_library` through that version's index) opens
//! with today's code, migrated if its schema moved on, and reads back as the
//! same photos, album and links; so does the database of 2026-12-07 (schema
//! version 5: videos, a motion photo and a joined Live Photo). A change to
//! what a record holds must keep these passing: new fields get defaults, old
//! ones keep their names.

use local::photo_index::SqliteIndex;

use lambda_index::store::conformance::{fixture_library, fixture_videos};

const LIBRARY_2026_12: &[u8] = include_bytes!("fixtures/library-2026-12/index.sqlite3");
const LIBRARY_2026_12_07: &[u8] = include_bytes!("fixtures/library-2026-12-07/index.sqlite3");

#[tokio::test]
async fn a_library_written_in_2026_12_reads_as_it_was() {
    let dir = tempfile::tempdir().expect("dir");
    // A copy: opening migrates in place, and the fixture must stay as written.
    std::fs::write(dir.path().join("index.sqlite3"), LIBRARY_2026_12).expect("the fixture");
    let index = SqliteIndex::open(dir.path()).expect("opens");
    fixture_library::reads_the_library(&index).await;
}

/// A video, a motion photo and a joined Live Photo as the code of 2026-12-07
/// wrote them (`conformance::fixture_videos::write`).
#[tokio::test]
async fn videos_and_live_photos_written_in_2026_12_07_read_as_they_were() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("index.sqlite3"), LIBRARY_2026_12_07).expect("the fixture");
    let index = SqliteIndex::open(dir.path()).expect("opens");
    fixture_videos::reads_the_library(&index).await;
}
