//! Files coming in: picked, dropped, shared, or kept from before a reload.
//! The size limit is applied here, and each new file is kept for a reload.

use super::{Command, Entry, NewFile, Queue, Stage};
use crate::upload::rows::Batch;

impl<H> Queue<H> {
    pub(super) fn add(
        &mut self,
        files: Vec<NewFile<H>>,
        fresh: bool,
        now_ms: f64,
        out: &mut Vec<Command<H>>,
    ) {
        if !self
            .entries
            .values()
            .any(|entry| !entry.stage.is_finished())
        {
            self.batch = Batch {
                started_ms: Some(now_ms),
                sent: 0.0,
            };
        }
        for file in files {
            // A page resumes its kept files once; one already here stays one row.
            if !fresh && self.is_kept(file.kept_as.as_deref()) {
                continue;
            }
            self.next_key += 1;
            let key = self.next_key;
            let max = self.limits.max_original_bytes;
            let (stage, kept_as, handle) = if file.bytes > max {
                if let (false, Some(id)) = (fresh, file.kept_as) {
                    out.push(Command::Forget { id });
                }
                let reason = format!(
                    "This file is {}; this Shoebox takes files up to {}.",
                    size_words(file.bytes),
                    size_words(max)
                );
                let stage = Stage::Failed {
                    reason,
                    retryable: false,
                };
                (stage, None, None)
            } else {
                if let (true, Some(id)) = (fresh, &file.kept_as) {
                    out.push(Command::Keep {
                        key,
                        id: id.clone(),
                    });
                }
                (self.next_turn(), file.kept_as, Some(file.handle))
            };
            self.entries.insert(
                key,
                Entry {
                    key,
                    name: file.name,
                    bytes: file.bytes,
                    stage,
                    photo_id: None,
                    kept_as,
                    handle,
                },
            );
        }
    }

    pub(super) fn is_kept(&self, id: Option<&str>) -> bool {
        id.is_some_and(|id| {
            self.entries
                .values()
                .any(|entry| entry.kept_as.as_deref() == Some(id))
        })
    }
}

/// A file size as the refusal says it: MB, or GB with a decimal from 1 GB.
fn size_words(bytes: u64) -> String {
    let megabytes = bytes as f64 / 1e6;
    if megabytes >= 1_000.0 {
        format!("{:.1} GB", megabytes / 1_000.0)
    } else {
        format!("{megabytes:.0} MB")
    }
}
