//! Data outlives code: DynamoDB items as the code of 2026-12 wrote them
//! (`fixtures/records/dynamodb-items-2026-12.json`: two photos, their day
//! counts, an album holding both and two share links) are read by today's code
//! as the same photos, album and links. A change to what a record holds must
//! keep this passing: new fields get defaults, old ones keep their names.
//!
//! The fixture was made by putting `conformance::fixture_library` through the
//! DynamoDB index of that time on dynalite and scanning the table; the one of
//! 2026-12-07 holds videos, a motion photo and a joined Live Photo
//! (`conformance::fixture_videos`).

mod support;

use lambda_index::store::conformance::{fixture_library, fixture_videos};
use support::dynalite::{dynalite, table_holding};

const ITEMS_2026_12: &str = include_str!("fixtures/records/dynamodb-items-2026-12.json");
const ITEMS_2026_12_07: &str = include_str!("fixtures/records/dynamodb-items-2026-12-07.json");

#[tokio::test]
async fn items_written_in_2026_12_read_as_they_were() {
    let items: Vec<serde_json::Value> = serde_json::from_str(ITEMS_2026_12).expect("the fixture");
    let index = table_holding(dynalite(), &items).await;
    fixture_library::reads_the_library(&index).await;
}

/// A video, a motion photo and a joined Live Photo as the code of 2026-12-07
/// wrote them (`conformance::fixture_videos::write` on dynalite, scanned).
#[tokio::test]
async fn videos_and_live_photos_written_in_2026_12_07_read_as_they_were() {
    let items: Vec<serde_json::Value> =
        serde_json::from_str(ITEMS_2026_12_07).expect("the fixture");
    let index = table_holding(dynalite(), &items).await;
    fixture_videos::reads_the_library(&index).await;
}

/// The bucket's own copy of the library, as the code of 2026-12-07 wrote it
/// for `conformance::fixture_library` (`fixtures/records/bucket-2026-12-07/`,
/// one file per object, `/` written `~`): each photo's record and each change
/// to its album read back as the same photos and album, links included.
#[test]
fn the_bucket_as_written_in_2026_12_07_reads_as_it_was() {
    use lambda_index::store::{album_log, conformance::fixture_library, record_object};

    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/records/bucket-2026-12-07"
    );
    let mut objects: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("the fixture")
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let key = path
                .file_name()
                .and_then(|name| name.to_str())
                .expect("a name")
                .replace('~', "/");
            (key, std::fs::read(&path).expect("the object"))
        })
        .collect();
    objects.sort();
    let owner = fixture_library::owner();
    let prefix = format!("u/{}/", owner.as_str());
    let mut photos: Vec<_> = objects
        .iter()
        .filter(|(key, _)| key.starts_with(&format!("{prefix}m/")))
        .map(|(_, body)| record_object::decode(body, owner.clone()).expect("a record reads"))
        .collect();
    photos.sort_by_key(|photo| std::cmp::Reverse(photo.taken_at));
    assert_eq!(photos, fixture_library::photos());

    let album = album_log::replay(
        objects
            .iter()
            .filter(|(key, _)| key.starts_with(&format!("{prefix}a/")))
            .map(|(_, body)| album_log::decode(body).expect("a change reads")),
    )
    .expect("the album");
    assert_eq!(album.title, fixture_library::ALBUM_TITLE);
    assert_eq!(
        album.photos,
        vec![
            fixture_library::full().id.to_string(),
            fixture_library::bare().id.to_string()
        ]
    );
    assert_eq!(album.cover, Some(fixture_library::full().id.to_string()));
    let tokens: Vec<String> = fixture_library::shares()
        .iter()
        .map(|share| share.token.as_str().to_owned())
        .collect();
    assert_eq!(album.shares.keys().cloned().collect::<Vec<_>>(), tokens);
}
