//! What every index must do, as checks any implementation's tests run. This
//! module owns the [`PhotoIndex`] checks and what all checks share (owners,
//! photo ids and records to write); [`albums`] owns the [`AlbumIndex`] checks.
//!
//! [`photo_index_conformance!`](crate::photo_index_conformance) makes one test
//! per photo check, run on SQLite (`local/tests/photo_index.rs`), DynamoDB over
//! dynalite and the in-memory stand-in the API tests use
//! (`lambda-index/tests/photo_index.rs`);
//! [`album_index_conformance!`](crate::album_index_conformance) does the same
//! for albums, on SQLite (`local/tests/albums.rs`) and dynalite
//! (`lambda-index/tests/album_index.rs`).
//!
//! Each check makes its own owners (unique names), so checks can share a store.
//!
//! [`AlbumIndex`]: super::AlbumIndex

pub mod albums;
pub mod dynalite;
pub mod fixture_videos;
mod live;
pub mod state;

pub use live::a_live_photos_video_leaves_the_timeline_once_joined;

use std::{
    collections::HashSet,
    sync::atomic::{AtomicU64, Ordering},
};

use api_types::{
    photo::{Gps, Metadata, PhotoDetails},
    upload::CommittedPreview,
};
use sha2::{Digest, Sha256};
use time::{Date, Month, OffsetDateTime, UtcOffset, macros::datetime};

use super::{
    DayCount, Inserted, Owner, PhotoId, PhotoIndex, PhotoRecord, PhotoState, Position, Presence,
    View, YearMonth,
};

/// Makes one `#[tokio::test]` per conformance check. `$make` is an async fn
/// returning something that derefs to `dyn PhotoIndex` (an `Arc<dyn PhotoIndex>`,
/// or a guard that keeps its server alive).
#[macro_export]
macro_rules! photo_index_conformance {
    ($make:path) => {
        $crate::photo_index_conformance!(@tests $make;
            reads_back_what_it_wrote,
            a_second_insert_keeps_the_first,
            existing_finds_only_the_owners_photos,
            pages_newest_first_with_bursts_apart,
            the_last_page_is_the_true_end,
            paging_misses_and_repeats_nothing_while_photos_come_and_go,
            owners_never_see_each_other,
            remove_takes_the_photo_and_its_count,
            days_are_counted_on_the_cameras_clock,
            a_month_can_be_jumped_to,
            counts_follow_concurrent_inserts_and_removes,
            the_delete_allowance_holds_under_concurrent_takes,
            a_live_photos_video_leaves_the_timeline_once_joined,
        );
    };
    (@tests $make:path; $($check:ident,)*) => {
        $(
            #[tokio::test]
            async fn $check() {
                let subject = $make().await;
                $crate::store::conformance::$check(&*subject).await;
            }
        )*
    };
}

/// An owner no other check uses.
pub fn fresh_owner(name: &str) -> Owner {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    Owner::new(&format!("{name}-{nanos}-{n}")).expect("a usable owner")
}

/// A stable photo id for `seed`.
pub fn id_for(seed: &str) -> PhotoId {
    let digest = Sha256::digest(seed.as_bytes());
    PhotoId::parse(&hex::encode(digest)).expect("hex SHA-256")
}

