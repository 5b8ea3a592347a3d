//! A video as a share link's visitor may have it when the link keeps the
//! location private: the original's bytes with every box that could say where
//! it was taken blanked: renamed `free` (players skip it) and its contents
//! zeroed (a visitor who reads the bytes finds nothing either). The box keeps
//! its size, so nothing moves and every offset in the file still holds; the
//! copy is made in the store, copying the untouched ranges and sending only
//! the windows around the blanked boxes ([`copy`]). This module plans it, from
//! the boxes alone.
//!
//! What is blanked, and what stops a copy (it fails closed: the visitor then
//! sees the poster, as before):
//! - at the top: anything but `ftyp`, `moov`, `mdat`, `free`, `skip`, `wide`
//!   (an XMP `uuid`, a `meta`); a fragmented file (`moof`) stops it;
//! - in `moov`: everything but `mvhd`, `trak`, `iods` (and padding), so the user data
//!   (`udta`: Android's `©xyz`, 3GPP's `loci`) and QuickTime's `meta` (Apple's
//!   ISO 6709 key) go; `mvex` (fragments) stops it;
//! - in each track: its own `udta` and `meta`; a track that is not picture,
//!   sound or timecode (a GoPro's GPS) stops it, since its samples are in
//!   `mdat`, where no blanking reaches; an iPhone's timed metadata stays only
//!   if every key it declares says nothing of the place ([`timed_metadata`]).
//!
//! What a codec keeps inside its frames is not looked at.

pub mod copy;
pub mod timed_metadata;

use std::ops::Range;

/// What a blanked box is called: players skip it.
pub const FREE: &[u8; 4] = b"free";
/// S3's smallest part but the last.
pub const MIN_PART: u64 = 5 * 1024 * 1024;
/// The most copied in one part (S3 allows 5 GiB): small enough that each
/// copy answers well within the store client's 20 s, four at a time.
const MAX_COPY_PART: u64 = 256 * 1024 * 1024;
/// Larger than any phone's `moov` (an hour of 4K is a few MB of tables).
pub const MAX_MOVIE_BYTES: u64 = 64 * 1024 * 1024;

/// A box at the top of the file: where it starts, its size (header included)
/// and how long its header is (8, or 16 with a 64-bit size).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopBox {
    pub offset: u64,
    pub size: u64,
    pub header: u64,
    pub kind: [u8; 4],
}

impl TopBox {
    /// The box whose header is `head` (at least 16 bytes, fewer at the end
    /// of the file), at `offset` in a file of `file_size` bytes.
    pub fn read(head: &[u8], offset: u64, file_size: u64) -> Result<TopBox, ScrubError> {
        let word = |range: Range<usize>| head.get(range).ok_or(ScrubError::Damaged);
        let size32 = u32::from_be_bytes(word(0..4)?.try_into().map_err(|_| ScrubError::Damaged)?);
        let kind: [u8; 4] = word(4..8)?.try_into().map_err(|_| ScrubError::Damaged)?;
        let (size, header) = match size32 {
            0 => (file_size - offset, 8),
            1 => (
                u64::from_be_bytes(word(8..16)?.try_into().map_err(|_| ScrubError::Damaged)?),
                16,
            ),
            size => (u64::from(size), 8),
        };
        if size < header || offset.checked_add(size).is_none_or(|end| end > file_size) {
            return Err(ScrubError::Damaged);
        }
        Ok(TopBox {
            offset,
            size,
            header,
            kind,
        })
    }

    pub fn end(&self) -> u64 {
        self.offset + self.size
    }
}

/// A box to blank: where it starts, where its contents start (after its
/// header), where it ends; file offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blank {
    pub at: u64,
    pub contents: u64,
    pub end: u64,
}

