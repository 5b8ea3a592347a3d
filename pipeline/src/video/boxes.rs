//! ISO BMFF boxes (MP4, MOV, 3GP), as far as the container's own facts need:
//! the movie box (`moov`) read whole, and the boxes inside it walked. The
//! parser (`nom-exif`) reads the rest; these are what it does not expose.

use std::io::{Read, Seek, SeekFrom};

/// Larger than any phone's `moov` (an hour of 4K is a few MB of tables).
const MAX_MOOV_BYTES: u64 = 64 * 1024 * 1024;

/// The body of the source's `moov`, if it is ISO BMFF and has one that fits
/// in memory.
pub fn read_moov<R: Read + Seek>(source: &mut R) -> Option<Vec<u8>> {
    let end = source.seek(SeekFrom::End(0)).ok()?;
    let mut at = 0;
    while at + 8 <= end {
        source.seek(SeekFrom::Start(at)).ok()?;
        let mut header = [0; 16];
        source.read_exact(&mut header[..8]).ok()?;
        let mut size = u64::from(u32::from_be_bytes(header[..4].try_into().ok()?));
        let mut header_len = 8;
        if size == 1 {
            source.read_exact(&mut header[8..]).ok()?;
            size = u64::from_be_bytes(header[8..].try_into().ok()?);
            header_len = 16;
        } else if size == 0 {
            size = end - at;
        }
        if size < header_len {
            return None;
        }
        if &header[4..8] == b"moov" {
            let body = size - header_len;
            if body > MAX_MOOV_BYTES {
                return None;
            }
            let mut moov = vec![0; usize::try_from(body).ok()?];
            source.read_exact(&mut moov).ok()?;
            return Some(moov);
        }
        at = at.checked_add(size)?;
    }
    None
}

/// The boxes directly in `body`, as (type, body); stops at the first that
/// does not fit.
pub fn boxes(body: &[u8]) -> impl Iterator<Item = ([u8; 4], &[u8])> {
    let mut rest = body;
    std::iter::from_fn(move || {
        let size = usize::try_from(u32::from_be_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        let kind: [u8; 4] = rest.get(4..8)?.try_into().ok()?;
        let inner = rest.get(8..size)?;
        rest = rest.get(size..)?;
        Some((kind, inner))
    })
}

pub fn child<'a>(body: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    boxes(body)
        .find(|(found, _)| found == kind)
        .map(|(_, inner)| inner)
}

#[cfg(test)]
pub(crate) mod tests {
    pub(crate) fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut out = ((8 + body.len()) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
        out
    }
}
