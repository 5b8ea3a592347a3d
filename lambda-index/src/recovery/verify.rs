//! Checks that the index and the bucket agree, owner by owner:
//! - every indexed photo (a Live Photo's hidden video too) has its original,
//!   of the size indexed and (unless asked not to) the SHA-256 that is its
//!   id, its previews, and its record kept beside it;
//! - every original in the bucket is indexed;
//! - every album is both indexed and kept in the bucket.
//!
//! With `repair`, what can be put right is: a record missing from the bucket
//! (a photo committed before records were kept) is written from the index;
//! an original not indexed whose record is kept is put back in the index; an
//! album kept only in the index gets its state written to the bucket, one
//! kept only in the bucket is put back in the index; a lost preview is
//! asked of the next browser its owner opens Shoebox in, which makes it again
//! from the original (`routes/previews.rs`). A missing or damaged original
//! cannot be made again here, and is reported for the owner to upload again.

use std::{collections::HashSet, fmt};

use sha2::{Digest, Sha256};
use time::Duration;

use super::{
    Library, RecoveryError,
    inventory::{Holdings, Inventory},
    rebuild::{self, AlbumOutcome, PhotoOutcome},
};
use crate::store::{
    AlbumRecord, ObjectKey, PhotoId, PhotoRecord, Position, StoreError, Variant, View,
    album_log::{self, AlbumEvent},
    record_object,
};

/// How much of an original one read brings while it is hashed.
const HASH_CHUNK: u64 = 8 * 1024 * 1024;
/// Photos per index page while walking the timeline.
const PAGE: usize = 500;

/// What to check and whether to repair.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub repair: bool,
    /// Read every original and compare its SHA-256 with its id; without it,
    /// sizes only (a whole library's bytes are slow to read).
    pub hash: bool,
}

/// One thing found wrong, or worth knowing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    OriginalMissing,
    OriginalSize {
        indexed: u64,
        stored: u64,
    },
    OriginalDamaged {
        sha256: String,
    },
    /// In Glacier: its bytes are not read until restored. Not a problem.
    OriginalArchived,
    PreviewMissing(Variant),
    RecordMissing,
    /// An original the index does not list, whose record is kept.
    NotIndexed,
    /// An original with no record and not indexed: an upload never
    /// committed, which expires by itself within a day. Not a problem.
    NeverCommitted,
    AlbumNotInBucket,
    AlbumNotIndexed,
}

impl Problem {
    /// Whether the library is incomplete until it is put right.
    pub fn is_damage(&self) -> bool {
        !matches!(self, Problem::OriginalArchived | Problem::NeverCommitted)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::OriginalMissing => f.write_str("its original is not in the bucket"),
            Problem::OriginalSize { indexed, stored } => write!(
                f,
                "its original is {stored} bytes, but {indexed} were uploaded"
            ),
            Problem::OriginalDamaged { sha256 } => write!(
                f,
                "its original's bytes have changed (their SHA-256 is {sha256})"
            ),
            Problem::OriginalArchived => {
                f.write_str("its original is in Glacier: its size was checked, not its bytes")
            }
            Problem::PreviewMissing(Variant::Thumb) => f.write_str("its thumbnail is missing"),
            Problem::PreviewMissing(_) => f.write_str("its web view is missing"),
            Problem::RecordMissing => f.write_str("its record is not kept in the bucket"),
            Problem::NotIndexed => f.write_str("it is in the bucket but not in the index"),
            Problem::NeverCommitted => {
                f.write_str("an upload that was never finished (it expires by itself)")
            }
            Problem::AlbumNotInBucket => f.write_str("the album is not kept in the bucket"),
            Problem::AlbumNotIndexed => {
                f.write_str("the album is in the bucket but not in the index")
            }
        }
    }
}

/// A photo or album and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub owner: String,
    /// `photo {id}` or `album {id}`.
    pub subject: String,
    pub problem: Problem,
    pub repaired: bool,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}: {}", self.subject, self.owner, self.problem)?;
        match (&self.problem, self.repaired) {
            (Problem::PreviewMissing(_), true) => {
                f.write_str(" (to be made again by the next browser to open Shoebox)")
            }
            (_, true) => f.write_str(" (repaired)"),
            (_, false) => Ok(()),
        }
    }
}

/// What a check found.
#[derive(Debug, Default)]
pub struct Verified {
    pub owners: u64,
    pub photos: u64,
    pub albums: u64,
    pub bytes_hashed: u64,
    pub findings: Vec<Finding>,
    /// Kept objects a repair could not use.
    pub unusable: Vec<rebuild::Problem>,
}

impl Verified {
    /// Findings that leave the library incomplete, not repaired.
    pub fn unresolved(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|finding| finding.problem.is_damage() && !finding.repaired)
    }
}

impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unresolved = self.unresolved().count();
        let repaired = self
            .findings
            .iter()
            .filter(|finding| finding.repaired)
            .count();
        writeln!(
            f,
            "Checked {} photos and {} albums of {} people; read {} bytes of originals.",
            self.photos, self.albums, self.owners, self.bytes_hashed
        )?;
        let notes: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|finding| !finding.problem.is_damage())
            .collect();
        let damage: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|finding| finding.problem.is_damage())
            .collect();
        super::list_some(f, "found", &damage)?;
        super::list_some(f, "worth knowing", &notes)?;
        super::list_some(f, "could not be used to repair", &self.unusable)?;
        if unresolved == 0 {
            writeln!(f, "The index and the bucket agree ({repaired} repaired).")
        } else {
            writeln!(f, "{unresolved} problems are left ({repaired} repaired).")
        }
    }
}

/// Checks every owner in `inventory` against `library`'s index.
pub async fn verify(
    library: Library<'_>,
    inventory: &Inventory,
    options: Options,
) -> Result<Verified, RecoveryError> {
    let mut verified = Verified::default();
    for holdings in inventory.owners.values() {
        verified.owners += 1;
        let mut owner = Owner {
            library,
            holdings,
            options,
            verified: &mut verified,
        };
        let indexed = owner.photos().await?;
        owner.unindexed(&indexed).await?;
        owner.albums().await?;
    }
    Ok(verified)
}

/// One owner's check under way.
struct Owner<'a, 'b> {
    library: Library<'a>,
    holdings: &'a Holdings,
    options: Options,
    verified: &'b mut Verified,
}

impl Owner<'_, '_> {
    fn found(&mut self, subject: String, problem: Problem, repaired: bool) {
        self.verified.findings.push(Finding {
            owner: self.holdings.owner.as_str().to_owned(),
            subject,
            problem,
            repaired,
        });
    }

    /// Checks every indexed photo; their ids. Every photo is in one of the
    /// timeline, the archive and the trash (a favourite is in one of those
    /// too), or is a Live Photo's video, found by its still.
    async fn photos(&mut self) -> Result<HashSet<PhotoId>, RecoveryError> {
        let mut indexed = HashSet::new();
        for view in [View::Timeline, View::Archive, View::Trash] {
            self.photos_of(view, &mut indexed).await?;
        }
        Ok(indexed)
    }

    async fn photos_of(
        &mut self,
        view: View,
        indexed: &mut HashSet<PhotoId>,
    ) -> Result<(), RecoveryError> {
        let owner = self.holdings.owner.clone();
        let mut after: Option<Position> = None;
        loop {
            let page = self
                .library
                .index
                .page(&owner, view, after.as_ref(), PAGE)
                .await?;
            for record in &page {
                self.photo(record).await?;
                indexed.insert(record.id.clone());
                // A Live Photo's video is indexed but off the timeline.
                let video = record
                    .live
                    .as_ref()
                    .and_then(|live| PhotoId::parse(&live.id));
                if let Some(video) = video
                    && let Some(video) = self.library.index.get(&owner, &video).await?
                {
                    self.photo(&video).await?;
                    indexed.insert(video.id);
                }
            }
            match page.last() {
                Some(last) if page.len() == PAGE => after = Some(last.position()),
                _ => return Ok(()),
            }
        }
    }

    async fn photo(&mut self, record: &PhotoRecord) -> Result<(), RecoveryError> {
        self.verified.photos += 1;
        let subject = format!("photo {}", record.id);
        let owner = &self.holdings.owner;
        match self.holdings.originals.get(&record.id) {
            None => self.found(subject.clone(), Problem::OriginalMissing, false),
            Some(held) if held.bytes != record.details.bytes => self.found(
                subject.clone(),
                Problem::OriginalSize {
                    indexed: record.details.bytes,
                    stored: held.bytes,
                },
                false,
            ),
            Some(held) if held.archived => {
                self.found(subject.clone(), Problem::OriginalArchived, false);
            }
            Some(held) if self.options.hash => {
                let key = ObjectKey::original(owner, &record.id);
                match self.sha256(&key, held.bytes).await {
                    Ok(sha256) if sha256 != record.id.as_str() => {
                        self.found(subject.clone(), Problem::OriginalDamaged { sha256 }, false);
                    }
                    Ok(_) => {}
                    // Moved to Deep Archive since the listing.
                    Err(RecoveryError::Store(StoreError::Archived(_))) => {
                        self.found(subject.clone(), Problem::OriginalArchived, false);
                    }
                    Err(error) => return Err(error),
                }
            }
            Some(_) => {}
        }
        let previews = [(Variant::Thumb, &record.thumb), (Variant::Web, &record.web)];
        let mut lost = Vec::new();
        for (variant, preview) in previews {
            let key = preview.as_ref().and_then(|preview| {
                ObjectKey::preview(owner, &record.id, variant, &preview.content_type)
            });
            let there = key.is_some_and(|key| self.holdings.previews.contains(key.as_str()));
            if !there {
                lost.push(variant);
            }
        }
        // Made again from the original by the next browser to open Shoebox
        // (`routes/previews.rs`): a note asks it to.
        let queued = self.options.repair && !lost.is_empty();
        if queued {
            self.library
                .objects
                .put(
                    &ObjectKey::previews_wanted(owner, &record.id),
                    b"{}".to_vec(),
                    "application/json",
                )
                .await?;
        }
        for variant in lost {
            self.found(subject.clone(), Problem::PreviewMissing(variant), queued);
        }
        if !self.holdings.records.contains(&record.id) {
            let repaired = if self.options.repair {
                let body = record_object::encode(record)?;
                self.library
                    .objects
                    .put(
                        &ObjectKey::photo_record(owner, &record.id),
                        body,
                        record_object::CONTENT_TYPE,
                    )
                    .await?;
                true
            } else {
                false
            };
            self.found(subject, Problem::RecordMissing, repaired);
        }
        Ok(())
    }

