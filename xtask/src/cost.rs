//! `cargo xtask cost`: what a Shoebox library costs a month on its owner's AWS
//! account, by service, after it has grown for some years, for both tiers the
//! stack offers its originals side by side: Glacier Instant Retrieval (the
//! default) and Deep Archive (`OriginalsStorageClass` `DEEP_ARCHIVE`: photos'
//! originals archived, restored before they download; videos' stay in Glacier
//! Instant Retrieval, so they still play); next to keeping everything in S3
//! Standard and next to Google One's plans.
//!
//! Every price is in [`prices`], one table, with the date it was read; the use
//! a library makes of each service is in [`Usage::of`], with the assumptions
//! written next to the numbers. AWS's always-free allowances (Lambda, DynamoDB's
//! 25 GB, CloudFront's 1 TB out) are counted: for one person's photos they
//! cover everything but storage. Restores from Deep Archive and downloads of
//! originals are not in the month's bill (they are asked for now and then):
//! the report says what each costs.

use std::fmt::Write as _;

/// The date of the public prices below (us-east-1, USD). They are not fetched
/// (builds run offline): when AWS or Google change them, change the table and
/// this date together.
pub const PRICES_READ_ON: &str = "2025-11-01";

/// One price: what, per how much, in USD.
pub struct Price {
    pub what: &'static str,
    pub usd: f64,
}

/// Prices, us-east-1, read on [`PRICES_READ_ON`].
pub mod prices {
    use super::Price;

    pub const S3_STANDARD_GB_MONTH: Price = Price {
        what: "S3 Standard, per GB-month",
        usd: 0.023,
    };
    pub const S3_GLACIER_IR_GB_MONTH: Price = Price {
        what: "S3 Glacier Instant Retrieval, per GB-month",
        usd: 0.004,
    };
    pub const S3_DEEP_ARCHIVE_GB_MONTH: Price = Price {
        what: "S3 Glacier Deep Archive, per GB-month",
        usd: 0.00099,
    };
    pub const S3_STANDARD_IA_GB_MONTH: Price = Price {
        what: "S3 Standard-IA, per GB-month",
        usd: 0.0125,
    };
    pub const S3_GLACIER_IR_RETRIEVAL_GB: Price = Price {
        what: "S3 Glacier Instant Retrieval, per GB read back",
        usd: 0.03,
    };
    pub const S3_STANDARD_IA_RETRIEVAL_GB: Price = Price {
        what: "S3 Standard-IA, per GB read back",
        usd: 0.01,
    };
    pub const S3_PUT_PER_1000: Price = Price {
        what: "S3 PUT, per 1,000",
        usd: 0.005,
    };
    pub const S3_GET_PER_1000: Price = Price {
        what: "S3 GET, per 1,000",
        usd: 0.0004,
    };
    pub const S3_TAGS_PER_10000_MONTH: Price = Price {
        what: "S3 object tags, per 10,000 a month",
        usd: 0.01,
    };
    pub const S3_GLACIER_IR_TRANSITION_PER_1000: Price = Price {
        what: "S3 lifecycle transition to Glacier IR, per 1,000",
        usd: 0.02,
    };
    pub const S3_DEEP_ARCHIVE_TRANSITION_PER_1000: Price = Price {
        what: "S3 lifecycle transition to Glacier Deep Archive, per 1,000",
        usd: 0.05,
    };
    pub const S3_DEEP_ARCHIVE_RESTORE_STANDARD_GB: Price = Price {
        what: "S3 Glacier Deep Archive restore, Standard (within 12 hours), per GB",
        usd: 0.02,
    };
    pub const S3_DEEP_ARCHIVE_RESTORE_STANDARD_PER_1000: Price = Price {
        what: "S3 Glacier Deep Archive restore, Standard, per 1,000 requests",
        usd: 0.10,
    };
    pub const S3_DEEP_ARCHIVE_RESTORE_BULK_GB: Price = Price {
        what: "S3 Glacier Deep Archive restore, Bulk (within 48 hours), per GB",
        usd: 0.0025,
    };
    pub const S3_DEEP_ARCHIVE_RESTORE_BULK_PER_1000: Price = Price {
        what: "S3 Glacier Deep Archive restore, Bulk, per 1,000 requests",
        usd: 0.025,
    };
    pub const DYNAMODB_WRITE_PER_MILLION: Price = Price {
        what: "DynamoDB on-demand writes, per million",
        usd: 0.625,
    };
    pub const DYNAMODB_READ_PER_MILLION: Price = Price {
        what: "DynamoDB on-demand reads, per million",
        usd: 0.125,
    };
    pub const DYNAMODB_GB_MONTH: Price = Price {
        what: "DynamoDB storage, per GB-month (25 GB free)",
        usd: 0.25,
    };
    pub const DYNAMODB_PITR_GB_MONTH: Price = Price {
        what: "DynamoDB point-in-time recovery, per GB-month",
        usd: 0.20,
    };
    pub const LAMBDA_PER_MILLION: Price = Price {
        what: "Lambda requests, per million (1 M free)",
        usd: 0.20,
    };
    pub const LAMBDA_ARM_GB_SECOND: Price = Price {
        what: "Lambda arm64, per GB-second (400,000 free)",
        usd: 0.000_013_333_4,
    };
    pub const API_GATEWAY_HTTP_PER_MILLION: Price = Price {
        what: "API Gateway HTTP API, per million requests",
        usd: 1.00,
    };
    pub const CLOUDFRONT_GB_OUT: Price = Price {
        what: "CloudFront out, per GB (1 TB free)",
        usd: 0.085,
    };
    pub const S3_DATA_OUT_GB: Price = Price {
        what: "S3 data out to the internet, per GB (100 GB a month free)",
        usd: 0.09,
    };
    pub const GOOGLE_ONE_100_GB: Price = Price {
        what: "Google One 100 GB, per month",
        usd: 1.99,
    };
    pub const GOOGLE_ONE_200_GB: Price = Price {
        what: "Google One 200 GB, per month",
        usd: 2.99,
    };
    pub const GOOGLE_ONE_2_TB: Price = Price {
        what: "Google One 2 TB, per month",
        usd: 9.99,
    };
}