/// A full record, every optional field set, taken at `taken_at`.
pub fn record(owner: &Owner, seed: &str, taken_at: OffsetDateTime) -> PhotoRecord {
    PhotoRecord {
        owner: owner.clone(),
        id: id_for(&format!("{}/{seed}", owner.as_str())),
        taken_at,
        uploaded_at: datetime!(2026-11-24 09:30:00.123 UTC),
        details: PhotoDetails {
            filename: format!("IMG_{seed}.JPG"),
            content_type: "image/jpeg".into(),
            bytes: 4_812_345,
            width: Some(4032),
            height: Some(3024),
            metadata: Metadata {
                camera: Some("Apple iPhone 15".into()),
                lens: Some("iPhone 15 back camera 6.86mm f/1.6".into()),
                exposure_time: Some("1/120".into()),
                f_number: Some(1.6),
                iso: Some(64),
                focal_length: Some(6.86),
                gps: Some(Gps {
                    latitude: 46.5197,
                    longitude: 6.6323,
                    altitude: Some(372.0),
                }),
                ..Metadata::default()
            },
            placeholder: Some("1QcSHQRnh493V4dIh4eXh1h4kJUI".into()),
            video: None,
            motion: None,
            imported: None,
        },
        thumb: Some(CommittedPreview {
            content_type: "image/webp".into(),
            bytes: 21_000,
            width: 400,
            height: 300,
        }),
        web: Some(CommittedPreview {
            content_type: "image/webp".into(),
            bytes: 180_000,
            width: 2048,
            height: 1536,
        }),
        live: None,
        state: PhotoState::default(),
    }
}

async fn insert_all(index: &dyn PhotoIndex, records: &[PhotoRecord]) {
    for record in records {
        assert_eq!(
            index.insert(record).await.expect("insert"),
            Inserted::New,
            "{} is new",
            record.details.filename
        );
    }
}

/// Every photo, paging `limit` at a time from the newest.
async fn walk(index: &dyn PhotoIndex, owner: &Owner, limit: usize) -> Vec<PhotoRecord> {
    let mut all: Vec<PhotoRecord> = Vec::new();
    loop {
        let after = all.last().map(PhotoRecord::position);
        let page = index
            .page(owner, View::Timeline, after.as_ref(), limit)
            .await
            .expect("page");
        assert!(page.len() <= limit, "a page holds at most its limit");
        let done = page.len() < limit;
        all.extend(page);
        if done {
            return all;
        }
    }
}

fn ids(records: &[PhotoRecord]) -> Vec<PhotoId> {
    records.iter().map(|record| record.id.clone()).collect()
}

/// The order the timeline must have: camera clock, then id, both descending.
fn sorted_newest_first(mut records: Vec<PhotoRecord>) -> Vec<PhotoRecord> {
    records.sort_by_key(|record| std::cmp::Reverse(record.position().order()));
    records
}

impl Position {
    fn order(&self) -> (i64, PhotoId) {
        (self.clock_ms, self.id.clone())
    }
}

fn at(year: i32, month: u8, day: u8, hour: u8, minute: u8, offset_hours: i8) -> OffsetDateTime {
    Date::from_calendar_date(year, Month::try_from(month).expect("month"), day)
        .expect("date")
        .with_hms(hour, minute, 0)
        .expect("time")
        .assume_offset(UtcOffset::from_hms(offset_hours, 0, 0).expect("offset"))
}

fn day(year: i32, month: u8, day: u8) -> Date {
    Date::from_calendar_date(year, Month::try_from(month).expect("month"), day).expect("date")
}

pub async fn reads_back_what_it_wrote(index: &dyn PhotoIndex) {
    let owner = fresh_owner("reader");
    let mut sparse = record(&owner, "sparse", at(2019, 7, 1, 8, 0, -7));
    sparse.details.width = None;
    sparse.details.height = None;
    sparse.details.metadata = Metadata::default();
    sparse.thumb = None;
    sparse.web = None;
    sparse.details.placeholder = None;
    sparse.details.filename = "Été à Zürich 🌄.heic".into();
    let full = record(&owner, "full", datetime!(2024-05-03 18:45:12.250 +05:30));
    insert_all(index, &[full.clone(), sparse.clone()]).await;
    for written in [full, sparse] {
        let read = index.get(&owner, &written.id).await.expect("get");
        assert_eq!(
            read.as_ref(),
            Some(&written),
            "read back as written, offset and milliseconds included"
        );
    }
    assert_eq!(
        index.get(&owner, &id_for("never")).await.expect("get"),
        None
    );
}

