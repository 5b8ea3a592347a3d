//! [`PhotoIndex`]: the record of every committed photo. A photo is in the index
//! only once all three of its files are in the store (see `routes/photos.rs`), so
//! whatever the index lists can be shown.
//!
//! The timeline orders by capture time in UTC, then by id: photos of a burst taken
//! in the same second are distinct entries, never one overwriting another.

use std::collections::HashSet;

use api_types::{photo::Metadata, upload::CommittedPreview};
use async_trait::async_trait;
use time::OffsetDateTime;

use super::keys::{Owner, PhotoId};

#[derive(Debug, Clone, PartialEq)]
pub struct PhotoRecord {
    pub owner: Owner,
    pub id: PhotoId,
    /// With the offset the photo was taken at (shown as the camera's local time).
    pub taken_at: OffsetDateTime,
    pub uploaded_at: OffsetDateTime,
    pub filename: String,
    pub content_type: String,
    pub bytes: u64,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub metadata: Metadata,
    pub thumb: Option<CommittedPreview>,
    pub web: Option<CommittedPreview>,
    pub placeholder: Option<String>,
}

/// A place in a user's timeline: capture time in UTC milliseconds, then id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub taken_ms: i64,
    pub id: PhotoId,
}

impl PhotoRecord {
    pub fn position(&self) -> Position {
        Position {
            taken_ms: (self.taken_at.unix_timestamp_nanos() / 1_000_000) as i64,
            id: self.id.clone(),
        }
    }
}

/// What [`PhotoIndex::insert`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Inserted {
    New,
    /// The photo was already indexed (a retried commit, or the same file from
    /// another device); the stored record is unchanged.
    AlreadyThere(Box<PhotoRecord>),
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

    /// Which of `ids` this owner already has.
    async fn existing(
        &self,
        owner: &Owner,
        ids: &[PhotoId],
    ) -> Result<HashSet<PhotoId>, IndexError>;

    /// Adds the record unless this owner already has a photo with its id.
    async fn insert(&self, record: &PhotoRecord) -> Result<Inserted, IndexError>;

    /// Up to `limit` photos, newest first, strictly after `after` (from the
    /// newest when `None`).
    async fn page(
        &self,
        owner: &Owner,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError>;
}