use prices::*;

/// Always-free allowances, per month.
const LAMBDA_FREE_REQUESTS: f64 = 1_000_000.0;
const LAMBDA_FREE_GB_SECONDS: f64 = 400_000.0;
const DYNAMODB_FREE_GB: f64 = 25.0;
const CLOUDFRONT_FREE_GB: f64 = 1_000.0;
/// AWS's data out to the internet, all services together, a month.
const DATA_OUT_FREE_GB: f64 = 100.0;

/// The library: how it grows, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Library {
    pub photos_per_month: f64,
    pub avg_mb: f64,
    pub videos_per_month: f64,
    /// A video's original, in MB.
    pub avg_video_mb: f64,
    pub years: f64,
}

/// What a library uses in its last month.
#[derive(Debug, Clone, PartialEq)]
pub struct Usage {
    pub photos: f64,
    pub videos: f64,
    /// Photos' and videos' originals.
    pub originals_gb: f64,
    /// Of those, videos' originals: they play from their original
    /// (`shoebox-kind=playable`), so they are never put in Deep Archive.
    pub playable_gb: f64,
    pub previews_gb: f64,
    pub index_gb: f64,
    pub puts: f64,
    pub gets: f64,
    /// Tags kept: one per original (`shoebox-kind=original`, or `playable` for a
    /// video, for the lifecycle).
    pub tags: f64,
    /// Originals moved by the lifecycle this month, videos' included.
    pub transitions: f64,
    /// Of those, videos'.
    pub playable_transitions: f64,
    pub api_requests: f64,
    pub dynamodb_writes: f64,
    pub dynamodb_reads: f64,
    pub out_gb: f64,
    /// Videos played: their originals streamed from S3 (presigned, not through
    /// CloudFront), read back from the originals' storage class.
    pub played_gb: f64,
}