pub async fn a_second_insert_keeps_the_first(index: &dyn PhotoIndex) {
    let owner = fresh_owner("twice");
    let first = record(&owner, "a", at(2022, 1, 2, 3, 4, 0));
    insert_all(index, std::slice::from_ref(&first)).await;
    let mut again = first.clone();
    again.details.filename = "copy of IMG_a.JPG".into();
    again.taken_at = at(2023, 1, 1, 0, 0, 0);
    match index.insert(&again).await.expect("insert") {
        Inserted::AlreadyThere(stored) => assert_eq!(*stored, first),
        Inserted::New => panic!("a second insert of the same id replaced the first"),
    }
    assert_eq!(
        index.get(&owner, &first.id).await.expect("get"),
        Some(first)
    );
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [DayCount {
            day: day(2022, 1, 2),
            count: 1
        }],
        "counted once"
    );
}

pub async fn existing_finds_only_the_owners_photos(index: &dyn PhotoIndex) {
    let owner = fresh_owner("dedup");
    let other = fresh_owner("dedup-other");
    // More than DynamoDB's 100 keys per batch read.
    let mine: Vec<PhotoRecord> = (0..130)
        .map(|n| record(&owner, &n.to_string(), at(2021, 3, 1, 12, 0, 0)))
        .collect();
    insert_all(index, &mine).await;
    let theirs = record(&other, "x", at(2021, 3, 1, 12, 0, 0));
    insert_all(index, std::slice::from_ref(&theirs)).await;
    let mut asked: Vec<PhotoId> = ids(&mine[..120]);
    asked.push(theirs.id.clone());
    asked.push(id_for("nobody has this"));
    // The same file twice in one upload batch asks twice.
    asked.push(mine[0].id.clone());
    asked.push(mine[101].id.clone());
    let found = index.existing(&owner, &asked).await.expect("existing");
    assert_eq!(
        found.keys().cloned().collect::<HashSet<_>>(),
        ids(&mine[..120]).into_iter().collect::<HashSet<_>>()
    );
    assert!(found.values().all(|presence| *presence == Presence::Kept));
    assert!(
        index
            .existing(&owner, &[])
            .await
            .expect("existing")
            .is_empty()
    );
}

pub async fn pages_newest_first_with_bursts_apart(index: &dyn PhotoIndex) {
    let owner = fresh_owner("burst");
    let mut records = Vec::new();
    // A burst of 40 in one second (even one millisecond), and spread-out photos.
    for n in 0..40 {
        records.push(record(
            &owner,
            &format!("burst{n}"),
            at(2020, 8, 15, 14, 30, 2),
        ));
    }
    for n in 0..35 {
        records.push(record(
            &owner,
            &format!("day{n}"),
            at(2020, 8, 1 + (n % 28) as u8, (n % 24) as u8, 0, 0),
        ));
    }
    // Scanned prints from before 1970 sort below everything else.
    records.push(record(&owner, "1965", at(1965, 7, 4, 16, 0, -4)));
    records.push(record(&owner, "1899", at(1899, 12, 31, 23, 0, 0)));
    insert_all(index, &records).await;
    let expected = ids(&sorted_newest_first(records));
    for limit in [1, 7, 40, 75, 200] {
        assert_eq!(
            ids(&walk(index, &owner, limit).await),
            expected,
            "pages of {limit}: every photo once, newest first, bursts by id"
        );
    }
}

pub async fn the_last_page_is_the_true_end(index: &dyn PhotoIndex) {
    let owner = fresh_owner("end");
    let records: Vec<PhotoRecord> = (0..20)
        .map(|n| record(&owner, &n.to_string(), at(2018, 2, 1 + n as u8, 9, 0, 1)))
        .collect();
    insert_all(index, &records).await;
    let newest_first = sorted_newest_first(records);
    // Exactly a page left: the page is full, and the one after it is empty.
    let after = newest_first[9].position();
    let page = index
        .page(&owner, View::Timeline, Some(&after), 10)
        .await
        .expect("page");
    assert_eq!(ids(&page), ids(&newest_first[10..]));
    let past_end = index
        .page(
            &owner,
            View::Timeline,
            Some(&newest_first[19].position()),
            10,
        )
        .await
        .expect("page");
    assert!(past_end.is_empty(), "nothing after the oldest photo");
    assert!(
        index
            .page(&fresh_owner("empty"), View::Timeline, None, 10)
            .await
            .expect("page")
            .is_empty()
    );
}

