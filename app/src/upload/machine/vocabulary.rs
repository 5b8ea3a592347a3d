//! What the machine hears and what it says: the [`Event`]s the edge feeds it,
//! the [`Command`]s it answers with, and the [`NewFile`]s it is given.

use super::{Failure, Key};

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

/// A part the file is sent in, as the API planned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedPart {
    pub bytes: u64,
    /// The store holds it from an earlier try (an upload resumed after a
    /// reload): it is not sent again.
    pub already_stored: bool,
}

impl PlannedPart {
    pub fn to_send(bytes: u64) -> PlannedPart {
        PlannedPart {
            bytes,
            already_stored: false,
        }
    }
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
    /// The API said where each part goes: the original (whole, or in pieces),
    /// then the previews.
    AnsweredUpload {
        key: Key,
        parts: Vec<PlannedPart>,
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
    /// Takes one finished file off the panel (an imported file: the import
    /// shows its own progress, and a library of 50,000 must not be 50,000
    /// rows). A file still running stays.
    Clear {
        key: Key,
    },
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