/// A thumbnail (400 px WebP) and a web view (lossy, 2048 px) together.
const PREVIEWS_MB: f64 = 0.03 + 0.35;
/// A photo's index items (the photo, its share of day counts), in KB.
const INDEX_KB_PER_PHOTO: f64 = 1.5;
/// Uploads: the three PUTs; commit: a HEAD each (priced as GET), a tagging call
/// each (priced as PUT) and the writes.
const PUTS_PER_PHOTO: f64 = 6.0;
const HEADS_PER_PHOTO: f64 = 3.0;
const WRITES_PER_PHOTO: f64 = 4.0;
/// Browsing, a month: 20 sessions of 300 thumbnails and 20 web views, each
/// session 10 API calls of 5 reads. Thumbnails mostly come from the browser's
/// and the service worker's caches: a third are fetched.
const SESSIONS: f64 = 20.0;
const THUMBS_FETCHED_PER_SESSION: f64 = 100.0;
const WEB_VIEWS_PER_SESSION: f64 = 20.0;
const API_CALLS_PER_SESSION: f64 = 10.0;
const READS_PER_API_CALL: f64 = 5.0;
/// A video is sent in parts of 8 MiB (at least S3's 5 MiB), each a PUT, plus
/// starting and finishing the upload (priced as PUTs) and its poster's two
/// previews, a tagging call; its commit HEADs as a photo's does.
const PART_MB: f64 = 8.0 * 1.048_576;
const VIDEO_CALLS_PER_UPLOAD: f64 = 5.0;
/// Playing, a month: each session plays two videos, half of each.
const VIDEOS_PLAYED_PER_SESSION: f64 = 2.0;
const SHARE_OF_A_VIDEO_WATCHED: f64 = 0.5;
/// Each object in Deep Archive also bills its index and metadata: 8 KB at
/// S3 Standard and 32 KB at Deep Archive's rate.
const ARCHIVED_STANDARD_KB: f64 = 8.0;
const ARCHIVED_DEEP_ARCHIVE_KB: f64 = 32.0;
/// A Lambda call: 256 MB (infra/template.yaml) for 20 ms.
const LAMBDA_GB_SECONDS_PER_CALL: f64 = 0.25 * 0.020;

impl Usage {
    pub fn of(library: Library) -> Usage {
        let months = 12.0 * library.years;
        let photos = library.photos_per_month * months;
        let videos = library.videos_per_month * months;
        let new = library.photos_per_month;
        let new_videos = library.videos_per_month;
        let items = photos + videos;
        let new_items = new + new_videos;
        let parts = (library.avg_video_mb / PART_MB).ceil().max(1.0);
        let plays = if videos > 0.0 {
            SESSIONS * VIDEOS_PLAYED_PER_SESSION
        } else {
            0.0
        };
        let sessions_gets = SESSIONS * (THUMBS_FETCHED_PER_SESSION + WEB_VIEWS_PER_SESSION);
        let api_requests = SESSIONS * API_CALLS_PER_SESSION + new_items * 2.0;
        Usage {
            photos,
            videos,
            originals_gb: (photos * library.avg_mb + videos * library.avg_video_mb) / 1000.0,
            playable_gb: videos * library.avg_video_mb / 1000.0,
            // A video's poster makes the same two previews as a photo.
            previews_gb: items * PREVIEWS_MB / 1000.0,
            index_gb: items * INDEX_KB_PER_PHOTO / 1_000_000.0,
            puts: new * PUTS_PER_PHOTO + new_videos * (parts + VIDEO_CALLS_PER_UPLOAD),
            // A player reads a video in a few ranged GETs.
            gets: sessions_gets + new_items * HEADS_PER_PHOTO + plays * 4.0,
            tags: items,
            transitions: new_items,
            playable_transitions: new_videos,
            api_requests,
            dynamodb_writes: new_items * WRITES_PER_PHOTO,
            dynamodb_reads: SESSIONS * API_CALLS_PER_SESSION * READS_PER_API_CALL,
            out_gb: SESSIONS * (THUMBS_FETCHED_PER_SESSION * 0.03 + WEB_VIEWS_PER_SESSION * 0.35)
                / 1000.0,
            played_gb: plays * library.avg_video_mb * SHARE_OF_A_VIDEO_WATCHED / 1000.0,
        }
    }
}

