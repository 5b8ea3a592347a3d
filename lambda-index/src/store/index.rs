//! [`PhotoIndex`]: the record of every committed photo. A photo is in the index
//! only once all three of its files are in the store (see `routes/photos.rs`), so
//! whatever the index lists can be shown.
//!
//! The timeline orders by capture time on the camera's clock (the local time the
//! photo was taken, as its owner remembers it), then by id: photos of a burst
//! taken in the same second are distinct entries, never one overwriting another.
//! Ordering by the camera's clock rather than UTC keeps each calendar day (and
//! month) one unbroken run of the timeline, so the day counts, the day headers and
//! a jump to a month all agree, even for photos taken in other time zones.
//!
//! Each index also counts photos per day, kept right on every insert and remove,
//! so the SPA can size and scrub the whole timeline before loading any photo.

use std::collections::HashMap;

use api_types::{
    photo::{LiveVideo, PhotoDetails},
    upload::CommittedPreview,
};
use async_trait::async_trait;
use time::{Date, Month, OffsetDateTime, UtcOffset};

use super::{
    keys::{Owner, PhotoId},
    state::{PhotoState, Presence, StateChange, View},
};

/// A committed photo as the index keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoRecord {
    pub owner: Owner,
    pub id: PhotoId,
    /// With the offset the photo was taken at (shown as the camera's local time).
    pub taken_at: OffsetDateTime,
    pub uploaded_at: OffsetDateTime,
    pub details: PhotoDetails,
    pub thumb: Option<CommittedPreview>,
    pub web: Option<CommittedPreview>,
    /// On a Live Photo's still, its video once both are indexed
    /// ([`PhotoIndex::join_live`]): the index's, never the client's.
    pub live: Option<LiveVideo>,
    /// How its owner keeps it ([`PhotoIndex::change`]).
    pub state: PhotoState,
}

/// What a stored record keeps besides its keys and times, as one JSON document
/// (the SQLite `details` column, the DynamoDB `details` attribute): the index
/// never queries inside it, so a new field of [`PhotoDetails`] needs no schema
/// change. Both stores read and write it only through [`encode_details`] and
/// [`decode_details`].
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredDetails<D> {
    #[serde(flatten)]
    details: D,
    thumb: Option<CommittedPreview>,
    web: Option<CommittedPreview>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    live: Option<LiveVideo>,
    #[serde(default, skip_serializing_if = "is_plain")]
    state: PhotoState,
}

fn is_plain(state: &PhotoState) -> bool {
    *state == PhotoState::default()
}

/// The stored `details` document of `record`.
pub fn encode_details(record: &PhotoRecord) -> Result<String, IndexError> {
    serde_json::to_string(&StoredDetails {
        details: &record.details,
        thumb: record.thumb.clone(),
        web: record.web.clone(),
        live: record.live.clone(),
        state: record.state,
    })
    .map_err(|error| IndexError::Corrupt(format!("a record's details: {error}")))
}

/// The record whose stored `details` document is `text`, under its keys and
/// times (which each store keeps in columns or attributes of their own).
pub fn decode_details(
    text: &str,
    owner: Owner,
    id: PhotoId,
    taken_at: OffsetDateTime,
    uploaded_at: OffsetDateTime,
) -> Result<PhotoRecord, IndexError> {
    let stored: StoredDetails<PhotoDetails> = serde_json::from_str(text)
        .map_err(|error| IndexError::Corrupt(format!("the details of the photo {id}: {error}")))?;
    Ok(PhotoRecord {
        owner,
        id,
        taken_at,
        uploaded_at,
        details: stored.details,
        thumb: stored.thumb,
        web: stored.web,
        live: stored.live,
        state: stored.state,
    })
}

/// A place in a user's timeline: the capture time on the camera's clock, in
/// milliseconds since 1970-01-01T00:00 on that clock, then the id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub clock_ms: i64,
    pub id: PhotoId,
}

impl Position {
    /// Just after the last moment of `month`: paging from here starts with the
    /// month's newest photo.
    pub fn after_month(month: YearMonth) -> Position {
        let (year, next) = match month.month {
            Month::December => (month.year + 1, Month::January),
            other => (month.year, other.next()),
        };
        let start_of_next = Date::from_calendar_date(year, next, 1)
            .map(|date| date.midnight().assume_utc())
            .map_or(i64::MAX, |at| {
                (at.unix_timestamp_nanos() / 1_000_000) as i64
            });
        // The smallest id: a photo at exactly the next month's first moment
        // belongs to that month, and stays out.
        Position {
            clock_ms: start_of_next,
            id: PhotoId::smallest(),
        }
    }
}

/// Milliseconds since 1970 on the clock `at` was read from: its wall time, as if
/// that clock were UTC.
pub fn clock_ms(at: OffsetDateTime) -> i64 {
    (at.replace_offset(UtcOffset::UTC).unix_timestamp_nanos() / 1_000_000) as i64
}

impl PhotoRecord {
    pub fn position(&self) -> Position {
        Position {
            clock_ms: clock_ms(self.taken_at),
            id: self.id.clone(),
        }
    }

    /// The calendar day the photo was taken on, on the camera's clock.
    pub fn day(&self) -> Date {
        self.taken_at.date()
    }
}

/// A year and month, `2024-05` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: Month,
}

impl YearMonth {
    pub fn of(day: Date) -> YearMonth {
        YearMonth {
            year: day.year(),
            month: day.month(),
        }
    }

