//! The recovery tools' speed, for `cargo xtask bench --only recovery`:
//!
//! `cargo run --release -p local --example recovery_bench -- [PHOTOS] [ALBUMS]`
//!
//! Fills a new data folder's store, over S3 on loopback as commits would,
//! with PHOTOS photos (an original of 64 KB whose SHA-256 is its id, two
//! previews, its record) and ALBUMS albums of 50 photos each with a link;
//! then times what an operator runs: listing the bucket, rebuilding the lost
//! index from it, and checking index and bucket agree with and without
//! reading every original. Prints a table.

use std::time::Instant;

use futures::{StreamExt, TryStreamExt, stream};
use lambda_index::{
    recovery::{Library, inventory, rebuild, verify},
    store::{
        AlbumId, ObjectKey, ObjectStore, Owner, PhotoId, ShareRecord, ShareToken, Variant,
        album_log::{self, AlbumEvent},
        conformance::record,
        record_object,
    },
};
use local::Storage;
use sha2::{Digest, Sha256};
use time::{Duration, macros::datetime};

/// Writes at once while seeding.
const IN_FLIGHT: usize = 32;
const ORIGINAL_BYTES: usize = 64 * 1024;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let photos: u32 = args.next().map_or(Ok(10_000), |n| n.parse())?;
    let albums: u32 = args.next().map_or(Ok(20), |n| n.parse())?;
    let data = tempfile::tempdir()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let (storage, store, _) = Storage::open(data.path(), &origin)?;
    let router = store.router(&origin)?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    let objects = storage.objects.as_ref();
    let owner = Owner::new("bench-owner").ok_or("an owner")?;

    let started = Instant::now();
    let ids: Vec<PhotoId> = stream::iter(0..photos)
        .map(|n| seed_photo(objects, &owner, n))
        .buffer_unordered(IN_FLIGHT)
        .try_collect()
        .await?;
    for a in 0..albums {
        let album = AlbumId::random()?;
        let at = datetime!(2026-12-01 10:00 UTC) + Duration::minutes(i64::from(a));
        let members: Vec<PhotoId> = ids.iter().skip(a as usize * 50).take(50).cloned().collect();
        let share = ShareRecord {
            token: ShareToken::random()?,
            owner: owner.clone(),
            album: album.clone(),
            created_at: at,
            expires_at: None,
            allow_download: false,
            show_location: false,
        };
        for change in [
            AlbumEvent::Created {
                title: format!("Album {a}"),
            },
            AlbumEvent::added(&members),
            AlbumEvent::shared(&share)?,
        ] {
            let (key, body) = album_log::entry(&owner, &album, at, change)?;
            objects.put(&key, body, album_log::CONTENT_TYPE).await?;
        }
    }
    let seeded = started.elapsed().as_secs_f64();

    let library = Library {
        objects,
        index: storage.index.as_ref(),
        albums: storage.albums.as_ref(),
    };
    let started = Instant::now();
    let listed = inventory::take(objects).await?;
    let listing = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let rebuilt = rebuild::rebuild(library, &listed).await?;
    let rebuilding = started.elapsed().as_secs_f64();
    assert_eq!(u64::from(photos), rebuilt.photos, "{rebuilt}");
    let mut checks = Vec::new();
    for hash in [false, true] {
        let started = Instant::now();
        let listed = inventory::take(objects).await?;
        let verified = verify::verify(
            library,
            &listed,
            verify::Options {
                repair: false,
                hash,
            },
        )
        .await?;
        assert_eq!(verified.unresolved().count(), 0, "{verified}");
        checks.push((started.elapsed().as_secs_f64(), verified.bytes_hashed));
    }

    let n = f64::from(photos);
    println!(
        "\nRecovery tools on the local stack: {photos} photos ({} objects, {:.0} MB), {albums} albums of 50 with a link; store over S3 on loopback, SQLite index; this machine\n",
        listed.objects,
        listed.bytes as f64 / 1e6
    );
    println!("| step | seconds | photos/s |");
    println!("|---|---:|---:|");
    println!(
        "| seed the store (4 PUTs a photo, {IN_FLIGHT} at a time) | {seeded:.1} | {:.0} |",
        n / seeded
    );
    println!(
        "| list the bucket (ListObjectsV2, 1,000 keys a page) | {listing:.1} | {:.0} |",
        n / listing
    );
    println!(
        "| rebuild-index into an empty index (records read, photos, albums, links) | {rebuilding:.1} | {:.0} |",
        n / rebuilding
    );
    println!(
        "| verify --quick (listing, every photo's files and record) | {:.1} | {:.0} |",
        checks[0].0,
        n / checks[0].0
    );
    println!(
        "| verify (and every original's SHA-256: {:.0} MB read) | {:.1} | {:.0} |",
        checks[1].1 as f64 / 1e6,
        checks[1].0,
        n / checks[1].0
    );
    Ok(())
}

/// Photo `n` as a commit leaves it: its original, previews and record.
async fn seed_photo(objects: &dyn ObjectStore, owner: &Owner, n: u32) -> Result<PhotoId, Failure> {
    let mut bytes = vec![0u8; ORIGINAL_BYTES];
    bytes[..4].copy_from_slice(&n.to_le_bytes());
    let taken = datetime!(2024-01-01 12:00 +01:00) + Duration::minutes(i64::from(n));
    let mut photo = record(owner, &n.to_string(), taken);
    photo.id = PhotoId::parse(&hex::encode(Sha256::digest(&bytes))).ok_or("an id")?;
    photo.details.bytes = bytes.len() as u64;
    objects
        .put(&ObjectKey::original(owner, &photo.id), bytes, "image/jpeg")
        .await?;
    for (variant, preview) in [(Variant::Thumb, &photo.thumb), (Variant::Web, &photo.web)] {
        let content_type = preview
            .as_ref()
            .map_or("image/webp", |p| p.content_type.as_str());
        let key = ObjectKey::preview(owner, &photo.id, variant, content_type).ok_or("a key")?;
        objects.put(&key, vec![1; 512], content_type).await?;
    }
    objects
        .put(
            &ObjectKey::photo_record(owner, &photo.id),
            record_object::encode(&photo)?,
            record_object::CONTENT_TYPE,
        )
        .await?;
    Ok(photo.id)
}