/// One line of a bill.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub service: &'static str,
    pub usd: f64,
}

/// Where originals are kept once uploaded (the stack's `OriginalsStorageClass`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OriginalsClass {
    GlacierInstantRetrieval,
    /// Photos' originals; videos' stay in Glacier Instant Retrieval.
    DeepArchive,
    StandardIa,
    Standard,
}

impl OriginalsClass {
    /// The report's column.
    fn label(self) -> &'static str {
        match self {
            OriginalsClass::GlacierInstantRetrieval => "originals in Glacier Instant Retrieval",
            OriginalsClass::DeepArchive => "photos' originals in Deep Archive",
            OriginalsClass::StandardIa => "originals in Standard-IA",
            OriginalsClass::Standard => "all in S3 Standard",
        }
    }

    /// Where the originals of what plays (videos) go: never colder than
    /// Glacier Instant Retrieval, which still streams.
    fn playable(self) -> OriginalsClass {
        match self {
            OriginalsClass::DeepArchive => OriginalsClass::GlacierInstantRetrieval,
            class => class,
        }
    }

    /// What reading a GB of originals back costs, beyond the GET. Deep Archive
    /// is not read back: it is restored first (not in the month's bill).
    fn retrieval_per_gb(self) -> f64 {
        match self {
            OriginalsClass::GlacierInstantRetrieval => S3_GLACIER_IR_RETRIEVAL_GB.usd,
            OriginalsClass::DeepArchive => 0.0,
            OriginalsClass::StandardIa => S3_STANDARD_IA_RETRIEVAL_GB.usd,
            OriginalsClass::Standard => 0.0,
        }
    }

    fn gb_month(self) -> f64 {
        match self {
            OriginalsClass::GlacierInstantRetrieval => S3_GLACIER_IR_GB_MONTH.usd,
            OriginalsClass::DeepArchive => S3_DEEP_ARCHIVE_GB_MONTH.usd,
            OriginalsClass::StandardIa => S3_STANDARD_IA_GB_MONTH.usd,
            OriginalsClass::Standard => S3_STANDARD_GB_MONTH.usd,
        }
    }

    /// What the lifecycle charges to move one original here, per 1,000.
    fn transition_per_1000(self) -> f64 {
        match self {
            OriginalsClass::DeepArchive => S3_DEEP_ARCHIVE_TRANSITION_PER_1000.usd,
            OriginalsClass::Standard => 0.0,
            _ => S3_GLACIER_IR_TRANSITION_PER_1000.usd,
        }
    }

    /// What each object kept here bills beyond its bytes, a month: Deep
    /// Archive's index and metadata.
    fn per_object_month(self) -> f64 {
        match self {
            OriginalsClass::DeepArchive => {
                (ARCHIVED_STANDARD_KB * S3_STANDARD_GB_MONTH.usd
                    + ARCHIVED_DEEP_ARCHIVE_KB * S3_DEEP_ARCHIVE_GB_MONTH.usd)
                    / 1_000_000.0
            }
            _ => 0.0,
        }
    }
}

