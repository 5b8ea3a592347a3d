//! Removes uploads that were never committed: objects in the store whose photo is
//! not in the index, and multipart uploads never finished (their parts), once
//! they are older than a grace period (longer than a presigned URL lives, so an
//! upload in progress is never touched). AWS does the same with the bucket's
//! lifecycle rules. Runs when the stack starts and every hour.
//!
//! It works on the store's directory directly, because s3s-fs keeps two metadata
//! files per object in the store's root that S3's DeleteObject leaves behind.

use std::{
    fs,
    future::Future,
    path::{Path, PathBuf},
    time::{Duration, SystemTime},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use lambda_index::store::ObjectKey;

use crate::{object_store, photo_index::SqliteIndex};

/// How old an uncommitted object must be before it is removed: a day, so a batch
/// interrupted overnight can still be committed in the morning.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(24 * 60 * 60);
const EVERY: Duration = Duration::from_secs(60 * 60);

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Objects of committed photos.
    pub kept: usize,
    /// Uncommitted, but younger than the grace period.
    pub waiting: usize,
    pub removed: usize,
    /// Multipart uploads given up, with their parts.
    pub aborted_uploads: usize,
}

pub struct Sweeper {
    root: PathBuf,
    index: SqliteIndex,
    grace: Duration,
}

impl Sweeper {
    pub fn new(data_dir: &Path, index: SqliteIndex, grace: Duration) -> Sweeper {
        Sweeper {
            root: object_store::root(data_dir),
            index,
            grace,
        }
    }

    /// Sweeps now, then every hour until `stop` completes.
    pub async fn run_hourly(self, stop: impl Future<Output = ()>) {
        let sweeper = std::sync::Arc::new(self);
        let sweeping = async {
            loop {
                let this = sweeper.clone();
                match tokio::task::spawn_blocking(move || this.sweep()).await {
                    Ok(Ok(swept)) if swept.removed > 0 => {
                        tracing::info!(removed = swept.removed, "removed abandoned uploads")
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => tracing::warn!(%error, "could not sweep the store"),
                    Err(error) => tracing::warn!(%error, "the sweep failed"),
                }
                tokio::time::sleep(EVERY).await;
            }
        };
        tokio::select! {
            () = sweeping => {}
            () = stop => {}
        }
    }

    /// One pass over the bucket.
    pub fn sweep(&self) -> std::io::Result<Swept> {
        let bucket = self.root.join(object_store::BUCKET);
        let mut swept = Swept::default();
        let now = SystemTime::now();
        for path in files_under(&bucket.join("u"))? {
            let Some(key) = path.strip_prefix(&bucket).ok().and_then(Path::to_str) else {
                continue;
            };
            let Some((owner, id, _)) = ObjectKey::parse(key) else {
                continue;
            };
            let committed = self
                .index
                .contains_blocking(owner.as_str(), id.as_str())
                .map_err(std::io::Error::other)?;
            if committed {
                swept.kept += 1;
                continue;
            }
            let age = fs::metadata(&path)?
                .modified()
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .unwrap_or_default();
            if age < self.grace {
                swept.waiting += 1;
                continue;
            }
            remove_if_present(&path)?;
            for sidecar in ["metadata", "internal"] {
                remove_if_present(&self.root.join(format!(
                    ".bucket-{}.object-{}.{sidecar}.json",
                    URL_SAFE_NO_PAD.encode(object_store::BUCKET),
                    URL_SAFE_NO_PAD.encode(key)
                )))?;
            }
            swept.removed += 1;
        }
        swept.aborted_uploads = self.abort_abandoned_uploads(now)?;
        Ok(swept)
    }

    /// s3s-fs keeps a multipart upload as files in the store's root, each named
    /// with the upload's id: its record (`.upload-{id}.json`, written when it
    /// starts), its parts and their checksums, and its object's attributes.
    /// An upload whose record is older than the grace goes, all its files with it.
    fn abort_abandoned_uploads(&self, now: SystemTime) -> std::io::Result<usize> {
        let names: Vec<String> = match fs::read_dir(&self.root) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.file_name().into_string().ok())
                .collect(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(error) => return Err(error),
        };
        let mut aborted = 0;
        for name in &names {
            let Some(id) = name
                .strip_prefix(".upload-")
                .and_then(|rest| rest.strip_suffix(".json"))
                .filter(|id| id.len() == 36)
            else {
                continue;
            };
            let age = fs::metadata(self.root.join(name))?
                .modified()
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .unwrap_or_default();
            if age < self.grace {
                continue;
            }
            // The record last: a sweep stopped half-way finds the upload again.
            for file in names
                .iter()
                .filter(|other| other.contains(id) && *other != name)
            {
                remove_if_present(&self.root.join(file))?;
            }
            remove_if_present(&self.root.join(name))?;
            aborted += 1;
        }
        Ok(aborted)
    }
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// Every file below `dir` (none if it does not exist yet).
fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                pending.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    Ok(files)
}