pub async fn paging_misses_and_repeats_nothing_while_photos_come_and_go(index: &dyn PhotoIndex) {
    let owner = fresh_owner("churn");
    let stable: Vec<PhotoRecord> = (0..60)
        .map(|n| {
            record(
                &owner,
                &format!("s{n}"),
                at(2017, 6, 1 + (n % 30) as u8, (n % 24) as u8, 0, 2),
            )
        })
        .collect();
    let doomed: Vec<PhotoRecord> = (0..20)
        .map(|n| {
            record(
                &owner,
                &format!("d{n}"),
                at(2017, 6, 1 + (n % 30) as u8, 12, 30, 2),
            )
        })
        .collect();
    insert_all(index, &stable).await;
    insert_all(index, &doomed).await;
    // Page through while newer, older and same-time photos arrive and others go.
    let mut seen: Vec<PhotoRecord> = Vec::new();
    let mut round = 0;
    loop {
        let after = seen.last().map(PhotoRecord::position);
        let page = index
            .page(&owner, View::Timeline, after.as_ref(), 9)
            .await
            .expect("page");
        let done = page.len() < 9;
        seen.extend(page);
        if let Some(gone) = doomed.get(round) {
            assert!(
                index
                    .remove(&owner, &gone.id)
                    .await
                    .expect("remove")
                    .is_some()
            );
        }
        let arriving = [
            record(&owner, &format!("new{round}"), at(2025, 1, 1, 0, 0, 0)),
            record(&owner, &format!("old{round}"), at(2010, 1, 1, 0, 0, 0)),
            record(&owner, &format!("same{round}"), stable[round % 60].taken_at),
        ];
        insert_all(index, &arriving).await;
        round += 1;
        if done {
            break;
        }
    }
    let seen_ids = ids(&seen);
    let unique: HashSet<&PhotoId> = seen_ids.iter().collect();
    assert_eq!(unique.len(), seen_ids.len(), "no photo listed twice");
    for photo in &stable {
        assert!(
            seen_ids.contains(&photo.id),
            "{} was missed",
            photo.details.filename
        );
    }
    let orders: Vec<_> = seen.iter().map(|r| r.position().order()).collect();
    assert!(
        orders.windows(2).all(|w| w[0] > w[1]),
        "always newest first"
    );
}

pub async fn owners_never_see_each_other(index: &dyn PhotoIndex) {
    let alice = fresh_owner("alice");
    let bob = fresh_owner("bob");
    let hers = record(&alice, "hers", at(2016, 4, 4, 4, 4, 0));
    insert_all(index, std::slice::from_ref(&hers)).await;
    // Bob holding the very same file is his own photo, with its own record.
    let mut same_file = hers.clone();
    same_file.owner = bob.clone();
    same_file.details.filename = "bobs copy.jpg".into();
    assert_eq!(index.get(&bob, &hers.id).await.expect("get"), None);
    assert!(
        index
            .page(&bob, View::Timeline, None, 10)
            .await
            .expect("page")
            .is_empty()
    );
    assert!(
        index
            .day_counts(&bob, View::Timeline, None)
            .await
            .expect("counts")
            .is_empty()
    );
    assert_eq!(index.remove(&bob, &hers.id).await.expect("remove"), None);
    assert_eq!(
        index.insert(&same_file).await.expect("insert"),
        Inserted::New
    );
    assert_eq!(
        index.get(&alice, &hers.id).await.expect("get"),
        Some(hers.clone())
    );
    assert!(
        index
            .remove(&bob, &hers.id)
            .await
            .expect("remove")
            .is_some()
    );
    assert_eq!(
        index.get(&alice, &hers.id).await.expect("get"),
        Some(hers),
        "Bob removing his copy leaves Alice's"
    );
    assert_eq!(
        index
            .day_counts(&alice, View::Timeline, None)
            .await
            .expect("counts")
            .len(),
        1
    );
}