/// The month's bill, service by service. Videos' originals go where
/// [`OriginalsClass::playable`] says, photos' to `originals`.
pub fn bill(usage: &Usage, originals: OriginalsClass) -> Vec<Line> {
    let beyond = |used: f64, free: f64| (used - free).max(0.0);
    let playable = originals.playable();
    let photos_gb = usage.originals_gb - usage.playable_gb;
    let transitions = (usage.transitions - usage.playable_transitions) / 1000.0
        * originals.transition_per_1000()
        + usage.playable_transitions / 1000.0 * playable.transition_per_1000();
    vec![
        Line {
            service: "S3: originals",
            usd: photos_gb * originals.gb_month()
                + usage.photos * originals.per_object_month()
                + usage.playable_gb * playable.gb_month()
                + usage.videos * playable.per_object_month(),
        },
        Line {
            service: "S3: thumbnails and web views",
            usd: usage.previews_gb * S3_STANDARD_GB_MONTH.usd,
        },
        Line {
            service: "S3: requests, tags and transitions",
            usd: usage.puts / 1000.0 * S3_PUT_PER_1000.usd
                + usage.gets / 1000.0 * S3_GET_PER_1000.usd
                + usage.tags / 10_000.0 * S3_TAGS_PER_10000_MONTH.usd
                + transitions,
        },
        Line {
            service: "S3: videos played (originals read back, data out)",
            usd: usage.played_gb * playable.retrieval_per_gb()
                + beyond(usage.played_gb + usage.out_gb, DATA_OUT_FREE_GB) * S3_DATA_OUT_GB.usd,
        },
        Line {
            service: "DynamoDB",
            usd: usage.dynamodb_writes / 1e6 * DYNAMODB_WRITE_PER_MILLION.usd
                + usage.dynamodb_reads / 1e6 * DYNAMODB_READ_PER_MILLION.usd
                + beyond(usage.index_gb, DYNAMODB_FREE_GB) * DYNAMODB_GB_MONTH.usd
                + usage.index_gb * DYNAMODB_PITR_GB_MONTH.usd,
        },
        // Its free tier lasts a new account's first year only: not counted.
        Line {
            service: "API Gateway (HTTP API)",
            usd: usage.api_requests / 1e6 * API_GATEWAY_HTTP_PER_MILLION.usd,
        },
        Line {
            service: "Lambda",
            usd: beyond(usage.api_requests, LAMBDA_FREE_REQUESTS) / 1e6 * LAMBDA_PER_MILLION.usd
                + beyond(
                    usage.api_requests * LAMBDA_GB_SECONDS_PER_CALL,
                    LAMBDA_FREE_GB_SECONDS,
                ) * LAMBDA_ARM_GB_SECOND.usd,
        },
        Line {
            service: "CloudFront",
            usd: beyond(usage.out_gb, CLOUDFRONT_FREE_GB) * CLOUDFRONT_GB_OUT.usd,
        },
        Line {
            service: "Cognito (under 10,000 users a month: free)",
            usd: 0.0,
        },
    ]
}

pub fn total(lines: &[Line]) -> f64 {
    lines.iter().map(|line| line.usd).sum()
}

/// The tiers the report always shows, side by side.
const TIERS: [OriginalsClass; 2] = [
    OriginalsClass::GlacierInstantRetrieval,
    OriginalsClass::DeepArchive,
];

