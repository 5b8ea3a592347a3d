//! Fills a data dir's SQLite index with a large made-up library, for the API
//! bench (`bench/api.mjs`, run by `cargo xtask bench`):
//!
//! `cargo run --release -p local --example seed_index -- DATA_DIR OWNER COUNT`
//!
//! The photos span about fourteen years (for 100,000), most days a few, and
//! bursts within days, as a phone's camera roll has. Only the index is filled:
//! the API signs preview URLs without looking at the store.

use std::time::Instant;

use lambda_index::store::{Owner, PhotoIndex, conformance::record};
use local::photo_index::SqliteIndex;
use time::{Duration, macros::datetime};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: seed_index DATA_DIR OWNER COUNT";
    let data = std::path::PathBuf::from(args.next().ok_or(usage)?);
    let owner = Owner::new(&args.next().ok_or(usage)?).ok_or("an unusable owner")?;
    let count: u32 = args.next().ok_or(usage)?.parse()?;
    let index = SqliteIndex::open(&data)?;
    let started = Instant::now();
    let newest = datetime!(2026-11-01 18:00:00 +01:00);
    let mut at = newest;
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
        photo.filename = format!("IMG_{n:06}.JPG");
        index.insert(&photo).await?;
    }
    println!(
        "seeded {count} photos from {at} to {newest} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
