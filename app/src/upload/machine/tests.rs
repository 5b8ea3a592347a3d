//! The queue's rules as a person would see them: what the rows say, what the
//! header counts, what gets started, kept and forgotten. A fake edge plays the
//! browser: it keeps files as IndexedDB would, counts commits, and answers for
//! the API and the store.

mod cancel;
mod duplicate;
mod flow;
mod parts;
mod resume;
mod retry;

use std::collections::BTreeMap;

use super::*;
use crate::upload::rows::RowState;

const MB: u64 = 1_000_000;

const LIMITS: Limits = Limits {
    concurrency: 2,
    max_original_bytes: 50 * MB,
    attempts: 4,
};

/// The browser's side, faked: a handle is the file's name.
struct Edge {
    queue: Queue<&'static str>,
    /// The files kept for after a reload, by id (IndexedDB's `pending`).
    kept: BTreeMap<String, &'static str>,
    /// Photos committed on this page (the gallery's count).
    committed: u32,
}

impl Edge {
    fn new(limits: Limits) -> Edge {
        Edge {
            queue: Queue::new(limits),
            kept: BTreeMap::new(),
            committed: 0,
        }
    }

    /// Applies `event` and does the bookkeeping commands, as the edge would;
    /// returns every command, for the test to look at.
    fn on(&mut self, event: Event<&'static str>) -> Vec<Command<&'static str>> {
        let commands = self.queue.on(event);
        for command in &commands {
            match command {
                Command::Keep { key, id } => {
                    let file = self.queue.handle(*key).copied().unwrap_or_default();
                    self.kept.insert(id.clone(), file);
                }
                Command::Forget { id } => {
                    self.kept.remove(id);
                }
                Command::CountCommitted { .. } => self.committed += 1,
                _ => {}
            }
        }
        commands
    }

    /// Picks files (name, size) while signed in: each is kept as `id-<name>`.
    fn add(&mut self, files: &[(&'static str, u64)]) -> Vec<Command<&'static str>> {
        let files = files
            .iter()
            .map(|&(name, bytes)| NewFile {
                name: name.into(),
                bytes,
                kept_as: Some(format!("id-{name}")),
                handle: name,
            })
            .collect();
        self.on(Event::Added { files, now_ms: 0.0 })
    }

    fn key(&self, name: &str) -> Key {
        self.queue
            .rows()
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.key)
            .unwrap_or_else(|| panic!("no row for {name}"))
    }

    fn state(&self, name: &str) -> RowState {
        let key = self.key(name);
        self.queue
            .rows()
            .into_iter()
            .find(|row| row.key == key)
            .map(|row| row.state)
            .unwrap_or(RowState::Cancelled)
    }

    fn retryable(&self, name: &str) -> bool {
        let key = self.key(name);
        self.queue
            .rows()
            .iter()
            .any(|row| row.key == key && row.retryable)
    }

    /// Rows that are under way (what the person sees moving).
    fn running(&self) -> Vec<String> {
        self.queue
            .rows()
            .into_iter()
            .filter(|row| {
                matches!(
                    row.state,
                    RowState::Preparing | RowState::Uploading | RowState::Committing
                )
            })
            .map(|row| row.name)
            .collect()
    }

    fn prepared(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let key = self.key(name);
        let photo_id = format!("sha-{name}");
        self.on(Event::Prepared { key, photo_id })
    }

    /// The API signs three parts (original and two previews).
    fn answered_upload(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let key = self.key(name);
        self.on(Event::AnsweredUpload {
            key,
            parts: [4 * MB, 100_000, 20_000].map(PlannedPart::to_send).to_vec(),
        })
    }

    fn uploaded_all(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let key = self.key(name);
        (0..3)
            .flat_map(|part| self.on(Event::Uploaded { key, part }))
            .collect()
    }

    fn committed(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let key = self.key(name);
        self.on(Event::Committed { key })
    }

    /// A started file through the rest of the pipeline, every step answering well.
    fn complete(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let mut commands = self.prepared(name);
        commands.extend(self.answered_upload(name));
        commands.extend(self.uploaded_all(name));
        commands.extend(self.committed(name));
        commands
    }

    fn summary(&self) -> Summary {
        self.queue.summary(0.0)
    }
}

/// The files the queue let go of: anything in flight for them is stopped.
fn released(commands: &[Command<&'static str>]) -> Vec<Key> {
    commands
        .iter()
        .filter_map(|command| match command {
            Command::Release { key, .. } => Some(*key),
            _ => None,
        })
        .collect()
}

fn prepares(commands: &[Command<&'static str>]) -> Vec<Key> {
    commands
        .iter()
        .filter_map(|command| match command {
            Command::Prepare { key } => Some(*key),
            _ => None,
        })
        .collect()
}

fn transient() -> Failure {
    Failure::Transient("Shoebox could not be reached. Check your connection.".into())
}