pub async fn remove_takes_the_photo_and_its_count(index: &dyn PhotoIndex) {
    let owner = fresh_owner("remove");
    let keep = record(&owner, "keep", at(2015, 9, 9, 9, 0, 0));
    let go = record(&owner, "go", at(2015, 9, 9, 10, 0, 0));
    let alone = record(&owner, "alone", at(2015, 9, 10, 10, 0, 0));
    insert_all(index, &[keep.clone(), go.clone(), alone.clone()]).await;
    assert_eq!(
        index.remove(&owner, &go.id).await.expect("remove"),
        Some(go.clone())
    );
    assert_eq!(
        index.remove(&owner, &go.id).await.expect("again"),
        None,
        "safe to repeat"
    );
    assert_eq!(
        index.remove(&owner, &alone.id).await.expect("remove"),
        Some(alone.clone())
    );
    assert_eq!(index.get(&owner, &go.id).await.expect("get"), None);
    assert!(
        index
            .existing(&owner, std::slice::from_ref(&go.id))
            .await
            .expect("existing")
            .is_empty()
    );
    assert_eq!(
        ids(&walk(index, &owner, 10).await),
        std::slice::from_ref(&keep.id)
    );
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [DayCount {
            day: day(2015, 9, 9),
            count: 1
        }],
        "the emptied day is gone"
    );
    // The same file can come back after being removed.
    assert_eq!(index.insert(&go).await.expect("insert"), Inserted::New);
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [DayCount {
            day: day(2015, 9, 9),
            count: 2
        }]
    );
}

pub async fn days_are_counted_on_the_cameras_clock(index: &dyn PhotoIndex) {
    let owner = fresh_owner("days");
    let records = [
        // 23:30 in New York on 31 December is 1 January in UTC: it counts on the 31st.
        record(&owner, "nye", at(2023, 12, 31, 23, 30, -5)),
        record(&owner, "ny1", at(2024, 1, 1, 0, 10, 1)),
        record(&owner, "ny2", at(2024, 1, 1, 0, 20, 1)),
        record(&owner, "feb", at(2024, 2, 29, 12, 0, 9)),
        record(&owner, "dec", at(2023, 12, 2, 7, 0, 0)),
    ];
    insert_all(index, &records).await;
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [
            DayCount {
                day: day(2024, 2, 29),
                count: 1
            },
            DayCount {
                day: day(2024, 1, 1),
                count: 2
            },
            DayCount {
                day: day(2023, 12, 31),
                count: 1
            },
            DayCount {
                day: day(2023, 12, 2),
                count: 1
            },
        ]
    );
    let december = YearMonth::parse("2023-12").expect("month");
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, Some(december))
            .await
            .expect("counts"),
        [
            DayCount {
                day: day(2023, 12, 31),
                count: 1
            },
            DayCount {
                day: day(2023, 12, 2),
                count: 1
            },
        ]
    );
    let empty = YearMonth::parse("2023-11").expect("month");
    assert!(
        index
            .day_counts(&owner, View::Timeline, Some(empty))
            .await
            .expect("counts")
            .is_empty()
    );
    // The timeline agrees with the days: the New Year's Eve photo comes after
    // (is older than) both of New Year's Day's, though it is later in UTC.
    let order: Vec<String> = walk(index, &owner, 10)
        .await
        .into_iter()
        .map(|r| r.details.filename)
        .collect();
    assert_eq!(
        order,
        [
            "IMG_feb.JPG",
            "IMG_ny2.JPG",
            "IMG_ny1.JPG",
            "IMG_nye.JPG",
            "IMG_dec.JPG"
        ]
    );
}

