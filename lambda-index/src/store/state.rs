//! [`PhotoState`]: how its owner keeps a photo (a favourite, in the archive, in
//! the trash), and the [`View`]s of the library that follow from it.
//!
//! The state is part of the one photo record: it travels in the record's
//! `details` document (so a kept record object in the bucket carries it, and a
//! rebuilt index has it back), and each index derives from it where the photo
//! is listed: which views page it and which views' day counts count it. The
//! rules of which state shows where are here, once; the stores only follow
//! [`PhotoState::views`].

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// How long a photo stays in the trash before it is deleted for good.
pub const TRASH_DAYS: i64 = 30;

/// How the owner keeps a photo. A record written before trash and favourites
/// existed reads as the default: in the timeline, not a favourite.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoState {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub favorite: bool,
    /// In the archive: out of the timeline, still in albums, Favorites and search.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_archive: bool,
    /// When it was put in the trash: out of every view but Trash (and out of
    /// albums and share links) until it is restored or purged.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub trashed_at: Option<OffsetDateTime>,
}

/// A way of looking at a user's library, each paged and counted by the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// Every photo neither archived nor trashed.
    Timeline,
    /// The favourites not in the trash (archived ones too).
    Favorites,
    /// The archived photos not in the trash.
    Archive,
    Trash,
}

impl View {
    pub const ALL: [View; 4] = [View::Timeline, View::Favorites, View::Archive, View::Trash];

    /// Its name in addresses and query strings.
    pub fn name(self) -> &'static str {
        match self {
            View::Timeline => "timeline",
            View::Favorites => "favorites",
            View::Archive => "archive",
            View::Trash => "trash",
        }
    }

    pub fn parse(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|view| view.name() == name)
    }
}

/// One thing an owner does to a photo. Each is idempotent: doing it twice is
/// doing it once (trashing a trashed photo keeps its first trash time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateChange {
    Favorite(bool),
    Archive(bool),
    Trash { at: OffsetDateTime },
    Restore,
}

impl PhotoState {
    /// The state after `change`.
    pub fn with(self, change: StateChange) -> PhotoState {
        match change {
            StateChange::Favorite(favorite) => PhotoState { favorite, ..self },
            StateChange::Archive(in_archive) => PhotoState { in_archive, ..self },
            StateChange::Trash { at } => PhotoState {
                trashed_at: Some(self.trashed_at.unwrap_or(at)),
                ..self
            },
            StateChange::Restore => PhotoState {
                trashed_at: None,
                ..self
            },
        }
    }

    /// Whether the photo is listed in `view`.
    pub fn in_view(&self, view: View) -> bool {
        let kept = self.trashed_at.is_none();
        match view {
            View::Timeline => kept && !self.in_archive,
            View::Favorites => kept && self.favorite,
            View::Archive => kept && self.in_archive,
            View::Trash => !kept,
        }
    }

    /// Every view the photo is listed in.
    pub fn views(&self) -> impl Iterator<Item = View> + '_ {
        View::ALL.into_iter().filter(|view| self.in_view(*view))
    }

    /// When a trashed photo is deleted for good.
    pub fn purge_at(&self) -> Option<OffsetDateTime> {
        self.trashed_at.map(|at| at + Duration::days(TRASH_DAYS))
    }

    /// Whether it was trashed long enough ago to be purged at `now`.
    pub fn due_for_purge(&self, now: OffsetDateTime) -> bool {
        self.purge_at().is_some_and(|at| at <= now)
    }

    /// The state a photo imported with another app's marks starts in.
    pub fn imported(favorite: bool, in_archive: bool) -> PhotoState {
        PhotoState {
            favorite,
            in_archive,
            trashed_at: None,
        }
    }
}

/// Whether a photo an owner already has is kept or in the trash (where a new
/// upload of the same file restores it rather than sending it again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Kept,
    Trashed,
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn each_state_shows_where_a_user_expects() {
        let plain = PhotoState::default();
        let views = |state: PhotoState| state.views().collect::<Vec<_>>();
        assert_eq!(views(plain), [View::Timeline]);
        let favorite = plain.with(StateChange::Favorite(true));
        assert_eq!(views(favorite), [View::Timeline, View::Favorites]);
        let archived = favorite.with(StateChange::Archive(true));
        assert_eq!(views(archived), [View::Favorites, View::Archive]);
        let at = datetime!(2026-12-01 10:00 UTC);
        let trashed = archived.with(StateChange::Trash { at });
        assert_eq!(views(trashed), [View::Trash]);
        // Restored where it was: archived, a favourite.
        assert_eq!(trashed.with(StateChange::Restore), archived);
    }

    #[test]
    fn trashing_twice_keeps_the_first_time_and_the_purge_follows_it() {
        let first = datetime!(2026-12-01 10:00 UTC);
        let state = PhotoState::default()
            .with(StateChange::Trash { at: first })
            .with(StateChange::Trash {
                at: datetime!(2026-12-05 10:00 UTC),
            });
        assert_eq!(state.trashed_at, Some(first));
        assert_eq!(state.purge_at(), Some(datetime!(2026-12-31 10:00 UTC)));
        assert!(!state.due_for_purge(datetime!(2026-12-31 09:59 UTC)));
        assert!(state.due_for_purge(datetime!(2026-12-31 10:00 UTC)));
        assert!(!PhotoState::default().due_for_purge(datetime!(9999-01-01 0:00 UTC)));
    }

    #[test]
    fn a_plain_state_is_not_written_and_an_old_record_reads_as_plain() {
        assert_eq!(
            serde_json::to_string(&PhotoState::default()).expect("json"),
            "{}"
        );
        let read: PhotoState = serde_json::from_str("{}").expect("reads");
        assert_eq!(read, PhotoState::default());
        for name in ["timeline", "favorites", "archive", "trash"] {
            assert_eq!(View::parse(name).map(View::name), Some(name));
        }
        assert_eq!(View::parse("Trash"), None);
    }
}
