//! Importing a Google Takeout export, in the browser.
//!
//! 1. The person picks the parts; the import worker (`app/worker/takeout-worker.js`,
//!    the `takeout` crate) lists every part and makes the plan ([`worker`]).
//! 2. The plan is shown: how many photos and videos, which albums, what is
//!    skipped and why; the person starts it.
//! 3. [`run`] extracts a few items at a time and hands each to the upload
//!    queue with what its sidecar said ([`crate::upload::ImportedFile`]); an
//!    item the library has already is "already there", and still joins its
//!    albums. Albums are made when their first photo is in.
//! 4. [`journal`] remembers what is done, so a second run of the same parts
//!    (after a crash or a reload) skips it; [`report`] is the summary and its CSV.

pub mod journal;
pub mod report;
pub mod run;
pub mod worker;

pub use run::{Import, Phase};
