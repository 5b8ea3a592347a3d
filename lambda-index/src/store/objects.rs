//! [`ObjectStore`]: the bucket that holds every photo's files, as the API uses it.
//! The browser moves the bytes itself, through presigned URLs; the API only signs,
//! checks sizes, keeps and deletes.
//!
//! ## Uploads that are never committed
//! Every presigned PUT carries the tag [`PENDING_TAG`] (signed, so it cannot be
//! left out), and the commit takes it off again ([`ObjectStore::keep`]). In AWS
//! the media bucket's lifecycle expires objects still tagged after a day
//! (`infra/template.yaml`); the local stack sweeps instead (`local/src/sweep.rs`).
//! The commit also tags an original with its [`Lifecycle`], by which the
//! lifecycle moves it to the cheaper storage class the owner chose: a photo's
//! as far as Glacier Deep Archive, where reading it needs a restore first
//! ([`ObjectStore::restore`]); one that plays (a video) only where it still
//! streams.

use std::{ops::Range, time::Duration};

use api_types::upload::UploadTarget;
use async_trait::async_trait;

use super::keys::ObjectKey;

/// The tag every presigned upload carries until its photo is committed, as the
/// `x-amz-tagging` header's value.
pub const PENDING_TAG: &str = "shoebox-upload=pending";

/// The tag's key by which the bucket's lifecycle moves committed originals.
pub const KIND_TAG: &str = "shoebox-kind";

/// What a committed object is to the bucket's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifecycle {
    /// A photo's original (`shoebox-kind=original`): it may go as cold as the
    /// owner chose, Deep Archive included.
    Original,
    /// The original of something that plays from it (a video, a Live Photo's
    /// video, a motion photo; `shoebox-kind=playable`): never colder than
    /// Glacier Instant Retrieval, where it still streams.
    Playable,
    /// A preview or a copy: stays in S3 Standard, untagged.
    Hot,
}

impl Lifecycle {
    /// The `shoebox-kind` tag's value, if it has one.
    pub fn tag(self) -> Option<&'static str> {
        match self {
            Lifecycle::Original => Some("original"),
            Lifecycle::Playable => Some("playable"),
            Lifecycle::Hot => None,
        }
    }
}

/// Whether an object can be read now, as S3 answers a HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// In a class that reads at once.
    Readable,
    /// In Glacier Flexible Retrieval or Deep Archive: a restore must be asked for.
    Archived,
    /// A restore is under way.
    Restoring,
    /// A restored copy is readable until this time (RFC 7231, as S3 gives it).
    Restored { until: String },
}

impl Availability {
    pub fn readable(&self) -> bool {
        matches!(self, Availability::Readable | Availability::Restored { .. })
    }
}

/// How fast a restore from Deep Archive is asked to be, and so what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreTier {
    /// Within 12 hours.
    Standard,
    /// Within 48 hours, about an eighth of the price.
    Bulk,
}

impl RestoreTier {
    /// As S3's `Tier` names it.
    pub fn as_s3(self) -> &'static str {
        match self {
            RestoreTier::Standard => "Standard",
            RestoreTier::Bulk => "Bulk",
        }
    }
}

/// What asking for a restore did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreAsked {
    Started,
    /// One was under way already.
    AlreadyRestoring,
    /// A restored copy is there already (its time is extended).
    AlreadyRestored,
}

/// How long a restored copy stays readable: long enough to come back to it.
pub const RESTORED_DAYS: u32 = 7;

/// How long a presigned upload stays usable: long enough for a 200 MB original on
/// a slow uplink, short enough that a leaked URL is soon worthless.
pub const UPLOAD_URL_LIFETIME: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The store could not be reached or answered 5xx: worth trying again.
    #[error("the object store is unavailable: {0}")]
    Unavailable(String),
    /// Our own request was refused (credentials, configuration): not transient.
    #[error("the object store refused a request: {0}")]
    Refused(String),
    #[error("cannot sign a request: {0}")]
    Signing(String),
    /// The object is in Glacier Deep Archive (or Flexible Retrieval) and must
    /// be restored before it is read.
    #[error("{0} is archived: it must be restored before it can be read")]
    Archived(String),
}

#[async_trait]
pub trait ObjectStore: Send + Sync {
    /// A presigned PUT of exactly `bytes` bytes of `content_type` to `key`, valid
    /// for [`UPLOAD_URL_LIFETIME`].
    fn presign_put(
        &self,
        key: &ObjectKey,
        content_type: &str,
        bytes: u64,
    ) -> Result<UploadTarget, StoreError>;

