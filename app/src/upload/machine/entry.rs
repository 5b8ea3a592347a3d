//! One file in the queue: what is known of it, and the [`Stage`] it is at. The
//! stages carry their own data (tries so far, the parts of an upload), so a new
//! kind of upload (a video sent in parts) is a new stage or more parts, not
//! another map beside the queue.

use super::PlannedPart;
use crate::upload::rows::{Row, RowState};

/// Names a file in the queue for as long as the page lives.
pub type Key = u64;

#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Waiting for a free slot; lower turns go first.
    Queued {
        turn: u64,
    },
    /// Hashing and making previews.
    Preparing,
    /// Prepared, while the same photo goes up from another entry: it waits for
    /// that one to end, so a photo added twice is uploaded once.
    Held,
    /// Asking the API whether to upload, and where.
    Asking {
        tries: u32,
    },
    /// Sending its files to the store, each on its own.
    Uploading {
        parts: Vec<Part>,
    },
    /// Telling the API the files are there.
    Committing {
        tries: u32,
    },
    Done,
    /// Already in the library: nothing was uploaded.
    Duplicate,
    Failed {
        reason: String,
        retryable: bool,
    },
    Cancelled,
}

impl Stage {
    /// Holds one of the queue's slots: work is under way for it.
    pub fn is_running(&self) -> bool {
        matches!(
            self,
            Stage::Preparing
                | Stage::Held
                | Stage::Asking { .. }
                | Stage::Uploading { .. }
                | Stage::Committing { .. }
        )
    }

    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            Stage::Done | Stage::Duplicate | Stage::Failed { .. } | Stage::Cancelled
        )
    }
}

/// One file sent to the store (the original, a preview, a part of a video).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub bytes: u64,
    pub sent: u64,
    /// Failed tries so far.
    pub tries: u32,
    /// Sent for (it may be in flight, or waiting to be tried again).
    pub started: bool,
    pub done: bool,
}

impl Part {
    pub fn new(planned: PlannedPart) -> Part {
        let stored = planned.already_stored;
        Part {
            bytes: planned.bytes,
            sent: if stored { planned.bytes } else { 0 },
            tries: 0,
            started: stored,
            done: stored,
        }
    }

    pub fn in_flight(&self) -> bool {
        self.started && !self.done
    }
}

/// Why a step failed, in the words the row shows, and as it bears on trying
/// again.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Failure {
    /// May pass in a moment (the network, a 5xx): the step is tried again after
    /// a pause; when the tries run out it fails as [`Failure::Interrupted`].
    #[error("{0}")]
    Transient(String),
    /// May pass later (the session ended, an upload URL expired): the person
    /// can retry, and a reload resumes it.
    #[error("{0}")]
    Interrupted(String),
    /// Will not pass (not a photo, refused): the file is done with.
    #[error("{0}")]
    Final(String),
}

#[derive(Debug, Clone)]
pub struct Entry<H> {
    pub key: Key,
    pub name: String,
    /// The original's size.
    pub bytes: u64,
    pub stage: Stage,
    /// The photo's content id, once prepared in this run.
    pub photo_id: Option<String>,
    /// Its id among the files kept for after a reload, while it is kept.
    pub kept_as: Option<String>,
    /// The edge's file, while the entry may still need it: dropped once the
    /// entry can no longer run.
    pub handle: Option<H>,
}

impl<H> Entry<H> {
    pub fn row(&self) -> Row {
        let (upload_bytes, sent) = match &self.stage {
            Stage::Uploading { parts } => parts.iter().fold((0, 0), |(bytes, sent), part| {
                (bytes + part.bytes, sent + part.sent)
            }),
            _ => (0, 0),
        };
        let (state, retryable) = match &self.stage {
            Stage::Queued { .. } => (RowState::Waiting, false),
            Stage::Preparing | Stage::Held | Stage::Asking { .. } => (RowState::Preparing, false),
            Stage::Uploading { .. } => (RowState::Uploading, false),
            Stage::Committing { .. } => (RowState::Committing, false),
            Stage::Done => (RowState::Done, false),
            Stage::Duplicate => (RowState::Duplicate, false),
            Stage::Failed { reason, retryable } => (RowState::Failed(reason.clone()), *retryable),
            Stage::Cancelled => (RowState::Cancelled, false),
        };
        Row {
            key: self.key,
            name: self.name.clone(),
            bytes: self.bytes,
            upload_bytes,
            sent,
            state,
            retryable,
        }
    }
}
