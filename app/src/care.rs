//! How the owner keeps photos, from the SPA's side: a change (favourite,
//! archive, trash, restore, delete for good) sent for a selection of any size
//! a chunk at a time (`POST /photos/changes`, [`apply`]), with progress and
//! what happened to each photo; and what a change does to a photo where it is
//! shown: whether it leaves the view ([`leaves`]), how it now looks
//! ([`changed`]), what undoes it ([`undo`]) and the words for it.
//!
//! The rules here are pure and tested on the host; the components in
//! `components/care/` show them.

use api_types::{
    care::{MAX_CHANGES_PER_REQUEST, PhotoChange, RefusedChange, TRASH_DAYS, Trashed, ViewName},
    photo::Photo,
};

use crate::api::{Api, ApiError};

/// What one change did to a selection.
#[derive(Debug, Default)]
pub struct Applied {
    pub done: Vec<String>,
    /// Not the owner's, or gone meanwhile.
    pub not_found: Vec<String>,
    pub refused: Vec<RefusedChange>,
    /// Not sent: a request failed (the network, the API), and the rest waits.
    pub unsent: Vec<String>,
    pub error: Option<ApiError>,
}

impl Applied {
    /// What went wrong, in the owner's words, or `None` when all was done.
    pub fn problem(&self, change: PhotoChange, total: usize) -> Option<String> {
        let failed = self.not_found.len() + self.refused.len() + self.unsent.len();
        if failed == 0 {
            return None;
        }
        let why = match (&self.error, self.refused.first()) {
            (Some(error), _) => error.user_message(),
            (None, Some(refused)) => refused.message.clone(),
            (None, None) => "They are no longer in your library.".to_owned(),
        };
        Some(format!(
            "{failed} of {total} could not be {}. {why}",
            past(change)
        ))
    }
}

/// Sends `change` for `ids`, [`MAX_CHANGES_PER_REQUEST`] at a time, telling
/// `progress` how many were sent of how many. A request that fails stops the
/// rest (they are `unsent`): each change is safe to send again.
pub async fn apply(
    api: Api,
    change: PhotoChange,
    ids: Vec<String>,
    progress: impl Fn(usize, usize),
) -> Applied {
    let total = ids.len();
    let mut applied = Applied::default();
    let mut sent = 0;
    progress(0, total);
    for chunk in ids.chunks(MAX_CHANGES_PER_REQUEST) {
        match api.change_photos(change, chunk.to_vec()).await {
            Ok(answer) => {
                applied.done.extend(answer.done);
                applied.not_found.extend(answer.not_found);
                applied.refused.extend(answer.refused);
            }
            Err(error) => {
                applied.unsent.extend(ids[sent..].iter().cloned());
                applied.error = Some(error);
                return applied;
            }
        }
        sent += chunk.len();
        progress(sent, total);
    }
    applied
}

/// Whether a photo changed so leaves the view it is shown in (`None`: an
/// album, which a photo leaves only for the trash).
pub fn leaves(view: Option<ViewName>, change: PhotoChange) -> bool {
    use PhotoChange::*;
    match (view, change) {
        (_, DeleteForever) => true,
        (Some(ViewName::Trash), Restore) => true,
        (Some(ViewName::Trash), _) => false,
        (_, Trash) => true,
        (Some(ViewName::Timeline), Archive) => true,
        (Some(ViewName::Favorites), Unfavorite) => true,
        (Some(ViewName::Archive), Unarchive) => true,
        _ => false,
    }
}

/// `photo` as `change` leaves it (`now`: RFC 3339, for a trash time).
pub fn changed(photo: &mut Photo, change: PhotoChange, now: &str, purge_at: &str) {
    match change {
        PhotoChange::Favorite => photo.favorite = true,
        PhotoChange::Unfavorite => photo.favorite = false,
        PhotoChange::Archive => photo.in_archive = true,
        PhotoChange::Unarchive => photo.in_archive = false,
        PhotoChange::Trash => {
            photo.trashed = Some(Trashed {
                at: now.to_owned(),
                purge_at: purge_at.to_owned(),
            })
        }
        PhotoChange::Restore => photo.trashed = None,
        PhotoChange::DeleteForever => {}
    }
}

/// The change that takes `change` back, for the toast's Undo.
pub fn undo(change: PhotoChange) -> Option<PhotoChange> {
    use PhotoChange::*;
    Some(match change {
        Favorite => Unfavorite,
        Unfavorite => Favorite,
        Archive => Unarchive,
        Unarchive => Archive,
        Trash => Restore,
        Restore => Trash,
        DeleteForever => return None,
    })
}