    /// A presigned GET of `key`, valid for at least an hour. URLs stay the same
    /// for an hour at a time, so browsers can cache the images behind them.
    fn presign_get(&self, key: &ObjectKey) -> Result<String, StoreError>;

    /// Like [`ObjectStore::presign_get`], for saving the object as `filename`
    /// (the store answers `Content-Disposition: attachment`).
    fn presign_download(&self, key: &ObjectKey, filename: &str) -> Result<String, StoreError>;

    /// The object's size, or `None` when there is no such object.
    async fn size(&self, key: &ObjectKey) -> Result<Option<u64>, StoreError>;

    /// Marks the object as part of a committed photo: no longer [`PENDING_TAG`],
    /// and tagged as its [`Lifecycle`] says. Keeping an object that is not
    /// there is not an error (nothing will expire).
    async fn keep(&self, key: &ObjectKey, lifecycle: Lifecycle) -> Result<(), StoreError>;

    /// Whether the object can be read now; `None` when there is no such object.
    async fn availability(&self, key: &ObjectKey) -> Result<Option<Availability>, StoreError>;

    /// Asks for an archived object to be restored for [`RESTORED_DAYS`] days,
    /// at `tier`'s speed. Asking again is not an error.
    async fn restore(&self, key: &ObjectKey, tier: RestoreTier)
    -> Result<RestoreAsked, StoreError>;

    /// Stores a small object the API writes itself (a photo's record),
    /// replacing any there.
    async fn put(
        &self,
        key: &ObjectKey,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StoreError>;

    /// One page of the objects whose keys start with `prefix`, in key order,
    /// after the key `after` (from the first when `None`). Rebuilding the
    /// index and checking the bucket walk the whole library with it.
    async fn list(&self, prefix: &str, after: Option<&str>) -> Result<Listed, StoreError>;

    /// Removes the object; removing one that is not there is not an error.
    async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError>;

    /// Starts a multipart upload of `content_type` to `key`, tagged
    /// [`PENDING_TAG`] like a presigned PUT: its upload id.
    async fn create_multipart(
        &self,
        key: &ObjectKey,
        content_type: &str,
    ) -> Result<String, StoreError>;

    /// A presigned PUT of part `number` of the upload, of exactly `bytes`
    /// bytes, valid for [`UPLOAD_URL_LIFETIME`].
    fn presign_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        bytes: u64,
    ) -> Result<UploadTarget, StoreError>;

    /// The parts the store holds, by number; `None` when there is no such
    /// upload (finished, aborted or expired).
    async fn list_parts(
        &self,
        key: &ObjectKey,
        upload_id: &str,
    ) -> Result<Option<Vec<StoredPart>>, StoreError>;

    /// Finishes the upload from `parts`, in order: `false` when an object is
    /// already at `key` (which is never replaced).
    async fn complete_multipart(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        parts: &[StoredPart],
    ) -> Result<bool, StoreError>;

    /// Gives the upload up; the store drops its parts. Safe to repeat.
    async fn abort_multipart(&self, key: &ObjectKey, upload_id: &str) -> Result<(), StoreError>;

    /// Bytes `range` of the object (the API reads a video's boxes, never a
    /// whole file): fewer at its end; a refusal when there is no such object.
    async fn read(&self, key: &ObjectKey, range: Range<u64>) -> Result<Vec<u8>, StoreError>;

    /// Sends part `number` of the upload from the API itself.
    async fn upload_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        body: Vec<u8>,
    ) -> Result<StoredPart, StoreError>;

    /// Has the store copy bytes `range` of `source` as part `number` of the
    /// upload, without the bytes passing through the API.
    async fn copy_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        source: &ObjectKey,
        range: Range<u64>,
    ) -> Result<StoredPart, StoreError>;
}

/// A part of a multipart upload the store holds: its number, its ETag (which
/// finishing the upload names) and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPart {
    pub number: u32,
    pub etag: String,
    pub bytes: u64,
}

/// An object as a listing names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedObject {
    pub key: String,
    pub bytes: u64,
    /// In an archive storage class (Glacier): it must be restored before it
    /// can be read.
    pub archived: bool,
}

/// A page of a listing: its objects, and whether more follow (the next page
/// starts after the last key here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listed {
    pub objects: Vec<ListedObject>,
    pub more: bool,
}
