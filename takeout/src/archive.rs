//! A part's entries, listed and extracted as its archive streams: never whole
//! in memory, whatever its size.
//!
//! - A zip is read where it is needed (its central directory, then each entry
//!   by its offset), so any entry can be extracted in any order.
//! - A `.tgz` can only be read from the start: listing reads it through once,
//!   and extracting goes forward through it ([`TarGzPart`]), so entries are
//!   asked for in archive order (the plan's order); one behind the last starts
//!   the archive over.
//!
//! Extracting checks what the archive promised: a zip entry's CRC-32, and
//! that no entry inflates past its declared size (a zip bomb stops there).

use std::io::{Read, Seek};

use flate2::read::GzDecoder;
use thiserror::Error;

use crate::listing::{Entry, MAX_TEXT_BYTES, Text, Where, wants_text};

/// How much is handed on at once while extracting.
const CHUNK_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Zip,
    TarGz,
}

/// The format from the first bytes of a part, or None: no archive Takeout writes.
pub fn format(head: &[u8]) -> Option<Format> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Some(Format::Zip)
    } else if head.starts_with(&[0x1f, 0x8b]) {
        Some(Format::TarGz)
    } else {
        None
    }
}

#[derive(Debug, Error)]
pub enum ArchiveError {
    #[error("this is not a .zip or .tgz file")]
    NotAnArchive,
    #[error("the zip cannot be read: {0}")]
    Zip(String),
    #[error("the archive cannot be read: {0}")]
    Tar(String),
    #[error("the archive has no entry {0}")]
    NoSuchEntry(u32),
    #[error("it holds more than the {declared} bytes the archive declares")]
    LargerThanDeclared { declared: u64 },
    #[error("it was cut short: {got} of {declared} bytes")]
    CutShort { got: u64, declared: u64 },
    #[error("{0}")]
    Refused(String),
}

impl From<zip::result::ZipError> for ArchiveError {
    fn from(error: zip::result::ZipError) -> ArchiveError {
        ArchiveError::Zip(error.to_string())
    }
}

/// Reads `reader` to its end into `sink`, a chunk at a time, holding it to
/// `declared` bytes exactly.
fn pour(
    mut reader: impl Read,
    declared: u64,
    sink: &mut dyn FnMut(&[u8]) -> Result<(), String>,
) -> Result<u64, ArchiveError> {
    let mut buffer = vec![0; CHUNK_BYTES];
    let mut total = 0u64;
    loop {
        let read = reader
            .read(&mut buffer)
            .map_err(|error| match error.kind() {
                std::io::ErrorKind::InvalidData => ArchiveError::Zip(error.to_string()),
                _ => ArchiveError::Tar(error.to_string()),
            })?;
        if read == 0 {
            break;
        }
        total += read as u64;
        if total > declared {
            return Err(ArchiveError::LargerThanDeclared { declared });
        }
        sink(&buffer[..read]).map_err(ArchiveError::Refused)?;
    }
    if total < declared {
        return Err(ArchiveError::CutShort {
            got: total,
            declared,
        });
    }
    Ok(total)
}

/// A small text entry, or why not.
fn text(reader: impl Read, declared: u64) -> Text {
    if declared > MAX_TEXT_BYTES {
        return Text::Unreadable(format!("larger than {} KiB", MAX_TEXT_BYTES / 1024));
    }
    let mut bytes = Vec::new();
    match pour(reader, declared, &mut |chunk| {
        bytes.extend_from_slice(chunk);
        Ok(())
    }) {
        Ok(_) => match String::from_utf8(bytes) {
            Ok(text) => Text::Read(text),
            Err(_) => Text::Unreadable("not UTF-8 text".into()),
        },
        Err(error) => Text::Unreadable(error.to_string()),
    }
}

/// One zip part.
pub struct ZipPart<R: Read + Seek> {
    archive: zip::ZipArchive<R>,
}

impl<R: Read + Seek> ZipPart<R> {
    /// Reads the central directory: the only part of the file read whole.
    pub fn open(reader: R) -> Result<ZipPart<R>, ArchiveError> {
        Ok(ZipPart {
            archive: zip::ZipArchive::new(reader)?,
        })
    }

