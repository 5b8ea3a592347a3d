//! How an owner keeps their photos: favourites, the archive and the trash.
//!
//! - `POST /photos/changes` ([`PhotoChanges`]): one change to up to
//!   [`MAX_CHANGES_PER_REQUEST`] photos; the SPA sends a large selection a
//!   chunk at a time, and each answer says what happened to each photo
//!   ([`ChangesAnswer`]).
//! - `GET /photos?view=` and `GET /timeline?view=` page and count one
//!   [`ViewName`]; `/timeline` also answers every view's total ([`ViewTotals`]).
//! - A photo says how it is kept (`favorite`, `in_archive`, `trashed` on
//!   [`crate::photo::Photo`]).

use serde::{Deserialize, Serialize};

/// Most photos one `POST /photos/changes` may name.
pub const MAX_CHANGES_PER_REQUEST: usize = 100;

/// How many days a photo stays in the trash before it is deleted for good.
pub const TRASH_DAYS: u32 = 30;

/// A view of the library, each with its own address in the SPA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViewName {
    Timeline,
    Favorites,
    Archive,
    Trash,
}

impl ViewName {
    /// As it is written in a query string (`?view=trash`).
    pub fn as_str(self) -> &'static str {
        match self {
            ViewName::Timeline => "timeline",
            ViewName::Favorites => "favorites",
            ViewName::Archive => "archive",
            ViewName::Trash => "trash",
        }
    }
}

/// One change an owner makes to photos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhotoChange {
    Favorite,
    Unfavorite,
    /// Out of the timeline, still in albums, Favorites and search.
    Archive,
    Unarchive,
    /// Into the trash: out of the timeline, albums and share links, deleted
    /// for good after [`TRASH_DAYS`] days unless restored.
    Trash,
    /// Out of the trash, back where it was (the timeline or the archive, and
    /// its albums).
    Restore,
    /// Deleted now, files and all: only a photo in the trash.
    DeleteForever,
}

/// `POST /photos/changes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoChanges {
    pub change: PhotoChange,
    /// Photo ids, 1 to [`MAX_CHANGES_PER_REQUEST`].
    pub ids: Vec<String>,
}

/// What a change did to each photo named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangesAnswer {
    /// Changed, or already so.
    pub done: Vec<String>,
    /// No such photo of the caller's (another user's photo is one of these:
    /// nothing of theirs changes).
    pub not_found: Vec<String>,
    /// Not changed, each with why in the owner's words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<RefusedChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusedChange {
    pub id: String,
    pub message: String,
}

/// A photo in the trash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trashed {
    /// When it was put there (RFC 3339).
    pub at: String,
    /// When it is deleted for good (RFC 3339).
    pub purge_at: String,
}

/// How many photos each view holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewTotals {
    pub timeline: u64,
    pub favorites: u64,
    pub archive: u64,
    pub trash: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_and_views_are_written_as_the_spa_sends_them() {
        let changes: PhotoChanges =
            serde_json::from_str(r#"{"change":"delete_forever","ids":["ab"]}"#).expect("reads");
        assert_eq!(changes.change, PhotoChange::DeleteForever);
        let view: ViewName = serde_json::from_str(r#""favorites""#).expect("reads");
        assert_eq!(view.as_str(), "favorites");
        // An answer without refusals says none.
        let answer: ChangesAnswer =
            serde_json::from_str(r#"{"done":["ab"],"not_found":[]}"#).expect("reads");
        assert!(answer.refused.is_empty());
    }
}
