//! What a video's container says about it: when it was taken, where, for how
//! long, how large, and on what. Read with `nom-exif` from a seekable source,
//! so the browser can hand over a `File` read in slices (a phone's video is
//! gigabytes, and its `moov` may be at the end) and never the whole file.
//!
//! Only the container is read: no frame is decoded here. The poster comes
//! from the browser's own decoder.
//!
//! What phones write, and where it is read from:
//! - the capture time: Apple's `com.apple.quicktime.creationdate` (local time
//!   with its offset), else the movie header's creation time (UTC);
//! - the place: Apple's ISO 6709 `com.apple.quicktime.location.ISO6709`, or
//!   Android's `©xyz` (`+48.8577+002.2950/`);
//! - the camera: make and model, Apple's or the user data's;
//! - the turn the player applies: the video track's `tkhd` matrix ([`turn`]).

mod boxes;
mod live;
mod turn;

use std::io::{Read, Seek};

use api_types::photo::{Gps, MAX_VIDEO_DURATION_MS, Metadata, TakenAt, VideoFacts};
use nom_exif::{EntryValue, MediaParser, MediaSource, TrackInfo, TrackInfoTag};
use serde::Serialize;

use crate::sniff::{Format, sniff};

/// Wider or taller than any camera's video (16K is 15,360).
const MAX_SIDE: u32 = 32_768;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VideoInfo {
    pub duration_ms: Option<u64>,
    /// As stored (before the turn the player applies).
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The clockwise turn the player gives it (0, 90, 180 or 270): phones set
    /// it instead of turning the pixels.
    pub rotation: u16,
    pub taken_at: Option<TakenAt>,
    pub gps: Option<Gps>,
    /// "Make Model", without the make twice.
    pub camera: Option<String>,
    /// An iPhone Live Photo's content identifier, shared with its still.
    pub live_id: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VideoError {
    #[error("the file is empty")]
    Empty,
    #[error("not a video this app knows")]
    NotAVideo,
    /// The container could not be read: cut short, or damaged.
    #[error("the video's container cannot be read: {0}")]
    Unreadable(String),
}

/// The container's facts about the video `source` holds; `head` is its first
/// bytes (at least 64 are enough to tell the container).
pub fn read_video<R: Read + Seek>(head: &[u8], mut source: R) -> Result<VideoInfo, VideoError> {
    if head.is_empty() {
        return Err(VideoError::Empty);
    }
    let format = sniff(head);
    if !format.is_video() {
        return Err(VideoError::NotAVideo);
    }
    let unreadable = |error: nom_exif::Error| VideoError::Unreadable(error.to_string());
    let media = MediaSource::seekable(&mut source).map_err(unreadable)?;
    let track = MediaParser::new().parse_track(media).map_err(unreadable)?;
    let mut info = info_of(&track);
    // Matroska keeps neither a turn a phone would set nor Apple's keys: only
    // ISO BMFF is asked.
    if !matches!(format, Format::WebM | Format::Matroska)
        && let Some(moov) = boxes::read_moov(&mut source)
    {
        info.rotation = turn::quarter_turns(&moov).unwrap_or(0);
        info.live_id =
            live::content_identifier(&moov).filter(|id| crate::metadata::plausible_live_id(id));
    }
    Ok(info)
}

impl VideoInfo {
    /// The photo fields a video fills: when, where, and on what.
    pub fn metadata(&self) -> Metadata {
        Metadata {
            taken_at: self.taken_at.clone(),
            gps: self.gps.clone(),
            camera: self.camera.clone(),
            live_id: self.live_id.clone(),
            ..Metadata::default()
        }
    }

    /// What a photo has no field for.
    pub fn facts(&self) -> VideoFacts {
        VideoFacts {
            duration_ms: self.duration_ms,
        }
    }

    /// Its size as it plays, upright.
    pub fn upright_size(&self) -> Option<(u32, u32)> {
        let (width, height) = (self.width?, self.height?);
        Some(if self.rotation % 180 == 90 {
            (height, width)
        } else {
            (width, height)
        })
    }
}

/// Which container `head` starts, if a video's.
pub fn video_format(head: &[u8]) -> Option<Format> {
    Some(sniff(head)).filter(|format| format.is_video())
}

fn info_of(track: &TrackInfo) -> VideoInfo {
    let text = |tag| match track.get(tag) {
        Some(EntryValue::Text(text)) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
        _ => None,
    };
    let number = |tag| match track.get(tag) {
        Some(EntryValue::U64(n)) => Some(*n),
        Some(EntryValue::U32(n)) => Some(u64::from(*n)),
        Some(EntryValue::U16(n)) => Some(u64::from(*n)),
        _ => None,
    };
    let side = |tag| {
        number(tag)
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| (1..=MAX_SIDE).contains(n))
    };
    VideoInfo {
        duration_ms: number(TrackInfoTag::DurationMs)
            .filter(|ms| (1..=MAX_VIDEO_DURATION_MS).contains(ms)),
        width: side(TrackInfoTag::Width),
        height: side(TrackInfoTag::Height),
        rotation: 0,
        taken_at: track.get(TrackInfoTag::CreateDate).and_then(taken_at),
        gps: text(TrackInfoTag::GpsIso6709).and_then(|text| iso6709(&text)),
        camera: camera(text(TrackInfoTag::Make), text(TrackInfoTag::Model)),
        live_id: None,
    }
}

