//! The bucket is the library: everything needed to rebuild a user's library
//! lives beside the originals (each photo's record, `store/record_object.rs`;
//! each album's changes, `store/album_log.rs`). This module reads it back:
//! - [`inventory`] walks the bucket once and sorts every object by owner;
//! - [`rebuild`] puts into an index (an empty one, or one missing things) the
//!   photos, Live Photo joins, albums and share links the bucket holds;
//! - [`verify`] checks that the index and the bucket agree (every indexed
//!   item has its original, of the right size and SHA-256, and its previews;
//!   every original is indexed) and, asked to, repairs what can be.
//!
//! The same code runs over S3 and DynamoDB (`shoebox-admin`, which `cargo
//! xtask verify --aws` runs) and over the local stack (`shoebox-local
//! verify`), since it sees the stores only through their traits.

pub mod inventory;
pub mod rebuild;
pub mod verify;

use std::fmt;

use crate::store::{AlbumIndex, IndexError, ObjectKey, ObjectStore, PhotoIndex, StoreError};

/// The three stores a library is kept in.
#[derive(Clone, Copy)]
pub struct Library<'a> {
    pub objects: &'a dyn ObjectStore,
    pub index: &'a dyn PhotoIndex,
    pub albums: &'a dyn AlbumIndex,
}

/// What stops a rebuild or a check as a whole (one damaged object does not:
/// it is reported and the rest goes on).
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// What to run.
#[derive(Debug, Clone, Copy)]
pub enum Task {
    Rebuild,
    Verify(verify::Options),
}

/// What a run found: its report for the operator, and whether anything is
/// left wrong (the tools' exit code).
pub struct Outcome {
    pub report: String,
    pub problems_left: bool,
}

/// What the tools print and exit with: the report and 0, or 1 when
/// something is left wrong; the error and 1 when the run failed.
pub fn finish(result: Result<Outcome, impl fmt::Display>) -> std::process::ExitCode {
    match result {
        Ok(outcome) => {
            print!("{}", outcome.report);
            if outcome.problems_left {
                std::process::ExitCode::FAILURE
            } else {
                std::process::ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Walks the bucket once and runs `task` over it.
pub async fn run(library: Library<'_>, task: Task) -> Result<Outcome, RecoveryError> {
    let inventory = inventory::take(library.objects).await?;
    Ok(match task {
        Task::Rebuild => {
            let rebuilt = rebuild::rebuild(library, &inventory).await?;
            Outcome {
                problems_left: !rebuilt.problems.is_empty(),
                report: rebuilt.to_string(),
            }
        }
        Task::Verify(options) => {
            let verified = verify::verify(library, &inventory, options).await?;
            Outcome {
                problems_left: verified.unresolved().next().is_some(),
                report: verified.to_string(),
            }
        }
    })
}

/// The most a record or an album change can be: they are a few hundred bytes
/// to a few kilobytes; anything this large is not one.
const MAX_DOCUMENT_BYTES: u64 = 1 << 20;

/// A small JSON object the API wrote (a record, an album change), whole.
async fn document(objects: &dyn ObjectStore, key: &ObjectKey) -> Result<Vec<u8>, StoreError> {
    let bytes = objects.read(key, 0..MAX_DOCUMENT_BYTES + 1).await?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(StoreError::Refused(format!(
            "{} is larger than any record",
            key.as_str()
        )));
    }
    Ok(bytes)
}

/// The most lines of one kind a report prints; the rest are counted.
const REPORTED: usize = 50;

/// `items` under a heading, the first [`REPORTED`] of them.
fn list_some<T: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    heading: &str,
    items: &[T],
) -> fmt::Result {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(f, "{} {heading}:", items.len())?;
    for item in items.iter().take(REPORTED) {
        writeln!(f, "  - {item}")?;
    }
    if items.len() > REPORTED {
        writeln!(f, "  … and {} more", items.len() - REPORTED)?;
    }
    Ok(())
}
