//! Google Takeout, read in the browser.
//!
//! A Takeout export of Google Photos is one or more archives (`.zip` or
//! `.tgz` parts of 2–50 GB) holding folders of photos and videos, each with a
//! JSON sidecar of what Google knew about it (when it was taken, where, its
//! description, whether it was a favourite), and album folders with a
//! `metadata.json` naming the album.
//!
//! - [`listing`]: what a scan of the parts found, entry by entry (the JSON
//!   files read, everything else only named);
//! - [`plan`]: from the listing of every part, what to import ([`Item`]s with
//!   their [`Facts`]), which albums to make, and what is skipped and why;
//! - [`sidecar`] and [`names`]: a sidecar's facts, and which file it belongs
//!   to (Google clips, renumbers and renames them);
//! - `archive` (feature `archive`): the parts' entries listed and extracted as
//!   the archive streams, never whole in memory;
//! - `web` (wasm32): the import worker's bindings, reading `File`s in slices.

#[cfg(feature = "archive")]
pub mod archive;
pub mod listing;
pub mod names;
pub mod plan;
pub mod sidecar;
#[cfg(all(feature = "archive", target_arch = "wasm32"))]
mod web;

pub use listing::{Entry, Listing, Text, Where};
pub use plan::{Album, Facts, Item, Place, Plan, SkipReason, Skipped, Source};