pub async fn a_month_can_be_jumped_to(index: &dyn PhotoIndex) {
    let owner = fresh_owner("jump");
    let records = [
        record(&owner, "jun", at(2022, 6, 1, 0, 0, 0)),
        record(&owner, "may-last", at(2022, 5, 31, 23, 59, 0)),
        record(&owner, "may-first", at(2022, 5, 1, 0, 0, 0)),
        record(&owner, "april", at(2022, 4, 30, 23, 0, 0)),
        record(&owner, "dec", at(2021, 12, 31, 23, 59, 0)),
    ];
    insert_all(index, &records).await;
    let from = |month: &str| Position::after_month(YearMonth::parse(month).expect("month"));
    let may = index
        .page(&owner, View::Timeline, Some(&from("2022-05")), 2)
        .await
        .expect("page");
    assert_eq!(
        may.iter()
            .map(|r| r.details.filename.as_str())
            .collect::<Vec<_>>(),
        ["IMG_may-last.JPG", "IMG_may-first.JPG"]
    );
    let december = index
        .page(&owner, View::Timeline, Some(&from("2021-12")), 5)
        .await
        .expect("page");
    assert_eq!(
        december
            .iter()
            .map(|r| r.details.filename.as_str())
            .collect::<Vec<_>>(),
        ["IMG_dec.JPG"],
        "December's jump rolls over into the next year"
    );
    assert!(
        index
            .page(&owner, View::Timeline, Some(&from("1999-01")), 5)
            .await
            .expect("page")
            .is_empty()
    );
}

pub async fn counts_follow_concurrent_inserts_and_removes(index: &dyn PhotoIndex) {
    let owner = fresh_owner("concurrent");
    let records: Vec<PhotoRecord> = (0..24)
        .map(|n| record(&owner, &n.to_string(), at(2014, 3, 3, n as u8, 0, 0)))
        .collect();
    // Everything at once, each twice (a retried commit from two tabs).
    let inserts = records
        .iter()
        .chain(records.iter())
        .map(|record| index.insert(record));
    let results = futures::future::join_all(inserts).await;
    let new = results
        .into_iter()
        .filter(|result| matches!(result, Ok(Inserted::New)))
        .count();
    assert_eq!(new, 24, "each photo is new exactly once");
    let removes = records[..10]
        .iter()
        .chain(records[..10].iter())
        .map(|record| index.remove(&owner, &record.id));
    let removed = futures::future::join_all(removes)
        .await
        .into_iter()
        .filter(|result| matches!(result, Ok(Some(_))))
        .count();
    assert_eq!(removed, 10, "each photo is removed exactly once");
    assert_eq!(
        index
            .day_counts(&owner, View::Timeline, None)
            .await
            .expect("counts"),
        [DayCount {
            day: day(2014, 3, 3),
            count: 14
        }]
    );
}

/// No more than the limit, even when every request comes at once; per owner
/// and per window.
pub async fn the_delete_allowance_holds_under_concurrent_takes(index: &dyn PhotoIndex) {
    let owner = fresh_owner("deleter");
    let other = fresh_owner("bystander");
    let window = 1_700_000_000;
    let takes = (0..30).map(|_| index.take_delete(&owner, window, 20));
    let results = futures::future::join_all(takes).await;
    let mut granted: Vec<u32> = results
        .into_iter()
        .filter_map(|result| result.expect("take"))
        .collect();
    granted.sort_unstable();
    assert_eq!(granted, (1..=20).collect::<Vec<_>>(), "each of 1..=20 once");
    assert_eq!(
        index.take_delete(&owner, window, 20).await.expect("take"),
        None
    );
    assert_eq!(
        index.take_delete(&other, window, 20).await.expect("take"),
        Some(1),
        "another owner's allowance is their own"
    );
    assert_eq!(
        index
            .take_delete(&owner, window + 3600, 20)
            .await
            .expect("take"),
        Some(1),
        "the next window starts afresh"
    );
}

/// The library the stored-record fixtures hold (`lambda-index/tests/fixtures/
/// records/`, `local/tests/fixtures/`): written by the code of 2026-12 and kept,
/// so each later version proves it still reads what that one wrote.
pub mod fixture_library {
    use time::macros::{date, datetime};