    /// `YYYY-MM`, years 1000 to 9999 (what a photo's date can be).
    pub fn parse(text: &str) -> Option<YearMonth> {
        let (year, month) = text.split_once('-')?;
        if year.len() != 4
            || month.len() != 2
            || !text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
        {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
        (year >= 1000).then_some(YearMonth { year, month })
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month as u8)
    }
}

/// How many photos a user took on one day (camera's clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCount {
    pub day: Date,
    pub count: u32,
}

/// What [`PhotoIndex::insert`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Inserted {
    New,
    /// The photo was already indexed (a retried commit, or the same file from
    /// another device); the stored record is unchanged.
    AlreadyThere(Box<PhotoRecord>),
}

/// Which half of a Live Photo a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveHalf {
    Still,
    Video,
}

/// A Live Photo's halves as the index knows them so far, by their photo ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LivePair {
    pub still: Option<PhotoId>,
    pub video: Option<PhotoId>,
}

impl LivePair {
    /// The pair as a store keeps it: each half's id as text, when noted.
    pub fn stored(still: Option<String>, video: Option<String>) -> Result<LivePair, IndexError> {
        let id = |text: Option<String>| {
            text.map(|text| {
                PhotoId::parse(&text)
                    .ok_or_else(|| IndexError::Corrupt(format!("a Live Photo's half: {text}")))
            })
            .transpose()
        };
        Ok(LivePair {
            still: id(still)?,
            video: id(video)?,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The database could not be reached or is busy: worth trying again.
    #[error("the index is unavailable: {0}")]
    Unavailable(String),
    /// A stored record could not be read back: a bug or a damaged database.
    #[error("a stored record is damaged: {0}")]
    Corrupt(String),
}

#[async_trait]
pub trait PhotoIndex: Send + Sync {
    async fn get(&self, owner: &Owner, id: &PhotoId) -> Result<Option<PhotoRecord>, IndexError>;

    /// Which of `ids` this owner already has, and whether each is in the trash.
    async fn existing(
        &self,
        owner: &Owner,
        ids: &[PhotoId],
    ) -> Result<HashMap<PhotoId, Presence>, IndexError>;

    /// Adds the record unless this owner already has a photo with its id.
    async fn insert(&self, record: &PhotoRecord) -> Result<Inserted, IndexError>;

    /// Up to `limit` photos of `view`, newest first, strictly after `after`
    /// (from the newest when `None`).
    async fn page(
        &self,
        owner: &Owner,
        view: View,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError>;

    /// Removes the photo and takes it off its day's count; what was removed, or
    /// `None` if this owner has no such photo. Safe to repeat.
    async fn remove(&self, owner: &Owner, id: &PhotoId) -> Result<Option<PhotoRecord>, IndexError>;

    /// Photos of `view` per day, newest day first, days with none left out;
    /// only the days of `month` when it is given.
    async fn day_counts(
        &self,
        owner: &Owner,
        view: View,
        month: Option<YearMonth>,
    ) -> Result<Vec<DayCount>, IndexError>;

    /// Notes `id` as the `half` of `owner`'s Live Photo `live_id`, and answers
    /// both halves as now known. Atomic: of two halves committed at once, the
    /// second to be noted sees the first (each is noted after its own insert,
    /// so whoever sees both can join them). A later still of the same Live
    /// Photo (a JPEG export of a HEIC) takes the still's place.
    async fn note_live(
        &self,
        owner: &Owner,
        live_id: &str,
        half: LiveHalf,
        id: &PhotoId,
    ) -> Result<LivePair, IndexError>;

    /// Makes `video` the moving part of the Live Photo `still`: the still's
    /// record gains [`PhotoRecord::live`] (its albums' copies too), and the
    /// video leaves the timeline and its day's count; it stays indexed (dedup
    /// finds it, the still plays it, removing the still removes it). `false`,
    /// changing nothing, when the still is not there. Safe to repeat.
    async fn join_live(
        &self,
        owner: &Owner,
        still: &PhotoId,
        video: &LiveVideo,
    ) -> Result<bool, IndexError>;

    /// Takes one delete from `owner`'s allowance in the window that began at
    /// `window` (seconds since 1970): how many are now taken in it, or `None`,
    /// counting nothing, when `limit` were taken already. Atomic, so concurrent
    /// requests (on several Lambda instances) cannot take more than `limit`
    /// between them. Windows before `window` may be forgotten.
    async fn take_delete(
        &self,
        owner: &Owner,
        window: i64,
        limit: u32,
    ) -> Result<Option<u32>, IndexError>;

    /// Applies `change` to the photo's [`PhotoState`], moving it between views
    /// (and their day counts) and, trashed or restored, out of or back into
    /// its albums (which keep it, unlisted and uncounted, meanwhile). The
    /// record as it now is, or `None` when the owner has no such photo in a
    /// view of its own (a Live Photo's video changes with its still). Safe to
    /// repeat; a repeat also finishes a change that stopped half-way.
    async fn change(
        &self,
        owner: &Owner,
        id: &PhotoId,
        change: StateChange,
    ) -> Result<Option<PhotoRecord>, IndexError>;

    /// Up to `limit` trashed photos of every owner, trashed before `before`,
    /// the longest trashed first: what the purge deletes for good next.
    async fn trashed_before(
        &self,
        before: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<(Owner, PhotoId)>, IndexError>;
}
