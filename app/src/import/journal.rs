//! What an import has finished, kept in `localStorage` so a second run of the
//! same parts (after a crash, a reload or a closed laptop) skips it: one
//! character per item of the plan (the plan is the same for the same parts),
//! and the albums made so far. Keyed by the signed-in user and the parts'
//! names and sizes.

use serde::{Deserialize, Serialize};

use crate::browser::Store;

const PREFIX: &str = "shoebox-import:";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Kept {
    /// `1` for each item done, `0` for the rest.
    done: String,
    /// The album made for each of the plan's albums, once made.
    albums: Vec<Option<String>>,
}

/// Items marked done between two writes: each write is the whole journal (100
/// KB for 100,000 items), so it is written now and then, not per item. A
/// crash loses at most these, which the next run finds "already there".
const MARKS_PER_WRITE: usize = 100;

pub struct Journal {
    key: String,
    kept: Kept,
    unwritten: usize,
}

impl Journal {
    /// What tells one export from another: its parts' names and sizes, or an
    /// extracted export's folder, file count and bytes.
    pub fn fingerprint(parts: &[web_sys::File], folder: Option<&str>) -> String {
        match folder {
            Some(folder) => {
                let bytes: f64 = parts.iter().map(|part| part.size()).sum();
                format!("folder:{folder}:{}:{bytes}", parts.len())
            }
            None => parts
                .iter()
                .map(|part| format!("{}:{}", part.name(), part.size()))
                .collect::<Vec<_>>()
                .join("|"),
        }
    }

    /// The journal of the export `fingerprint`, for this user, as an earlier
    /// run left it.
    pub fn open(owner: &str, fingerprint: &str, items: usize, albums: usize) -> Journal {
        let key = format!("{PREFIX}{owner}:{fingerprint}");
        let mut kept: Kept = Store::Local
            .get(&key)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        if kept.done.len() != items {
            kept.done = "0".repeat(items);
        }
        kept.albums.resize(albums, None);
        Journal {
            key,
            kept,
            unwritten: 0,
        }
    }

    pub fn is_done(&self, item: usize) -> bool {
        self.kept.done.as_bytes().get(item) == Some(&b'1')
    }

    pub fn done_count(&self) -> usize {
        self.kept.done.bytes().filter(|b| *b == b'1').count()
    }

    pub fn mark_done(&mut self, items: &[usize]) {
        let mut done = std::mem::take(&mut self.kept.done).into_bytes();
        for &item in items {
            if let Some(slot) = done.get_mut(item) {
                *slot = b'1';
            }
        }
        self.kept.done = String::from_utf8(done).unwrap_or_default();
        self.unwritten += items.len();
        if self.unwritten >= MARKS_PER_WRITE {
            self.save();
        }
    }

    pub fn album(&self, album: usize) -> Option<String> {
        self.kept.albums.get(album).cloned().flatten()
    }

    pub fn set_album(&mut self, album: usize, id: String) {
        if let Some(slot) = self.kept.albums.get_mut(album) {
            *slot = Some(id);
        }
        self.save();
    }

    /// Writes what is marked (and is called when the import ends or stops).
    pub fn save(&mut self) {
        if let Ok(json) = serde_json::to_string(&self.kept) {
            Store::Local.set(&self.key, &json);
        }
        self.unwritten = 0;
    }
}