impl Blank {
    fn of(top: &TopBox) -> Blank {
        Blank {
            at: top.offset,
            contents: top.offset + top.header,
            end: top.end(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScrubError {
    #[error("it is not an MP4 or QuickTime file")]
    NotIsoMedia,
    #[error("it has no movie box")]
    NoMovie,
    #[error("its movie box is too large")]
    MovieTooLarge,
    #[error("it is fragmented")]
    Fragmented,
    #[error("it carries a \"{0}\" track besides picture and sound")]
    OtherTrack(String),
    #[error("its timed metadata may hold more than the phone's settings (\"{0}\")")]
    TimedMetadata(String),
    #[error("its boxes do not fit together")]
    Damaged,
}

/// The top-level boxes to blank, and the movie box, which [`in_movie`] reads
/// next.
pub fn top_level(boxes: &[TopBox]) -> Result<(TopBox, Vec<Blank>), ScrubError> {
    if boxes.first().is_none_or(|first| &first.kind != b"ftyp") {
        return Err(ScrubError::NotIsoMedia);
    }
    let mut blanks = Vec::new();
    let mut movie = None;
    for top in boxes {
        match &top.kind {
            b"moov" if movie.is_none() => movie = Some(*top),
            b"ftyp" | b"mdat" | b"free" | b"skip" | b"wide" => {}
            b"moof" | b"mfra" | b"sidx" | b"styp" => return Err(ScrubError::Fragmented),
            _ => blanks.push(Blank::of(top)),
        }
    }
    let movie = movie.ok_or(ScrubError::NoMovie)?;
    if movie.size - movie.header > MAX_MOVIE_BYTES {
        return Err(ScrubError::MovieTooLarge);
    }
    Ok((movie, blanks))
}

/// The boxes to blank inside the movie box `movie`, whose body is `body`.
pub fn in_movie(movie: &TopBox, body: &[u8]) -> Result<Vec<Blank>, ScrubError> {
    let start = movie.offset + movie.header;
    let mut blanks = Vec::new();
    for (at, kind, inner) in children(body)? {
        match &kind {
            b"mvhd" | b"iods" | b"free" | b"skip" => {}
            b"mvex" => return Err(ScrubError::Fragmented),
            b"trak" => {
                let handler = handler(inner).ok_or(ScrubError::Damaged)?;
                if &handler == b"meta" {
                    timed_metadata::check(inner)?;
                } else if !matches!(&handler, b"vide" | b"soun" | b"tmcd") {
                    return Err(ScrubError::OtherTrack(
                        String::from_utf8_lossy(&handler).into_owned(),
                    ));
                }
                let inner_start = start + at as u64 + 8;
                for (child_at, child_kind, child) in children(inner)? {
                    if matches!(&child_kind, b"udta" | b"meta") {
                        blanks.push(blank(inner_start + child_at as u64, child));
                    }
                }
            }
            _ => blanks.push(blank(start + at as u64, inner)),
        }
    }
    Ok(blanks)
}

/// The box at `at` (8-byte header) whose contents are `contents`.
fn blank(at: u64, contents: &[u8]) -> Blank {
    Blank {
        at,
        contents: at + 8,
        end: at + 8 + contents.len() as u64,
    }
}

/// A box inside another: its offset in the outer body, its type, its body.
type Child<'a> = (usize, [u8; 4], &'a [u8]);

/// The boxes directly in `body` as (offset in `body`, type, body); an error
/// if one does not fit. Boxes with 64-bit sizes do not occur inside a movie
/// box and are taken as damage.
fn children(body: &[u8]) -> Result<Vec<Child<'_>>, ScrubError> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < body.len() {
        let header = body.get(at..at + 8).ok_or(ScrubError::Damaged)?;
        let size =
            u32::from_be_bytes(header[..4].try_into().map_err(|_| ScrubError::Damaged)?) as usize;
        let kind: [u8; 4] = header[4..8].try_into().map_err(|_| ScrubError::Damaged)?;
        let end = at
            .checked_add(size)
            .filter(|end| size >= 8 && *end <= body.len());
        let end = end.ok_or(ScrubError::Damaged)?;
        found.push((at, kind, &body[at + 8..end]));
        at = end;
    }
    Ok(found)
}

/// A track's handler type (`mdia/hdlr`).
fn handler(trak: &[u8]) -> Option<[u8; 4]> {
    let (_, _, mdia) = children(trak)
        .ok()?
        .into_iter()
        .find(|(_, kind, _)| kind == b"mdia")?;
    let (_, _, hdlr) = children(mdia)
        .ok()?
        .into_iter()
        .find(|(_, kind, _)| kind == b"hdlr")?;
    // Version and flags, pre_defined, then the type.
    hdlr.get(8..12)?.try_into().ok()
}

/// One part of the copy: a range copied as it is, or one read, blanked in
/// and sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Copy(Range<u64>),
    Blanked(Range<u64>),
}

/// The parts of a copy of `size` bytes with `blanks`: every part but the
/// last at least [`MIN_PART`], as S3 requires; the windows sent as small as
/// that allows.
pub fn segments(size: u64, blanks: &[Blank]) -> Vec<Segment> {
    let mut windows: Vec<Range<u64>> = blanks.iter().map(|blank| blank.at..blank.end).collect();
    windows.sort_by_key(|window| window.start);
    loop {
        let mut grown: Vec<Range<u64>> = Vec::new();
        for window in &windows {
            let mut window = window.clone();
            if window.start < MIN_PART {
                window.start = 0;
            }
            if window.end - window.start < MIN_PART {
                window.end = (window.start + MIN_PART).min(size);
            }
            if size - window.end < MIN_PART {
                window.end = size;
            }
            match grown.last_mut() {
                // Overlapping, or too close for a copied part between them.
                Some(last) if window.start < last.end + MIN_PART => {
                    last.end = last.end.max(window.end);
                }
                _ => grown.push(window),
            }
        }
        if grown == windows {
            break;
        }
        windows = grown;
    }
    let mut parts = Vec::new();
    let mut at = 0;
    for window in windows {
        copy_parts(&mut parts, at..window.start);
        parts.push(Segment::Blanked(window.clone()));
        at = window.end;
    }
    copy_parts(&mut parts, at..size);
    parts
}

/// `range` as copied parts of at most [`MAX_COPY_PART`], evenly split.
fn copy_parts(parts: &mut Vec<Segment>, range: Range<u64>) {
    let length = range.end.saturating_sub(range.start);
    if length == 0 {
        return;
    }
    let count = length.div_ceil(MAX_COPY_PART);
    let each = length.div_ceil(count);
    let mut at = range.start;
    while at < range.end {
        let end = (at + each).min(range.end);
        parts.push(Segment::Copy(at..end));
        at = end;
    }
}

/// Blanks each of `blanks` that lies in `bytes`, the file's bytes from
/// `start` (a window holds its blanks whole).
pub fn blank_out(bytes: &mut [u8], start: u64, blanks: &[Blank]) {
    let local = |at: u64| at.checked_sub(start).and_then(|o| usize::try_from(o).ok());
    for blank in blanks {
        let (Some(at), Some(contents), Some(end)) =
            (local(blank.at), local(blank.contents), local(blank.end))
        else {
            continue;
        };
        if let Some(kind) = bytes.get_mut(at + 4..at + 8) {
            kind.copy_from_slice(FREE);
        }
        if let Some(inside) = bytes.get_mut(contents..end) {
            inside.fill(0);
        }
    }
}

#[cfg(test)]
mod tests;
