//! Fills a data dir's SQLite index with a large made-up library, for the API
//! bench (`bench/api.mjs`, run by `cargo xtask bench`):
//!
//! `cargo run --release -p local --example seed_index -- DATA_DIR OWNER COUNT [STORE_URL THUMB_JPEG]`
//!
//! The photos span about fourteen years (for 100,000), most days a few, and
//! bursts within days, as a phone's camera roll has. Without `STORE_URL` only
//! the index is filled (the API signs preview URLs without looking at the
//! store); with it, every photo also gets `THUMB_JPEG` as its thumbnail, put
//! into the running stack's store, so a browser can show the timeline
//! (`bench/timeline.mjs`).

use std::time::Instant;

use api_types::upload::CommittedPreview;
use futures::{StreamExt, stream};
use lambda_index::store::{
    ObjectKey, ObjectStore, Owner, PhotoIndex, Variant, conformance::record,
};
use local::{object_store::Store, photo_index::SqliteIndex};
use time::{Duration, macros::datetime};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: seed_index DATA_DIR OWNER COUNT";
    let data = std::path::PathBuf::from(args.next().ok_or(usage)?);
    let owner = Owner::new(&args.next().ok_or(usage)?).ok_or("an unusable owner")?;
    let count: u32 = args.next().ok_or(usage)?.parse()?;
    let thumbnails = match (args.next(), args.next()) {
        (Some(store_url), Some(jpeg)) => Some((
            Store::open(&data)?.client(&store_url)?,
            std::fs::read(jpeg)?,
        )),
        _ => None,
    };
    let index = SqliteIndex::open(&data)?;
    let http = reqwest::Client::new();
    let started = Instant::now();
    let newest = datetime!(2026-11-01 18:00:00 +01:00);
    let mut at = newest;
    let mut photos = Vec::new();
    for n in 0..count {
        // Mostly minutes apart, sometimes a burst (same second), sometimes a
        // gap of days.
        let step = match n % 97 {
            0 => Duration::days(3),
            1..=5 => Duration::ZERO,
            _ => Duration::minutes(i64::from(n % 29) + 17),
        };
        at -= step;
        let mut photo = record(&owner, &n.to_string(), at);
        photo.details.filename = format!("IMG_{n:06}.JPG");
        if let Some((_, jpeg)) = &thumbnails {
            photo.thumb = Some(CommittedPreview {
                content_type: "image/jpeg".into(),
                bytes: jpeg.len() as u64,
                width: 400,
                height: if n % 3 == 0 { 533 } else { 300 },
            });
            photo.web = None;
        }
        index.insert(&photo).await?;
        photos.push(photo);
    }
    if let Some((store, jpeg)) = &thumbnails {
        // Sixteen PUTs at a time, each presigned as the browser's are.
        let puts = stream::iter(&photos).map(|photo| {
            let http = http.clone();
            async move {
                let key = ObjectKey::preview(&photo.owner, &photo.id, Variant::Thumb, "image/jpeg")
                    .ok_or("a thumbnail key")?;
                let target = store.presign_put(&key, "image/jpeg", jpeg.len() as u64)?;
                // The signed headers, as the browser sends them (it sets
                // Content-Length itself; so does reqwest).
                let mut request = http.put(&target.url);
                for (name, value) in &target.headers {
                    if name != "content-length" {
                        request = request.header(name, value);
                    }
                }
                let response = request.body(jpeg.clone()).send().await?;
                if !response.status().is_success() {
                    return Err(format!("PUT {}: {}", key.as_str(), response.status()).into());
                }
                Ok::<(), Box<dyn std::error::Error>>(())
            }
        });
        let results: Vec<_> = puts.buffer_unordered(16).collect().await;
        results.into_iter().collect::<Result<Vec<()>, _>>()?;
    }
    println!(
        "seeded {count} photos from {at} to {newest} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