/// "Moving to the trash": what is under way, for progress.
pub fn doing(change: PhotoChange) -> &'static str {
    match change {
        PhotoChange::Favorite => "Adding to favorites",
        PhotoChange::Unfavorite => "Removing from favorites",
        PhotoChange::Archive => "Archiving",
        PhotoChange::Unarchive => "Unarchiving",
        PhotoChange::Trash => "Moving to the trash",
        PhotoChange::Restore => "Restoring",
        PhotoChange::DeleteForever => "Deleting for good",
    }
}

/// "moved to the trash": what was done, after "could not be" too.
pub fn past(change: PhotoChange) -> &'static str {
    match change {
        PhotoChange::Favorite => "added to favorites",
        PhotoChange::Unfavorite => "removed from favorites",
        PhotoChange::Archive => "archived",
        PhotoChange::Unarchive => "unarchived",
        PhotoChange::Trash => "moved to the trash",
        PhotoChange::Restore => "restored",
        PhotoChange::DeleteForever => "deleted for good",
    }
}

/// "3 photos moved to the trash.": the toast after a change.
pub fn done_note(change: PhotoChange, count: usize) -> String {
    format!("{} {}.", photos(count), past(change))
}

/// "Delete 3 photos for good?": the question before deleting for good.
pub fn delete_question(count: usize) -> String {
    format!("Delete {} for good?", photos(count))
}

fn photos(count: usize) -> String {
    match count {
        1 => "1 photo".to_owned(),
        n => format!("{n} photos"),
    }
}

/// How many days a trashed photo has left, from `now` (ms since 1970), short
/// enough for a phone's tile: "30 days" just after it was trashed, "1 day" on
/// its last day.
pub fn days_left(purge_at_ms: f64, now_ms: f64) -> String {
    const DAY_MS: f64 = 24.0 * 3600.0 * 1000.0;
    match ((purge_at_ms - now_ms) / DAY_MS).ceil() {
        days if days <= 0.0 => "Due".to_owned(),
        days if days <= 1.0 => "1 day".to_owned(),
        days => format!("{} days", days.min(f64::from(TRASH_DAYS)) as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_leaves_a_view_exactly_when_the_change_takes_it_out() {
        use PhotoChange::*;
        let timeline = Some(ViewName::Timeline);
        assert!(leaves(timeline, Trash) && leaves(timeline, Archive));
        assert!(!leaves(timeline, Favorite) && !leaves(timeline, Unarchive));
        let favorites = Some(ViewName::Favorites);
        assert!(leaves(favorites, Unfavorite) && !leaves(favorites, Archive));
        let archive = Some(ViewName::Archive);
        assert!(leaves(archive, Unarchive) && !leaves(archive, Favorite));
        let trash = Some(ViewName::Trash);
        assert!(leaves(trash, Restore) && leaves(trash, DeleteForever));
        assert!(!leaves(trash, Favorite));
        // An album keeps archived and favourite photos, not trashed ones.
        assert!(leaves(None, Trash) && !leaves(None, Archive) && !leaves(None, Unfavorite));
    }

    #[test]
    fn every_change_but_deleting_for_good_can_be_undone() {
        use PhotoChange::*;
        for change in [Favorite, Unfavorite, Archive, Unarchive, Trash, Restore] {
            let back = undo(change).expect("an undo");
            assert_eq!(undo(back), Some(change));
        }
        assert_eq!(undo(DeleteForever), None);
    }

    #[test]
    fn the_words_say_what_happened_and_what_is_left() {
        assert_eq!(
            done_note(PhotoChange::Trash, 1),
            "1 photo moved to the trash."
        );
        assert_eq!(
            done_note(PhotoChange::Favorite, 3),
            "3 photos added to favorites."
        );
        assert_eq!(delete_question(1), "Delete 1 photo for good?");
        assert_eq!(delete_question(4), "Delete 4 photos for good?");
        let day = 24.0 * 3600.0 * 1000.0;
        assert_eq!(days_left(30.0 * day, 0.0), "30 days");
        assert_eq!(days_left(29.5 * day, 0.0), "30 days");
        assert_eq!(days_left(1.5 * day, 0.0), "2 days");
        assert_eq!(days_left(0.2 * day, 0.0), "1 day");
        assert_eq!(days_left(-1.0, 0.0), "Due");
        let applied = Applied {
            done: vec!["a".into()],
            refused: vec![RefusedChange {
                id: "b".into(),
                message: "It is not in the trash.".into(),
            }],
            ..Applied::default()
        };
        assert_eq!(
            applied.problem(PhotoChange::DeleteForever, 2).as_deref(),
            Some("1 of 2 could not be deleted for good. It is not in the trash.")
        );
        assert_eq!(Applied::default().problem(PhotoChange::Trash, 0), None);
    }
}