/// The table `cargo xtask cost` prints: both tiers, `also` if it is another
/// class, and everything in S3 Standard.
pub fn report(library: Library, also: Option<OriginalsClass>) -> String {
    let usage = Usage::of(library);
    let mut classes = TIERS.to_vec();
    classes.extend(
        also.filter(|class| !classes.contains(class) && *class != OriginalsClass::Standard),
    );
    classes.push(OriginalsClass::Standard);
    let bills: Vec<Vec<Line>> = classes.iter().map(|class| bill(&usage, *class)).collect();
    let stored_gb = usage.originals_gb + usage.previews_gb;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "A library of {:.0} photos ({} a month for {} years, {} MB each) and {:.0} videos \
         ({} a month, {} MB each): {:.1} GB of originals, {:.1} GB of previews.",
        usage.photos,
        library.photos_per_month,
        library.years,
        library.avg_mb,
        usage.videos,
        library.videos_per_month,
        library.avg_video_mb,
        usage.originals_gb,
        usage.previews_gb
    );
    let _ = writeln!(out, "Prices: us-east-1, USD, read on {PRICES_READ_ON}.\n");
    let _ = write!(out, "| service, USD a month |");
    for class in &classes {
        let _ = write!(out, " {} |", class.label());
    }
    let _ = writeln!(out, "\n|---|{}", "---:|".repeat(classes.len()));
    for (at, line) in bills[0].iter().enumerate() {
        let _ = write!(out, "| {} |", line.service);
        for bill in &bills {
            let _ = write!(out, " {:.2} |", bill[at].usd);
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "| **a month** |");
    for bill in &bills {
        let _ = write!(out, " **{:.2}** |", total(bill));
    }
    let _ = writeln!(out, "\n");
    let _ = writeln!(out, "| Google One | a month | holds this library |");
    let _ = writeln!(out, "|---|---:|---|");
    for (plan, gb) in [
        (&GOOGLE_ONE_100_GB, 100.0),
        (&GOOGLE_ONE_200_GB, 200.0),
        (&GOOGLE_ONE_2_TB, 2000.0),
    ] {
        let fits = if stored_gb <= gb { "yes" } else { "no" };
        let _ = writeln!(
            out,
            "| {} | {:.2} | {fits} |",
            plan.what.trim_end_matches(", per month"),
            plan.usd
        );
    }
    let _ = writeln!(
        out,
        "\nAssumed each month: {SESSIONS} browsing sessions, each fetching \
         {THUMBS_FETCHED_PER_SESSION} thumbnails (the rest come from the device's caches), \
         {WEB_VIEWS_PER_SESSION} web views and {API_CALLS_PER_SESSION} API calls, and (with \
         videos) playing {VIDEOS_PLAYED_PER_SESSION} videos half-way, streamed from the \
         originals: videos' stay in Glacier Instant Retrieval in both tiers."
    );
    let _ = writeln!(
        out,
        "\nNot counted: downloading originals. From Glacier Instant Retrieval that costs \
         {:.2} USD a GB. From Deep Archive a photo's original is restored first, as the \
         app asks: Standard {:.2} USD a GB and {:.2} USD per 1,000 requests, ready within \
         12 hours; Bulk {:.4} USD a GB and {:.3} USD per 1,000, within 48 hours (the \
         restored copy bills as S3 Standard while it is kept). Deep Archive bills each \
         original at least 180 days, Glacier Instant Retrieval 90.",
        S3_GLACIER_IR_RETRIEVAL_GB.usd,
        S3_DEEP_ARCHIVE_RESTORE_STANDARD_GB.usd,
        S3_DEEP_ARCHIVE_RESTORE_STANDARD_PER_1000.usd,
        S3_DEEP_ARCHIVE_RESTORE_BULK_GB.usd,
        S3_DEEP_ARCHIVE_RESTORE_BULK_PER_1000.usd,
    );
    out
}

