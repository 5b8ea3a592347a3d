//! Backing photos up: the queue a person fills by picking or dropping files, and
//! what it does with each one:
//!
//! 1. the photo pool ([`crate::photos`]) hashes it and makes its previews;
//! 2. `POST /uploads` answers "already backed up" or three presigned PUTs;
//! 3. the three files go straight to the store ([`transfer`]), with progress;
//! 4. `POST /photos` commits.
//!
//! Every file ends done, skipped as a duplicate, cancelled, or failed with its
//! reason; network errors and 5xx are retried first.
//!
//! The rules (what runs, what is next, what is retried) are a state machine
//! with no browser in it (`machine`), tested on the host; `queue` is its edge
//! in the browser, and `rows` what the panel shows of it.

mod bodies;
mod imported;
mod machine;
pub(crate) mod persisted;
pub mod photo_files;
mod queue;
mod rows;
mod taken_at;
pub mod transfer;

pub use imported::{Ended, ImportedFile};
pub use queue::Uploads;
pub(crate) use queue::prepare;
pub use rows::{Row, RowState, Summary};
