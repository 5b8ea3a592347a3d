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