    /// Every entry, with the JSON files' text; `progress` hears how many
    /// entries are done now and then.
    pub fn list(
        &mut self,
        part: u32,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Entry>, ArchiveError> {
        let mut entries = Vec::with_capacity(self.archive.len());
        for index in 0..self.archive.len() {
            let (path, bytes, is_dir) = {
                let file = self.archive.by_index_raw(index)?;
                (
                    String::from_utf8_lossy(file.name_raw()).into_owned(),
                    file.size(),
                    file.is_dir(),
                )
            };
            if is_dir {
                continue;
            }
            let text = wants_text(&path, bytes).then(|| match self.archive.by_index(index) {
                Ok(file) => text(file, bytes),
                Err(error) => Text::Unreadable(error.to_string()),
            });
            entries.push(Entry {
                at: Where {
                    part,
                    entry: index as u32,
                },
                path,
                bytes,
                text,
            });
            if index % 1000 == 999 {
                progress(index + 1);
            }
        }
        Ok(entries)
    }

    /// Entry `entry` into `sink`, inflated and checked (CRC-32, size).
    pub fn extract(
        &mut self,
        entry: u32,
        sink: &mut dyn FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<u64, ArchiveError> {
        let file = self
            .archive
            .by_index(entry as usize)
            .map_err(|error| match error {
                zip::result::ZipError::FileNotFound => ArchiveError::NoSuchEntry(entry),
                error => error.into(),
            })?;
        let declared = file.size();
        pour(file, declared, sink)
    }
}

type TarStream = GzDecoder<Box<dyn Read>>;

/// One `.tgz` part, read forward.
pub struct TarGzPart {
    /// Borrowed from an archive given up for the life of the program: the
    /// `tar` crate's entries borrow their archive, and an iterator that lives
    /// across calls (one per extracted file, from JavaScript) cannot borrow
    /// from a neighbour. A few kilobytes per pass through a part, in a worker
    /// that is closed when the import ends.
    entries: tar::Entries<'static, TarStream>,
    /// The index of the entry `entries` gives next.
    next: u32,
}

impl TarGzPart {
    pub fn open(reader: Box<dyn Read>) -> Result<TarGzPart, ArchiveError> {
        let archive: &'static mut tar::Archive<TarStream> =
            Box::leak(Box::new(tar::Archive::new(GzDecoder::new(reader))));
        Ok(TarGzPart {
            entries: archive
                .entries()
                .map_err(|error| ArchiveError::Tar(error.to_string()))?,
            next: 0,
        })
    }

    /// Every entry, reading the part through once. Entries are numbered as
    /// they come, folders and links included, as [`TarGzPart::extract`] counts.
    pub fn list(
        mut self,
        part: u32,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Entry>, ArchiveError> {
        let mut entries = Vec::new();
        for (index, found) in (self.next..).zip(self.entries.by_ref()) {
            let file = found.map_err(|error| ArchiveError::Tar(error.to_string()))?;
            if !file.header().entry_type().is_file() {
                continue;
            }
            let path = String::from_utf8_lossy(&file.path_bytes()).into_owned();
            let bytes = file.size();
            let text = wants_text(&path, bytes).then(|| text(file, bytes));
            entries.push(Entry {
                at: Where { part, entry: index },
                path,
                bytes,
                text,
            });
            if index % 1000 == 999 {
                progress(index as usize + 1);
            }
        }
        Ok(entries)
    }

    /// Whether entry `entry` is still ahead.
    pub fn can_reach(&self, entry: u32) -> bool {
        entry >= self.next
    }

    /// Entry `entry` into `sink`, skipping what comes before it. An entry
    /// already passed is [`ArchiveError::NoSuchEntry`]: open the part again.
    pub fn extract(
        &mut self,
        entry: u32,
        sink: &mut dyn FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<u64, ArchiveError> {
        if !self.can_reach(entry) {
            return Err(ArchiveError::NoSuchEntry(entry));
        }
        loop {
            let Some(found) = self.entries.next() else {
                return Err(ArchiveError::NoSuchEntry(entry));
            };
            let index = self.next;
            self.next += 1;
            let file = found.map_err(|error| ArchiveError::Tar(error.to_string()))?;
            if index == entry {
                let declared = file.size();
                return pour(file, declared, sink);
            }
        }
    }
}

#[cfg(test)]
mod tests;