    /// The SHA-256 of the object's bytes, read a chunk at a time.
    async fn sha256(&mut self, key: &ObjectKey, bytes: u64) -> Result<String, RecoveryError> {
        let mut hasher = Sha256::new();
        let mut at = 0;
        while at < bytes {
            let chunk = self
                .library
                .objects
                .read(key, at..(at + HASH_CHUNK).min(bytes))
                .await?;
            if chunk.is_empty() {
                break;
            }
            at += chunk.len() as u64;
            hasher.update(&chunk);
        }
        self.verified.bytes_hashed += at;
        Ok(hex::encode(hasher.finalize()))
    }

    /// Originals the index does not list.
    async fn unindexed(&mut self, indexed: &HashSet<PhotoId>) -> Result<(), RecoveryError> {
        let holdings = self.holdings;
        for id in holdings
            .originals
            .keys()
            .filter(|id| !indexed.contains(*id))
        {
            let subject = format!("photo {id}");
            if !holdings.records.contains(id) {
                self.found(subject, Problem::NeverCommitted, false);
                continue;
            }
            let repaired = self.options.repair
                && rebuild::photo(self.library, holdings, id, &mut self.verified.unusable).await?
                    != PhotoOutcome::Unusable;
            self.found(subject, Problem::NotIndexed, repaired);
        }
        Ok(())
    }

    /// Albums in the index against albums in the bucket.
    async fn albums(&mut self) -> Result<(), RecoveryError> {
        let owner = self.holdings.owner.clone();
        let indexed = self.library.albums.albums(&owner).await?;
        self.verified.albums += indexed.len() as u64;
        let mut known = HashSet::new();
        for album in &indexed {
            known.insert(album.id.clone());
            if self.holdings.albums.contains_key(&album.id) {
                continue;
            }
            if self.options.repair {
                self.keep(album).await?;
            }
            let repair = self.options.repair;
            self.found(
                format!("album {}", album.id.as_str()),
                Problem::AlbumNotInBucket,
                repair,
            );
        }
        let holdings = self.holdings;
        for (album_id, changes) in &holdings.albums {
            if known.contains(album_id) {
                continue;
            }
            let subject = format!("album {}", album_id.as_str());
            let unusable = &mut self.verified.unusable;
            if self.options.repair {
                match rebuild::album(self.library, holdings, album_id, changes, unusable).await? {
                    AlbumOutcome::Gone => {}
                    outcome => self.found(
                        subject,
                        Problem::AlbumNotIndexed,
                        matches!(outcome, AlbumOutcome::PutBack { .. }),
                    ),
                }
            } else if rebuild::replayed(self.library, holdings, album_id, changes, unusable)
                .await?
                .is_some()
            {
                self.found(subject, Problem::AlbumNotIndexed, false);
            }
        }
        Ok(())
    }

    /// Writes an album kept only in the index to the bucket, as the changes
    /// that make it as it is now (an album made before albums were kept).
    async fn keep(&mut self, album: &AlbumRecord) -> Result<(), RecoveryError> {
        let owner = &self.holdings.owner;
        let mut photos = Vec::new();
        let mut after: Option<Position> = None;
        loop {
            let page = self
                .library
                .albums
                .album_page(owner, &album.id, after.as_ref(), PAGE)
                .await?;
            photos.extend(page.iter().map(|record| record.id.clone()));
            match page.last() {
                Some(last) if page.len() == PAGE => after = Some(last.position()),
                _ => break,
            }
        }
        // Each after the one before, whatever the clock said: the changes
        // replay in their keys' order.
        let then = album
            .updated_at
            .max(album.created_at + Duration::microseconds(1));
        let mut changes = vec![
            (
                album.created_at,
                AlbumEvent::Created {
                    title: album.title.clone(),
                },
            ),
            (then, AlbumEvent::added(&photos)),
        ];
        if let Some(cover) = &album.chosen_cover {
            changes.push((
                then + Duration::microseconds(1),
                AlbumEvent::Cover {
                    photo: Some(cover.to_string()),
                },
            ));
        }
        for share in self.library.albums.shares(owner).await? {
            if share.album == album.id {
                let at = share.created_at.max(then + Duration::microseconds(2));
                changes.push((at, AlbumEvent::shared(&share)?));
            }
        }
        for (at, change) in changes {
            let (key, body) = album_log::entry(owner, &album.id, at, change)?;
            self.library
                .objects
                .put(&key, body, album_log::CONTENT_TYPE)
                .await?;
        }
        Ok(())
    }
}