/// `also`: a class to show besides the two tiers and S3 Standard.
pub fn run(library: Library, also: Option<OriginalsClass>) -> anyhow::Result<()> {
    if library.photos_per_month < 0.0
        || library.videos_per_month < 0.0
        || library.avg_mb <= 0.0
        || library.avg_video_mb <= 0.0
        || library.years <= 0.0
    {
        anyhow::bail!("counts must not be negative, and sizes and years must be positive");
    }
    print!("{}", report(library, also));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: Library = Library {
        photos_per_month: 200.0,
        avg_mb: 15.0,
        videos_per_month: 0.0,
        avg_video_mb: 150.0,
        years: 3.0,
    };

    /// A phone's library: the seed's photos and 20 videos a month of 150 MB.
    const PHONE: Library = Library {
        videos_per_month: 20.0,
        ..SEED
    };

    #[test]
    fn videos_are_originals_sent_in_parts_and_stored_like_photos() {
        let (photos, phone) = (Usage::of(SEED), Usage::of(PHONE));
        assert_eq!(phone.videos, 720.0);
        // 720 videos of 150 MB: 108 GB more of originals.
        assert!((phone.originals_gb - photos.originals_gb - 108.0).abs() < 1e-9);
        assert_eq!(phone.tags, 7920.0, "one tag per original, videos too");
        // 150 MB in 8 MiB parts: 18 PUTs, and 5 calls around them, 20 a month.
        assert_eq!(phone.puts - photos.puts, 20.0 * (18.0 + 5.0));
        let glacier = total(&bill(&phone, OriginalsClass::GlacierInstantRetrieval));
        let standard = total(&bill(&phone, OriginalsClass::Standard));
        // 216 GB of originals: about 0.86 USD in Glacier IR, 5 USD in Standard.
        assert!((0.9..1.5).contains(&glacier), "{glacier}");
        assert!((5.0..5.8).contains(&standard), "{standard}");
    }

    #[test]
    fn watching_videos_reads_originals_back_which_glacier_charges_for() {
        let phone = Usage::of(PHONE);
        // 20 sessions × 2 videos × half of 150 MB.
        assert!((phone.played_gb - 3.0).abs() < 1e-9);
        let played = |class| {
            bill(&phone, class)
                .into_iter()
                .find(|line| line.service.starts_with("S3: videos played"))
                .expect("a line for playing")
                .usd
        };
        assert!((played(OriginalsClass::GlacierInstantRetrieval) - 0.09).abs() < 1e-9);
        assert!(
            (played(OriginalsClass::DeepArchive) - 0.09).abs() < 1e-9,
            "with Deep Archive videos still play from Glacier IR"
        );
        assert_eq!(
            played(OriginalsClass::Standard),
            0.0,
            "data out is in the free 100 GB"
        );
        assert_eq!(Usage::of(SEED).played_gb, 0.0, "no videos, nothing played");
    }

    #[test]
    fn the_seed_library_is_108_gb_of_originals_and_costs_cents_not_dollars() {
        let usage = Usage::of(SEED);
        assert_eq!(usage.photos, 7200.0);
        assert!((usage.originals_gb - 108.0).abs() < 1e-9);
        assert_eq!(usage.playable_gb, 0.0);
        let shoebox = total(&bill(&usage, OriginalsClass::GlacierInstantRetrieval));
        let archived = total(&bill(&usage, OriginalsClass::DeepArchive));
        let standard = total(&bill(&usage, OriginalsClass::Standard));
        println!(
            "seed library a month: Glacier IR {shoebox:.4}, Deep Archive {archived:.4}, Standard {standard:.4}"
        );
        // 108 GB at $0.004 is $0.43; previews 2.7 GB at $0.023 are $0.06.
        assert!((0.45..0.70).contains(&shoebox), "{shoebox}");
        // The goal. 108 GB at $0.00099 is $0.11, 7,200 originals' 40 KB
        // of index under a cent; transitions at $0.05 per 1,000 are $0.01.
        assert!(archived <= 0.35, "Deep Archive: {archived}");
        assert!((0.15..0.30).contains(&archived), "{archived}");
        // All in Standard: 110.7 GB at $0.023 is $2.55.
        assert!((2.4..2.8).contains(&standard), "{standard}");
        assert!(shoebox < GOOGLE_ONE_200_GB.usd && standard > GOOGLE_ONE_100_GB.usd);
    }

    #[test]
    fn with_deep_archive_a_phones_videos_stay_in_glacier_ir() {
        let (photos, phone) = (Usage::of(SEED), Usage::of(PHONE));
        assert!((phone.playable_gb - 108.0).abs() < 1e-9);
        let originals = |usage: &Usage, class| {
            bill(usage, class)
                .into_iter()
                .find(|line| line.service == "S3: originals")
                .expect("a line for originals")
                .usd
        };
        // The videos add their 108 GB at Glacier IR's rate, whichever tier,
        // and no archive's index.
        for class in TIERS {
            let videos = originals(&phone, class) - originals(&photos, class);
            assert!(
                (videos - 108.0 * S3_GLACIER_IR_GB_MONTH.usd).abs() < 1e-9,
                "{class:?}: {videos}"
            );
        }
        // The photos' 108 GB in Deep Archive, and 40 KB of index for each of 7,200.
        let archived = 108.0 * S3_DEEP_ARCHIVE_GB_MONTH.usd
            + 7200.0 * (8.0 * S3_STANDARD_GB_MONTH.usd + 32.0 * S3_DEEP_ARCHIVE_GB_MONTH.usd) / 1e6;
        let stored = originals(&phone, OriginalsClass::DeepArchive);
        assert!(
            (stored - archived - 108.0 * S3_GLACIER_IR_GB_MONTH.usd).abs() < 1e-9,
            "{stored}"
        );
        // A month's 200 photos move to Deep Archive at $0.05 per 1,000, its 20
        // videos to Glacier IR at $0.02, as in the other tier.
        let requests = |class| {
            bill(&phone, class)
                .into_iter()
                .find(|line| line.service.starts_with("S3: requests"))
                .expect("a line for requests")
                .usd
        };
        let more = requests(OriginalsClass::DeepArchive)
            - requests(OriginalsClass::GlacierInstantRetrieval);
        assert!((more - 0.2 * (0.05 - 0.02)).abs() < 1e-9, "{more}");
        let glacier = total(&bill(&phone, OriginalsClass::GlacierInstantRetrieval));
        let deep = total(&bill(&phone, OriginalsClass::DeepArchive));
        // Only the photos' share is saved: about 0.32 USD of 1.1.
        assert!(
            (0.25..0.40).contains(&(glacier - deep)),
            "{glacier} against {deep}"
        );
    }

    #[test]
    fn the_free_tiers_cover_one_persons_traffic() {
        let lines = bill(&Usage::of(SEED), OriginalsClass::GlacierInstantRetrieval);
        for service in ["Lambda", "CloudFront"] {
            let line = lines
                .iter()
                .find(|line| line.service == service)
                .expect(service);
            assert_eq!(line.usd, 0.0, "{service}");
        }
    }

    #[test]
    fn the_report_names_every_service_and_each_google_plan() {
        let report = report(SEED, None);
        for needed in [
            "Glacier Instant Retrieval |",
            "Deep Archive",
            "all in S3 Standard |",
            "within 12 hours",
            "within 48 hours",
            "0.03 USD a GB",
            "S3: originals",
            "DynamoDB",
            "API Gateway",
            "Lambda",
            "CloudFront",
            "Cognito",
            "a month",
            "Google One 2 TB",
            PRICES_READ_ON,
        ] {
            assert!(report.contains(needed), "{needed} in\n{report}");
        }
    }

    #[test]
    fn the_report_shows_both_tiers_whatever_is_asked_and_another_class_too() {
        let columns = |report: &str| {
            let total = report
                .lines()
                .find(|line| line.starts_with("| **a month**"))
                .expect("a total");
            total.matches(" | ").count()
        };
        for asked in [
            None,
            Some(OriginalsClass::DeepArchive),
            Some(OriginalsClass::Standard),
        ] {
            assert_eq!(columns(&report(SEED, asked)), 3, "{asked:?}");
        }
        let with_ia = report(SEED, Some(OriginalsClass::StandardIa));
        assert_eq!(columns(&with_ia), 4);
        assert!(with_ia.contains("originals in Standard-IA"));
    }
}