/// A creation time with its offset is the camera's local time; a movie
/// header's is UTC (it has no zone), shown as such.
fn taken_at(value: &EntryValue) -> Option<TakenAt> {
    let (local, offset) = match value {
        EntryValue::DateTime(at) => (
            at.naive_local().format("%Y-%m-%dT%H:%M:%S").to_string(),
            Some(at.offset().to_string()),
        ),
        EntryValue::NaiveDateTime(at) => (at.format("%Y-%m-%dT%H:%M:%S").to_string(), None),
        // Apple's own text, which the parser leaves as it is when its offset
        // has no colon (`2023-07-14T18:32:05+0200`, as iPhones write it).
        EntryValue::Text(text) => {
            let text = text.trim();
            let local = text.get(..19)?.to_owned();
            let zone = text.get(19..).unwrap_or_default();
            (local, (!zone.is_empty()).then(|| zone.to_owned()))
        }
        _ => return None,
    };
    if !looks_like_local_time(&local) {
        return None;
    }
    // A camera whose clock was never set writes 1904 or 1970: no date at all.
    let year: i32 = local.get(..4)?.parse().ok()?;
    if !(1980..=2200).contains(&year) {
        return None;
    }
    Some(TakenAt {
        local,
        offset: offset.and_then(|offset| normalise_offset(&offset)),
    })
}

/// `YYYY-MM-DDTHH:MM:SS`, digits where digits go.
fn looks_like_local_time(text: &str) -> bool {
    text.len() == 19
        && text.bytes().enumerate().all(|(at, b)| match at {
            4 | 7 => b == b'-',
            10 => b == b'T' || b == b' ',
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        })
}

/// `+HH:MM` from `+HH:MM`, `+HHMM`, `+HH:MM:SS` or `Z`; `None` for anything else.
fn normalise_offset(offset: &str) -> Option<String> {
    if offset == "Z" {
        return Some("+00:00".to_owned());
    }
    let (sign, rest) = offset.split_at_checked(1)?;
    let digits: String = rest.chars().filter(char::is_ascii_digit).take(4).collect();
    let valid = matches!(sign, "+" | "-") && digits.len() == 4;
    valid.then(|| format!("{sign}{}:{}", &digits[..2], &digits[2..]))
}

fn camera(make: Option<String>, model: Option<String>) -> Option<String> {
    match (make, model) {
        (Some(make), Some(model)) if model.to_lowercase().starts_with(&make.to_lowercase()) => {
            Some(model)
        }
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (make, model) => model.or(make),
    }
}