    use super::{Metadata, Owner, PhotoRecord, record};
    use crate::store::{
        AlbumId, AlbumIndex, AlbumRecord, DayCount, PhotoIndex, ShareRecord, ShareToken, View,
    };

    pub fn owner() -> Owner {
        Owner::new("fixture-owner-2026-12").expect("a usable owner")
    }

    /// Every optional field set.
    pub fn full() -> PhotoRecord {
        record(&owner(), "full", datetime!(2019-09-26 16:38:00.5 +02:00))
    }

    /// Nothing optional: no size, no EXIF, no previews (a file the browser
    /// could not decode).
    pub fn bare() -> PhotoRecord {
        let mut bare = record(&owner(), "bare", datetime!(2021-03-04 05:06:07 UTC));
        bare.details.filename = "scan.heic".into();
        bare.details.content_type = "image/heic".into();
        bare.details.width = None;
        bare.details.height = None;
        bare.details.metadata = Metadata::default();
        bare.thumb = None;
        bare.web = None;
        bare.details.placeholder = None;
        bare
    }

    /// Newest first, as the timeline pages them.
    pub fn photos() -> Vec<PhotoRecord> {
        vec![bare(), full()]
    }

    pub fn album() -> AlbumId {
        AlbumId::parse("0123456789abcdef0123456789abcdef").expect("an album id")
    }

    pub const ALBUM_TITLE: &str = "Lausanne, 2019";

    pub fn shares() -> Vec<ShareRecord> {
        let share = |token: &str, show_location: bool| ShareRecord {
            token: ShareToken::parse(token).expect("a token"),
            owner: owner(),
            album: album(),
            created_at: datetime!(2026-12-01 10:00:00 UTC),
            expires_at: (!show_location).then_some(datetime!(2027-01-01 00:00:00 UTC)),
            allow_download: true,
            show_location,
        };
        vec![
            share("fixtureShareToken00001", false),
            share("fixtureShareToken00002", true),
        ]
    }

    /// Checks that `index`, holding the fixture as the code of 2026-12 wrote
    /// it, reads back every photo, count, album and link as they were.
    pub async fn reads_the_library<I: PhotoIndex + AlbumIndex + ?Sized>(index: &I) {
        let owner = owner();
        for photo in photos() {
            assert_eq!(
                index.get(&owner, &photo.id).await.expect("get"),
                Some(photo.clone()),
                "{} reads as written",
                photo.details.filename
            );
        }
        assert_eq!(
            index
                .page(&owner, View::Timeline, None, 10)
                .await
                .expect("page"),
            photos(),
            "the timeline"
        );
        assert_eq!(
            index
                .day_counts(&owner, View::Timeline, None)
                .await
                .expect("counts"),
            [
                DayCount {
                    day: date!(2021 - 03 - 04),
                    count: 1
                },
                DayCount {
                    day: date!(2019 - 09 - 26),
                    count: 1
                },
            ]
        );
        let album = AlbumRecord {
            owner: owner.clone(),
            id: album(),
            title: ALBUM_TITLE.into(),
            created_at: datetime!(2026-12-01 09:00:00 UTC),
            updated_at: datetime!(2026-12-01 09:05:00 UTC),
            chosen_cover: None,
            count: 2,
            cover: Some(bare()),
        };
        assert_eq!(index.albums(&owner).await.expect("albums"), [album]);
        assert_eq!(
            index
                .album_page(&owner, &self::album(), None, 10)
                .await
                .expect("album page"),
            photos(),
            "the album's photos"
        );
        let mut shares = shares();
        shares.reverse();
        let mut stored = index.shares(&owner).await.expect("shares");
        stored.sort_by(|a, b| b.token.as_str().cmp(a.token.as_str()));
        assert_eq!(stored, shares, "the links, location choice included");
        for share in &shares {
            assert_eq!(
                index.share(&share.token).await.expect("share").as_ref(),
                Some(share),
                "the link opens as made"
            );
        }
    }
}
