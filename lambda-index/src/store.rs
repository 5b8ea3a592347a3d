//! Where the API keeps things, each behind a small trait so the handlers run the
//! same over AWS, over the local stack, and over in-memory fakes in tests:
//! - [`objects`]: a photo's three files (S3, or the local S3-compatible store), and
//!   the presigned URLs the browser uses to move them;
//! - [`index`]: the photo records (DynamoDB in AWS, SQLite locally);
//! - [`albums`]: albums and their share links (DynamoDB in AWS, SQLite locally);
//! - [`keys`]: the checked ids and the object keys built from them;
//! - [`live`]: a Live Photo's two halves, joined in the index;
//! - [`s3`]: the S3 implementation of [`objects::ObjectStore`], for both;
//! - [`dynamo`]: the DynamoDB implementation of [`index::PhotoIndex`] and
//!   [`albums::AlbumIndex`];
//! - [`state`]: how an owner keeps a photo (favourite, archive, trash) and the
//!   views of the library that follow from it;
//! - [`aws`]: the credentials both sign with.

pub mod album_log;
pub mod albums;
pub mod aws;
#[cfg(feature = "conformance")]
pub mod conformance;
pub mod dynamo;
pub mod index;
pub mod keys;
pub mod live;
pub mod objects;
pub mod record_object;
pub mod s3;
pub mod state;

pub use albums::{AlbumId, AlbumIndex, AlbumRecord, ShareRecord, ShareToken};
pub use aws::AwsCredentials;
pub use index::{
    DayCount, IndexError, Inserted, LiveHalf, LivePair, PhotoIndex, PhotoRecord, Position,
    YearMonth, clock_ms,
};
pub use keys::{Kept, ObjectKey, Owner, PhotoId, Variant};
pub use objects::{
    Availability, KIND_TAG, Lifecycle, Listed, ListedObject, ObjectStore, PENDING_TAG,
    RESTORED_DAYS, RestoreAsked, RestoreTier, StoreError, StoredPart,
};
pub use state::{PhotoState, Presence, StateChange, TRASH_DAYS, View};