/// An ISO 6709 point as phones write it: `+48.8577+002.2950+035.000/`, degrees
/// in decimal (or `±DDMM.M`, `±DDMMSS.S` for the rare writer that uses them).
/// `+00.0000+000.0000/` is a phone without a fix, not the Gulf of Guinea.
fn iso6709(text: &str) -> Option<Gps> {
    let text = text.trim().trim_end_matches('/');
    let mut parts = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if c == '+' || c == '-' {
            if let Some(from) = start {
                parts.push(&text[from..at]);
            }
            start = Some(at);
        }
    }
    parts.push(text.get(start?..)?);
    let latitude = angle(parts.first()?, 2)?;
    let longitude = angle(parts.get(1)?, 3)?;
    let altitude = parts.get(2).and_then(|a| a.parse::<f64>().ok());
    let valid = latitude.abs() <= 90.0 && longitude.abs() <= 180.0;
    (valid && (latitude, longitude) != (0.0, 0.0)).then_some(Gps {
        latitude,
        longitude,
        altitude,
    })
}

/// `±DD.D`, `±DDMM.M` or `±DDDMMSS.S` (with `degree_digits` 2 or 3) in degrees.
fn angle(part: &str, degree_digits: usize) -> Option<f64> {
    let (sign, digits) = match part.split_at_checked(1)? {
        ("+", rest) => (1.0, rest),
        ("-", rest) => (-1.0, rest),
        _ => return None,
    };
    let whole = digits.split('.').next()?.len();
    let number = |range: std::ops::Range<usize>| digits.get(range)?.parse::<f64>().ok();
    let degrees = if whole == degree_digits {
        digits.parse::<f64>().ok()?
    } else if whole == degree_digits + 2 {
        number(0..degree_digits)? + number(degree_digits..digits.len())? / 60.0
    } else if whole == degree_digits + 4 {
        number(0..degree_digits)?
            + number(degree_digits..degree_digits + 2)? / 60.0
            + number(degree_digits + 2..digits.len())? / 3600.0
    } else {
        return None;
    };
    degrees.is_finite().then_some(sign * degrees)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso6709_as_phones_write_it() {
        let paris = iso6709("+48.8577+002.2950+035.000/").expect("a place");
        assert_eq!(
            (paris.latitude, paris.longitude, paris.altitude),
            (48.8577, 2.295, Some(35.0))
        );
        let south_west = iso6709("-33.8688-070.6693/").expect("a place");
        assert_eq!(
            (south_west.latitude, south_west.longitude),
            (-33.8688, -70.6693)
        );
        let minutes = iso6709("+4851.46+00217.70/").expect("a place");
        assert!((minutes.latitude - 48.857_67).abs() < 1e-4);
        assert!((minutes.longitude - 2.295).abs() < 1e-4);
        assert_eq!(iso6709("+00.0000+000.0000/"), None, "no fix");
        assert_eq!(iso6709("+91.0+000.1/"), None);
        assert_eq!(iso6709("garbage"), None);
        assert_eq!(iso6709(""), None);
    }

    #[test]
    fn capture_times_as_cameras_write_them() {
        let text = |t: &str| taken_at(&EntryValue::Text(t.into()));
        let iphone = text("2023-07-14T18:32:05+0200").expect("a time");
        assert_eq!(
            (iphone.local.as_str(), iphone.offset.as_deref()),
            ("2023-07-14T18:32:05", Some("+02:00"))
        );
        let utc = text("2023-07-14T16:32:05Z").expect("a time");
        assert_eq!(utc.offset.as_deref(), Some("+00:00"));
        assert_eq!(text("1904-01-01T00:00:00Z"), None, "a clock never set");
        assert_eq!(text("yesterday"), None);
        assert_eq!(text(""), None);
    }

    #[test]
    fn a_camera_is_named_once() {
        let named = |make: &str, model: &str| camera(Some(make.into()), Some(model.into()));
        assert_eq!(
            named("Apple", "iPhone 15 Pro").as_deref(),
            Some("Apple iPhone 15 Pro")
        );
        assert_eq!(
            named("samsung", "Samsung SM-G991B").as_deref(),
            Some("Samsung SM-G991B")
        );
        assert_eq!(camera(None, None), None);
    }

    #[test]
    fn what_is_not_a_video_is_said_so_before_any_parsing() {
        let nothing = std::io::Cursor::new(Vec::new());
        assert_eq!(read_video(&[], nothing), Err(VideoError::Empty));
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F'];
        assert_eq!(
            read_video(&jpeg, std::io::Cursor::new(jpeg.to_vec())),
            Err(VideoError::NotAVideo)
        );
    }
}
