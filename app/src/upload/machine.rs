//! The upload queue's rules, with no browser in them: which files wait and which
//! run, what each does next, when a failure is tried again, and how the queue
//! looks. [`Queue`] takes an [`Event`] (files added, a step's answer, a click)
//! and answers with the [`Command`]s the browser edge ([`super::queue`]) is to
//! carry out; it does no I/O, so every rule is tested on the host.
//!
//! A file goes queued → preparing (hash, previews) → asking → uploading (its
//! parts) → committing → done, or ends a duplicate, failed or cancelled.

mod entry;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub use entry::{Entry, Failure, Key, Part, Stage};

use super::rows::{Batch, Row, Summary};

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

/// A file for the queue: `H` is the edge's handle on it (a `web_sys::File` in
/// the browser, anything in tests).
#[derive(Debug, Clone)]
pub struct NewFile<H> {
    pub name: String,
    pub bytes: u64,
    /// Its id among the files kept for after a reload: one to keep it under
    /// ([`Event::Added`]) or the one it was kept under ([`Event::Resumed`]).
    /// None: it is not kept (nobody signed in, or no randomness for an id).
    pub kept_as: Option<String>,
    pub handle: H,
}

#[derive(Debug, Clone)]
pub enum Event<H> {
    /// Files picked, dropped or shared, in order.
    Added {
        files: Vec<NewFile<H>>,
        now_ms: f64,
    },
    /// Files kept from before a reload, oldest first.
    Resumed {
        files: Vec<NewFile<H>>,
        now_ms: f64,
    },
    /// Files in a folder that were not photos: counted, not queued.
    Skipped(usize),
    /// Hashed, with previews made; `photo_id` is the content's id.
    Prepared {
        key: Key,
        photo_id: String,
    },
    /// The API already has this photo.
    AnsweredExists {
        key: Key,
    },
    /// The API signed a target for each part, of these sizes.
    AnsweredUpload {
        key: Key,
        parts: Vec<u64>,
    },
    /// `sent` bytes of a part have left so far.
    Progress {
        key: Key,
        part: usize,
        sent: u64,
    },
    /// A part is in the store.
    Uploaded {
        key: Key,
        part: usize,
    },
    Committed {
        key: Key,
    },
    /// The step under way failed (preparing, asking, committing).
    Failed {
        key: Key,
        failure: Failure,
    },
    /// One part's transfer failed.
    PartFailed {
        key: Key,
        part: usize,
        failure: Failure,
    },
    Cancel {
        key: Key,
    },
    CancelAll,
    /// The person asks for a failed file to be tried again.
    Retry {
        key: Key,
    },
    ClearFinished,
}

/// What the edge is to do, in order. `retry` is 0 for a first try; n > 0 asks
/// for the n-th retry, after the retry policy's pause for it.
#[derive(Debug, Clone, PartialEq)]
pub enum Command<H> {
    /// Hash the file and make its previews.
    Prepare { key: Key },
    /// Ask the API whether to upload the photo (`POST /uploads`).
    Ask { key: Key, retry: u32 },
    /// Send one part to its target.
    Send { key: Key, part: usize, retry: u32 },
    /// Commit the photo (`POST /photos`).
    Commit { key: Key, retry: u32 },
    /// Stop the file's requests in flight, and any it would send next; the
    /// file stays, to be retried.
    Abort { key: Key },
    /// The file will not run again (done, a duplicate, failed for good,
    /// cancelled): stop whatever is still in flight for it and let it go.
    Release { key: Key, handle: H },
    /// Keep the file as `id`, so a reload resumes it.
    Keep { key: Key, id: String },
    /// Drop the kept file `id`: it needs no resuming.
    Forget { id: String },
    /// A photo reached the library: the gallery shows it.
    CountCommitted { key: Key },
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

