//! Makes a [`super`] copy in the store: the original's top-level boxes read
//! by their headers, its movie box read whole, then a multipart upload whose
//! parts are copied by the store from the original (`UploadPartCopy`) except
//! the few windows around the boxes to blank, which are read, blanked and sent.
//! The video may be a byte range of its object (a motion photo's clip, after
//! its picture): the copy is then that range alone, a file of its own.

use std::ops::Range;

use futures::{StreamExt, TryStreamExt};

use super::{Blank, ScrubError, Segment, TopBox, blank_out, in_movie, segments, top_level};
use crate::store::{Lifecycle, ObjectKey, ObjectStore, StoreError, StoredPart};

/// More top-level boxes than any camera writes.
const MAX_TOP_BOXES: usize = 64;
/// What a copy may send itself (its windows): the store copies the rest.
const MAX_SENT_BYTES: u64 = 96 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// The video cannot be shared without its location: why.
    #[error("{0}")]
    Unshareable(#[from] ScrubError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a visitor may play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placeless {
    /// The original itself: it has nothing to rename.
    Original,
    /// The copy at the key asked for, made now or before.
    Copy,
}

/// The video a copy is made of: bytes `range` of the object at `key`.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub key: &'a ObjectKey,
    pub range: Range<u64>,
    /// Whether `range` is the whole object, which may then be played as it
    /// is if it has nothing to hide. A clip is always copied: the rest of
    /// its object (a photo's EXIF) may say where.
    pub is_whole: bool,
}

impl Source<'_> {
    /// The video's bytes `range` (counted from its own start) in its object.
    fn within(&self, range: Range<u64>) -> Range<u64> {
        self.range.start + range.start..self.range.start + range.end
    }
}

/// Makes `copy` from `source`, unless the original itself has nothing to
/// hide.
pub async fn make(
    store: &dyn ObjectStore,
    source: &Source<'_>,
    copy: &ObjectKey,
) -> Result<Placeless, CopyError> {
    let size = source.range.end.saturating_sub(source.range.start);
    let mut boxes = Vec::new();
    let mut at = 0;
    while at < size {
        if boxes.len() == MAX_TOP_BOXES {
            return Err(ScrubError::Damaged.into());
        }
        let head = store
            .read(source.key, source.within(at..(at + 16).min(size)))
            .await?;
        let top = TopBox::read(&head, at, size)?;
        at = top.end();
        boxes.push(top);
    }
    let (movie, mut blanks) = top_level(&boxes)?;
    let body = store
        .read(
            source.key,
            source.within(movie.offset + movie.header..movie.end()),
        )
        .await?;
    blanks.extend(in_movie(&movie, &body)?);
    if blanks.is_empty() && source.is_whole {
        return Ok(Placeless::Original);
    }
    let parts = segments(size, &blanks);
    let sent: u64 = parts
        .iter()
        .map(|part| match part {
            Segment::Blanked(window) => window.end - window.start,
            Segment::Copy(_) => 0,
        })
        .sum();
    if sent > MAX_SENT_BYTES {
        return Err(ScrubError::MovieTooLarge.into());
    }
    let upload_id = store.create_multipart(copy, "video/mp4").await?;
    let result = send_parts(store, source, copy, &upload_id, &parts, &blanks).await;
    let stored = match result {
        Ok(stored) => stored,
        Err(error) => {
            let _ = store.abort_multipart(copy, &upload_id).await;
            return Err(error.into());
        }
    };
    // `false`: another visitor's request made it first, which is as good.
    store.complete_multipart(copy, &upload_id, &stored).await?;
    store.keep(copy, Lifecycle::Hot).await?;
    Ok(Placeless::Copy)
}

/// How many parts are copied or sent at once.
const IN_FLIGHT: usize = 4;

async fn send_parts(
    store: &dyn ObjectStore,
    source: &Source<'_>,
    copy: &ObjectKey,
    upload_id: &str,
    parts: &[Segment],
    blanks: &[Blank],
) -> Result<Vec<StoredPart>, StoreError> {
    let work: Vec<_> = parts
        .iter()
        .enumerate()
        .map(|(index, part)| async move {
            let number = index as u32 + 1;
            match part {
                Segment::Copy(range) => {
                    store
                        .copy_part(
                            copy,
                            upload_id,
                            number,
                            source.key,
                            source.within(range.clone()),
                        )
                        .await
                }
                Segment::Blanked(window) => {
                    let mut bytes = store
                        .read(source.key, source.within(window.clone()))
                        .await?;
                    blank_out(&mut bytes, window.start, blanks);
                    store.upload_part(copy, upload_id, number, bytes).await
                }
            }
        })
        .collect();
    futures::stream::iter(work)
        .buffered(IN_FLIGHT)
        .try_collect()
        .await
}
