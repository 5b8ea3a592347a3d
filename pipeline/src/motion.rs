//! Motion photos: the JPEGs Android phones (Pixel, Samsung and others) write
//! with a short MP4 appended, which their XMP announces (`GCamera:MotionPhoto`
//! or the older `MicroVideo`, or an XMP `Container:Directory` item).
//! `nom-exif` reads that signal and the clip's track (it answers a track only
//! for a JPEG whose XMP says so and whose trailer is a video it can read);
//! where the clip starts is found here: its `ftyp` box, the first after the
//! picture. The file is kept as it is; the gallery plays the clip by reading
//! the original from that byte.

use std::io::Cursor;

use api_types::photo::MotionVideo;
use nom_exif::{EntryValue, MediaParser, MediaSource, TrackInfoTag};

use crate::sniff::sniff;

/// The clip a motion photo carries, or `None` for a still (or a file whose
/// XMP promises a clip that is not there).
pub fn embedded_video(photo: &[u8]) -> Option<MotionVideo> {
    let track = MediaParser::new()
        .parse_track(MediaSource::seekable(Cursor::new(photo)).ok()?)
        .ok()?;
    let start = clip_start(photo)?;
    let duration_ms = match track.get(TrackInfoTag::DurationMs) {
        Some(EntryValue::U64(ms)) => Some(*ms),
        Some(EntryValue::U32(ms)) => Some(u64::from(*ms)),
        _ => None,
    }
    // A motion photo's clip is a few seconds; a minute is already damage.
    .filter(|ms| (1..=60_000).contains(ms));
    Some(MotionVideo {
        start: start as u64,
        bytes: (photo.len() - start) as u64,
        duration_ms,
    })
}

/// Where the appended clip begins: the first `ftyp` box, of a believable size,
/// that starts a video this app knows, after the JPEG's own start.
fn clip_start(photo: &[u8]) -> Option<usize> {
    let mut from = 4;
    while let Some(found) = photo.get(from..)?.windows(4).position(|w| w == b"ftyp") {
        let at = from + found - 4;
        let size = u32::from_be_bytes(photo.get(at..at + 4)?.try_into().ok()?);
        if (16..=256).contains(&size) && sniff(&photo[at..]).is_video() {
            return Some(at);
        }
        from += found + 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clip_starts_at_its_ftyp_box_not_at_a_stray_one() {
        let mut photo = vec![0xFF, 0xD8, 0xFF, 0xE1];
        // "ftyp" inside the picture's own data, with no box around it.
        photo.extend_from_slice(b"xxxxftypjunk");
        let start = photo.len();
        photo.extend_from_slice(&24u32.to_be_bytes());
        photo.extend_from_slice(b"ftypisom\0\0\x02\0isommp41");
        photo.extend_from_slice(&[0; 64]);
        assert_eq!(clip_start(&photo), Some(start));
        assert_eq!(clip_start(&photo[..start]), None);
    }
}