    /// Files in folders that were not photos, since the panel was last cleared.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// The edge's handle on a file that may still run.
    pub fn handle(&self, key: Key) -> Option<&H> {
        self.entries.get(&key)?.handle.as_ref()
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
        }
        self.pump(&mut commands);
        commands
    }

    fn add(&mut self, files: Vec<NewFile<H>>, fresh: bool, now_ms: f64, out: &mut Vec<Command<H>>) {
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
                    "This file is {:.0} MB; this Shoebox takes files up to {:.0} MB.",
                    file.bytes as f64 / 1e6,
                    max as f64 / 1e6
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

    fn is_kept(&self, id: Option<&str>) -> bool {
        id.is_some_and(|id| {
            self.entries
                .values()
                .any(|entry| entry.kept_as.as_deref() == Some(id))
        })
    }

    fn next_turn(&mut self) -> Stage {
        self.next_turn += 1;
        Stage::Queued {
            turn: self.next_turn,
        }
    }

    fn prepared(&mut self, key: Key, photo_id: String, out: &mut Vec<Command<H>>) {
        if !self.is_at(key, |stage| *stage == Stage::Preparing) {
            return;
        }
        let twin_in_flight = self.twin_in_flight(key, &photo_id);
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.photo_id = Some(photo_id);
            if twin_in_flight {
                entry.stage = Stage::Held;
            } else {
                entry.stage = Stage::Asking { tries: 0 };
                out.push(Command::Ask { key, retry: 0 });
            }
        }
    }

    /// Whether another entry is asking about, sending or committing the same photo.
    fn twin_in_flight(&self, key: Key, photo_id: &str) -> bool {
        self.entries.values().any(|other| {
            other.key != key
                && other.photo_id.as_deref() == Some(photo_id)
                && matches!(
                    other.stage,
                    Stage::Asking { .. } | Stage::Uploading { .. } | Stage::Committing { .. }
                )
        })
    }

    fn answered_upload(&mut self, key: Key, parts: Vec<u64>, out: &mut Vec<Command<H>>) {
        if !self.is_at(key, |stage| matches!(stage, Stage::Asking { .. })) {
            return;
        }
        if parts.is_empty() {
            self.set_stage(key, Stage::Committing { tries: 0 });
            out.push(Command::Commit { key, retry: 0 });
            return;
        }
        out.extend((0..parts.len()).map(|part| Command::Send {
            key,
            part,
            retry: 0,
        }));
        let parts = parts.into_iter().map(Part::new).collect();
        self.set_stage(key, Stage::Uploading { parts });
    }

    fn progress(&mut self, key: Key, part: usize, sent: u64) {
        let Some(part) = self.part_mut(key, part) else {
            return;
        };
        // A retried part starts again from nothing: it adds nothing until it
        // is past where the last try got.
        let delta = sent.saturating_sub(part.sent);
        part.sent = sent;
        self.batch.sent += delta as f64;
    }

    fn uploaded(&mut self, key: Key, part: usize, out: &mut Vec<Command<H>>) {
        let Some(done) = self.part_mut(key, part) else {
            return;
        };
        done.done = true;
        done.sent = done.bytes;
        let all_done = matches!(
            self.entries.get(&key).map(|entry| &entry.stage),
            Some(Stage::Uploading { parts }) if parts.iter().all(|part| part.done)
        );
        if all_done {
            self.set_stage(key, Stage::Committing { tries: 0 });
            out.push(Command::Commit { key, retry: 0 });
        }
    }

    fn part_mut(&mut self, key: Key, part: usize) -> Option<&mut Part> {
        match &mut self.entries.get_mut(&key)?.stage {
            Stage::Uploading { parts } => parts.get_mut(part).filter(|part| !part.done),
            _ => None,
        }
    }

    fn failed(&mut self, key: Key, failure: Failure, out: &mut Vec<Command<H>>) {
        let Some(entry) = self.entries.get_mut(&key) else {
            return;
        };
        let attempts = self.limits.attempts;
        let failure = match (&mut entry.stage, failure) {
            (Stage::Asking { tries }, Failure::Transient(_)) if *tries + 1 < attempts => {
                *tries += 1;
                out.push(Command::Ask { key, retry: *tries });
                return;
            }
            (Stage::Committing { tries }, Failure::Transient(_)) if *tries + 1 < attempts => {
                *tries += 1;
                out.push(Command::Commit { key, retry: *tries });
                return;
            }
            (Stage::Preparing | Stage::Asking { .. } | Stage::Committing { .. }, failure) => {
                failure
            }
            _ => return,
        };
        self.fail(key, failure, out);
    }

    fn part_failed(&mut self, key: Key, part: usize, failure: Failure, out: &mut Vec<Command<H>>) {
        let attempts = self.limits.attempts;
        let Some(failed) = self.part_mut(key, part) else {
            return;
        };
        if matches!(failure, Failure::Transient(_)) && failed.tries + 1 < attempts {
            failed.tries += 1;
            out.push(Command::Send {
                key,
                part,
                retry: failed.tries,
            });
            return;
        }
        // The other parts are of no use now.
        out.push(Command::Abort { key });
        self.fail(key, failure, out);
    }

    fn fail(&mut self, key: Key, failure: Failure, out: &mut Vec<Command<H>>) {
        let stage = match failure {
            Failure::Transient(reason) | Failure::Interrupted(reason) => Stage::Failed {
                reason,
                retryable: true,
            },
            Failure::Final(reason) => Stage::Failed {
                reason,
                retryable: false,
            },
        };
        self.finish(key, stage, out);
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

    fn cancel(&mut self, key: Key, out: &mut Vec<Command<H>>) {
        // Releasing the file stops its requests in flight.
        match self.entries.get(&key).map(|entry| &entry.stage) {
            // The commit is on its way and cannot be called back: the photo
            // will be in the library, and the row says so.
            Some(Stage::Committing { .. }) => {}
            Some(stage) if !stage.is_finished() => self.finish(key, Stage::Cancelled, out),
            _ => {}
        }
    }

    fn cancel_all(&mut self, out: &mut Vec<Command<H>>) {
        // The waiting first: a slot freed by a running one must not start one
        // of them on its way out.
        let (waiting, running): (Vec<Key>, Vec<Key>) = self
            .entries
            .values()
            .filter(|entry| !entry.stage.is_finished())
            .map(|entry| entry.key)
            .partition(|key| self.is_at(*key, |stage| matches!(stage, Stage::Queued { .. })));
        for key in waiting.into_iter().chain(running) {
            self.cancel(key, out);
        }
    }

    fn retry(&mut self, key: Key) {
        let can_retry = self.entries.get(&key).is_some_and(|entry| {
            entry.handle.is_some()
                && matches!(
                    entry.stage,
                    Stage::Failed {
                        retryable: true,
                        ..
                    }
                )
        });
        if can_retry {
            let turn = self.next_turn();
            if let Some(entry) = self.entries.get_mut(&key) {
                entry.stage = turn;
                entry.photo_id = None;
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
