//! The upload queue's rules, with no browser in them: which files wait and which
//! run, what each does next, when a failure is tried again, and how the queue
//! looks. [`Queue`] takes an [`Event`] (files added, a step's answer, a click)
//! and answers with the [`Command`]s the browser edge ([`super::queue`]) is to
//! carry out; it does no I/O, so every rule is tested on the host.
//!
//! A file goes queued → preparing (hash, previews) → asking → uploading (its
//! parts) → committing → done, or ends a duplicate, failed or cancelled.

mod actions;
mod entry;
mod intake;
mod pipeline;
#[cfg(test)]
mod tests;
mod vocabulary;

use std::collections::BTreeMap;

pub use entry::{Failure, Key};
pub use vocabulary::{Command, Event, NewFile, PlannedPart};

use super::rows::{Batch, Row, Summary};
use entry::{Entry, Part, Stage};

/// How many of one file's parts are sent at once: a video's pieces go four at
/// a time, each retried on its own.
pub const PARTS_IN_FLIGHT: usize = 4;

/// The deployment's limits on the queue.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files in flight at once.
    pub concurrency: usize,
    /// The largest original the API takes.
    pub max_original_bytes: u64,
    /// Tries of a step that fails for a reason that may pass in a moment.
    pub attempts: u32,
}

pub struct Queue<H> {
    limits: Limits,
    /// Every file on the panel, in the order added.
    entries: BTreeMap<Key, Entry<H>>,
    next_key: Key,
    next_turn: u64,
    skipped: usize,
    batch: Batch,
}

impl<H> Queue<H> {
    pub fn new(limits: Limits) -> Queue<H> {
        Queue {
            limits: Limits {
                concurrency: limits.concurrency.max(1),
                attempts: limits.attempts.max(1),
                ..limits
            },
            entries: BTreeMap::new(),
            next_key: 0,
            next_turn: 0,
            skipped: 0,
            batch: Batch::default(),
        }
    }

    pub fn rows(&self) -> Vec<Row> {
        self.entries.values().map(Entry::row).collect()
    }

    pub fn summary(&self, now_ms: f64) -> Summary {
        Summary::of(&self.rows(), self.skipped, self.batch, now_ms)
    }

    /// One file's row, while it is on the panel.
    pub fn row(&self, key: Key) -> Option<Row> {
        self.entries.get(&key).map(Entry::row)
    }

    /// Files in folders that were not photos, since the panel was last cleared.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The edge's handle on a file that may still run.
    pub fn handle(&self, key: Key) -> Option<&H> {
        self.entries.get(&key)?.handle.as_ref()
    }

    /// The id the file is kept under for after a reload, while it is kept.
    pub fn kept_as(&self, key: Key) -> Option<&str> {
        self.entries.get(&key)?.kept_as.as_deref()
    }

    pub fn handle_mut(&mut self, key: Key) -> Option<&mut H> {
        self.entries.get_mut(&key)?.handle.as_mut()
    }

    /// Applies `event`; what the edge is to do next, in order. Events for a
    /// file that is no longer at the stage they answer (cancelled meanwhile,
    /// say) change nothing.
    pub fn on(&mut self, event: Event<H>) -> Vec<Command<H>> {
        let mut commands = Vec::new();
        match event {
            Event::Added { files, now_ms } => self.add(files, true, now_ms, &mut commands),
            Event::Resumed { files, now_ms } => self.add(files, false, now_ms, &mut commands),
            Event::Skipped(count) => self.skipped += count,
            Event::Prepared { key, photo_id } => self.prepared(key, photo_id, &mut commands),
            Event::AnsweredExists { key } => {
                if self.is_at(key, |stage| matches!(stage, Stage::Asking { .. })) {
                    self.finish(key, Stage::Duplicate, &mut commands);
                }
            }
            Event::AnsweredUpload { key, parts } => self.answered_upload(key, parts, &mut commands),
            Event::Progress { key, part, sent } => self.progress(key, part, sent),
            Event::Uploaded { key, part } => self.uploaded(key, part, &mut commands),
            Event::Committed { key } => {
                if self.is_at(key, |stage| matches!(stage, Stage::Committing { .. })) {
                    commands.push(Command::CountCommitted { key });
                    self.finish(key, Stage::Done, &mut commands);
                }
            }
            Event::Failed { key, failure } => self.failed(key, failure, &mut commands),
            Event::PartFailed { key, part, failure } => {
                self.part_failed(key, part, failure, &mut commands);
            }
            Event::Cancel { key } => self.cancel(key, &mut commands),
            Event::CancelAll => self.cancel_all(&mut commands),
            Event::Retry { key } => self.retry(key),
            Event::ClearFinished => {
                self.entries.retain(|_, entry| !entry.stage.is_finished());
                self.skipped = 0;
            }
            Event::Clear { key } => {
                if self
                    .entries
                    .get(&key)
                    .is_some_and(|entry| entry.stage.is_finished())
                {
                    self.entries.remove(&key);
                }
            }
        }
        self.pump(&mut commands);
        commands
    }

    fn next_turn(&mut self) -> Stage {
        self.next_turn += 1;
        Stage::Queued {
            turn: self.next_turn,
        }
    }

    /// Ends a running entry: its slot frees, its twins go on, and unless it may
    /// be retried it is no longer kept.
    fn finish(&mut self, key: Key, stage: Stage, out: &mut Vec<Command<H>>) {
        let Some(entry) = self.entries.get_mut(&key) else {
            return;
        };
        let retryable = matches!(
            stage,
            Stage::Failed {
                retryable: true,
                ..
            }
        );
        entry.stage = stage;
        if !retryable {
            if let Some(handle) = entry.handle.take() {
                out.push(Command::Release { key, handle });
            }
            if let Some(id) = entry.kept_as.take() {
                out.push(Command::Forget { id });
            }
        }
        self.release_held(out);
    }

    /// Held entries whose twin is no longer in flight go on, one per photo.
    fn release_held(&mut self, out: &mut Vec<Command<H>>) {
        let held: Vec<(Key, String)> = self
            .entries
            .values()
            .filter(|entry| entry.stage == Stage::Held)
            .filter_map(|entry| Some((entry.key, entry.photo_id.clone()?)))
            .collect();
        for (key, photo_id) in held {
            if !self.twin_in_flight(key, &photo_id) {
                self.set_stage(key, Stage::Asking { tries: 0 });
                out.push(Command::Ask { key, retry: 0 });
            }
        }
    }

    /// Starts queued files, oldest turn first, while a slot is free.
    fn pump(&mut self, out: &mut Vec<Command<H>>) {
        let running = self
            .entries
            .values()
            .filter(|entry| entry.stage.is_running())
            .count();
        for _ in running..self.limits.concurrency {
            let next = self
                .entries
                .values()
                .filter_map(|entry| match entry.stage {
                    Stage::Queued { turn } => Some((turn, entry.key)),
                    _ => None,
                })
                .min();
            let Some((_, key)) = next else { return };
            self.set_stage(key, Stage::Preparing);
            out.push(Command::Prepare { key });
        }
    }

    fn is_at(&self, key: Key, at: impl Fn(&Stage) -> bool) -> bool {
        self.entries.get(&key).is_some_and(|entry| at(&entry.stage))
    }

    fn set_stage(&mut self, key: Key, stage: Stage) {
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.stage = stage;
        }
    }
}
