//! The trash's purge: a photo trashed [`TRASH_DAYS`] days ago is deleted for
//! good, its files, its kept record and its index entries, without anyone
//! asking. In AWS a scheduled rule runs it every hour (`main.rs` under
//! `SHOEBOX_TASK=purge`, `infra/template.yaml`); locally `shoebox-local` runs it
//! every hour, and `shoebox-local purge-trash --as-of` once, at any time
//! (which is how the tests move its clock).
//!
//! It works in batches from the index's queue of trashed photos, the longest
//! trashed first, until none is due or its time is up: a run cut short (a
//! Lambda's 15 minutes) leaves the rest for the next, and each photo is checked
//! again just before it goes, so one restored meanwhile stays.
//!
//! [`delete_for_good`] is also what "delete forever" does.

use std::time::{Duration, Instant};

use time::OffsetDateTime;

use crate::store::{
    IndexError, ObjectKey, ObjectStore, PhotoId, PhotoIndex, PhotoRecord, StateChange, StoreError,
    TRASH_DAYS,
};

/// Photos asked of the index at a time.
const BATCH: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    /// Photos deleted for good (a Live Photo counts once).
    pub deleted: usize,
    /// Queued, but no longer due when looked at (restored meanwhile).
    pub skipped: usize,
    /// Time ran out with photos still due: the next run goes on.
    pub more: bool,
}

/// Deletes every photo of every owner trashed [`TRASH_DAYS`] days before
/// `now`, for at most about `budget`.
pub async fn run(
    objects: &dyn ObjectStore,
    index: &dyn PhotoIndex,
    now: OffsetDateTime,
    budget: Duration,
) -> Result<Purged, PurgeError> {
    let started = Instant::now();
    let due_before = now - time::Duration::days(TRASH_DAYS);
    let mut purged = Purged::default();
    loop {
        if started.elapsed() >= budget {
            purged.more = !index.trashed_before(due_before, 1).await?.is_empty();
            return Ok(purged);
        }
        let batch = index.trashed_before(due_before, BATCH).await?;
        let mut progress = false;
        for (owner, id) in &batch {
            match index.get(owner, id).await? {
                Some(record) if record.state.due_for_purge(now) => {
                    delete_for_good(objects, index, &record).await?;
                    purged.deleted += 1;
                    progress = true;
                }
                Some(_) => {
                    // Restored after it was queued: a repeat of the restore
                    // takes it off the queue if its first try did not.
                    index.change(owner, id, StateChange::Restore).await?;
                    purged.skipped += 1;
                }
                None => purged.skipped += 1,
            }
        }
        // The whole queue done, or nothing more this run can move.
        if batch.len() < BATCH || !progress {
            return Ok(purged);
        }
    }
}

/// Deletes the photo now: a Live Photo's video with its still, each one's
/// files (and the record kept beside them), then their records in the index.
/// The files first: if that fails the photo is still listed and the delete
/// can be tried again; the other way round, a failure would leave files
/// nobody can see or remove.
pub async fn delete_for_good(
    objects: &dyn ObjectStore,
    index: &dyn PhotoIndex,
    record: &PhotoRecord,
) -> Result<(), PurgeError> {
    if let Some(live) = &record.live
        && let Some(video) = PhotoId::parse(&live.id)
        && let Some(video) = index.get(&record.owner, &video).await?
    {
        forget(objects, index, &video).await?;
    }
    forget(objects, index, record).await
}

async fn forget(
    objects: &dyn ObjectStore,
    index: &dyn PhotoIndex,
    record: &PhotoRecord,
) -> Result<(), PurgeError> {
    let files = ObjectKey::photo_files(
        &record.owner,
        &record.id,
        record
            .thumb
            .as_ref()
            .map(|thumb| thumb.content_type.as_str()),
        record.web.as_ref().map(|web| web.content_type.as_str()),
    );
    // A video's (or a motion photo's clip's) also the copy a share link may
    // have had made of it.
    let copy = (record.details.video.is_some() || record.details.motion.is_some())
        .then(|| ObjectKey::shareable(&record.owner, &record.id));
    let kept = [
        ObjectKey::photo_record(&record.owner, &record.id),
        ObjectKey::restore_note(&record.owner, &record.id),
        ObjectKey::previews_wanted(&record.owner, &record.id),
    ];
    let keys = files
        .iter()
        .map(|(_, key)| key)
        .chain(copy.as_ref())
        .chain(&kept);
    futures::future::try_join_all(keys.map(|key| objects.delete(key))).await?;
    index.remove(&record.owner, &record.id).await?;
    Ok(())
}
