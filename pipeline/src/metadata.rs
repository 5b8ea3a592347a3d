//! What EXIF says about a photo (and XMP, for a date EXIF does not give:
//! [`xmp`]). Tolerant: a field that is missing, malformed or nonsense
//! (`0000:00:00` dates, latitudes past the pole) is left out, a damaged part of
//! the EXIF costs only that part, and the photo goes on.

mod apple;
mod xmp;

pub use api_types::photo::{Gps, Metadata, TakenAt};
use exif::{Exif, Field, In, Reader, Tag, Value};

pub fn read(bytes: &[u8]) -> Metadata {
    let Some(exif) = read_exif(bytes) else {
        return Metadata {
            orientation: 1,
            taken_at: xmp::taken_at(bytes),
            ..Metadata::default()
        };
    };
    Metadata {
        orientation: orientation(&exif),
        taken_at: taken_at(&exif).or_else(|| xmp::taken_at(bytes)),
        gps: gps(&exif),
        camera: camera(&exif),
        lens: text(&exif, Tag::LensModel),
        exposure_time: rational(&exif, Tag::ExposureTime).and_then(exposure),
        f_number: rational(&exif, Tag::FNumber).filter(|f| *f > 0.0 && *f < 1000.0),
        iso: uint(&exif, Tag::PhotographicSensitivity).filter(|iso| *iso > 0),
        focal_length: rational(&exif, Tag::FocalLength).filter(|mm| *mm > 0.0 && *mm < 10_000.0),
        live_id: live_id(&exif),
    }
}

/// The EXIF, leniently: every field that parses is kept when another part is
/// damaged. piexif, for one, writes the Exif sub-IFD without its next-IFD
/// offset; read strictly, such a file would lose its orientation and date
/// along with everything else, though browsers and exiftool read it fine.
fn read_exif(bytes: &[u8]) -> Option<Exif> {
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    reader
        .read_from_container(&mut std::io::Cursor::new(bytes))
        .or_else(|error| error.distill_partial_result(|_ignored| {}))
        .ok()
}

/// A Live Photo's content identifier, from Apple's maker note.
fn live_id(exif: &Exif) -> Option<String> {
    let Value::Undefined(note, _) = &field(exif, Tag::MakerNote)?.value else {
        return None;
    };
    apple::content_identifier(note).filter(|id| plausible_live_id(id))
}

/// Short plain text, as Apple's UUIDs are: anything else is not kept (the
/// API refuses it).
pub fn plausible_live_id(id: &str) -> bool {
    id.len() <= api_types::photo::MAX_LIVE_ID_CHARS
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn field(exif: &Exif, tag: Tag) -> Option<&Field> {
    exif.get_field(tag, In::PRIMARY)
}

fn uint(exif: &Exif, tag: Tag) -> Option<u32> {
    field(exif, tag)?.value.get_uint(0)
}

fn orientation(exif: &Exif) -> u8 {
    match uint(exif, Tag::Orientation) {
        Some(value @ 1..=8) => value as u8,
        _ => 1,
    }
}

fn text(exif: &Exif, tag: Tag) -> Option<String> {
    let Value::Ascii(parts) = &field(exif, tag)?.value else {
        return None;
    };
    let bytes = parts.first()?;
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!text.is_empty()).then(|| text.to_owned())
}

fn rational(exif: &Exif, tag: Tag) -> Option<f64> {
    match &field(exif, tag)?.value {
        Value::Rational(values) => values.first().filter(|r| r.denom != 0).map(|r| r.to_f64()),
        Value::SRational(values) => values.first().filter(|r| r.denom != 0).map(|r| r.to_f64()),
        _ => None,
    }
}

/// Unsigned rationals, or signed ones where a phone wrote those instead (Nokia
/// writes GPS coordinates as SRATIONAL, against the spec).
fn rationals(exif: &Exif, tag: Tag) -> Option<Vec<f64>> {
    match &field(exif, tag)?.value {
        Value::Rational(values) if !values.is_empty() => values
            .iter()
            .map(|r| (r.denom != 0).then(|| r.to_f64()))
            .collect(),
        Value::SRational(values) if !values.is_empty() => values
            .iter()
            .map(|r| (r.denom != 0 && r.num >= 0 && r.denom > 0).then(|| r.to_f64()))
            .collect(),
        _ => None,
    }
}

fn camera(exif: &Exif) -> Option<String> {
    let make = text(exif, Tag::Make);
    let model = text(exif, Tag::Model);
    match (make, model) {
        (Some(make), Some(model)) => {
            let first_word = make
                .split_whitespace()
                .next()
                .unwrap_or(&make)
                .to_lowercase();
            if model.to_lowercase().starts_with(&first_word) {
                Some(model)
            } else {
                Some(format!("{make} {model}"))
            }
        }
        (make, model) => make.or(model),
    }
}

fn exposure(seconds: f64) -> Option<String> {
    if !(seconds > 0.0 && seconds < 100_000.0) {
        return None;
    }
    Some(if seconds < 1.0 {
        format!("1/{} s", (1.0 / seconds).round())
    } else {
        format!("{} s", (seconds * 10.0).round() / 10.0)
    })
}

fn taken_at(exif: &Exif) -> Option<TakenAt> {
    [
        (Tag::DateTimeOriginal, Tag::OffsetTimeOriginal),
        (Tag::DateTimeDigitized, Tag::OffsetTimeDigitized),
        (Tag::DateTime, Tag::OffsetTime),
    ]
    .into_iter()
    .find_map(|(date_tag, offset_tag)| {
        let local = parse_exif_datetime(&text(exif, date_tag)?)?;
        let offset = text(exif, offset_tag).filter(|offset| valid_offset(offset));
        Some(TakenAt { local, offset })
    })
}

/// `YYYY:MM:DD HH:MM:SS` → `YYYY-MM-DDTHH:MM:SS`, if it is a real moment.
pub fn parse_exif_datetime(value: &str) -> Option<String> {
    let value = value.trim();
    let digits = |range: std::ops::Range<usize>| value.get(range)?.parse::<u32>().ok();
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let shaped = value.len() >= 19
        && &value[4..5] == ":"
        && &value[7..8] == ":"
        && matches!(&value[10..11], " " | "T")
        && &value[13..14] == ":"
        && &value[16..17] == ":";
    let sane = (1826..=2200).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 61;
    (shaped && sane)
        .then(|| format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"))
}

fn valid_offset(offset: &str) -> bool {
    let bytes = offset.as_bytes();
    bytes.len() == 6
        && matches!(bytes[0], b'+' | b'-')
        && bytes[3] == b':'
        && [1, 2, 4, 5].iter().all(|&i| bytes[i].is_ascii_digit())
}

fn gps(exif: &Exif) -> Option<Gps> {
    let degrees = |tag: Tag, reference: Tag, negative: &str| {
        let parts = rationals(exif, tag)?;
        let value = parts.first()?
            + parts.get(1).unwrap_or(&0.0) / 60.0
            + parts.get(2).unwrap_or(&0.0) / 3600.0;
        let sign = if text(exif, reference)?.eq_ignore_ascii_case(negative) {
            -1.0
        } else {
            1.0
        };
        Some(sign * value)
    };
    let latitude = degrees(Tag::GPSLatitude, Tag::GPSLatitudeRef, "S")?;
    let longitude = degrees(Tag::GPSLongitude, Tag::GPSLongitudeRef, "W")?;
    let plausible = latitude.is_finite()
        && longitude.is_finite()
        && latitude.abs() <= 90.0
        && longitude.abs() <= 180.0
        && !(latitude == 0.0 && longitude == 0.0);
    if !plausible {
        return None;
    }
    let below_sea = uint(exif, Tag::GPSAltitudeRef) == Some(1);
    let altitude = rational(exif, Tag::GPSAltitude)
        .filter(|metres| metres.is_finite() && metres.abs() < 100_000.0)
        .map(|metres| if below_sea { -metres } else { metres });
    Some(Gps {
        latitude,
        longitude,
        altitude,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_dates() {
        assert_eq!(
            parse_exif_datetime("2011:01:13 14:33:39").as_deref(),
            Some("2011-01-13T14:33:39")
        );
        assert_eq!(
            parse_exif_datetime("2038:05:05 01:29:24").as_deref(),
            Some("2038-05-05T01:29:24")
        );
        assert_eq!(parse_exif_datetime("0000:00:00 00:00:00"), None);
        assert_eq!(parse_exif_datetime(":  :     :  :"), None);
        assert_eq!(parse_exif_datetime(""), None);
        assert_eq!(parse_exif_datetime("2011:13:01 00:00:00"), None);
    }

    #[test]
    fn offsets_and_exposures() {
        assert!(valid_offset("+02:00") && valid_offset("-07:30"));
        assert!(!valid_offset("02:00") && !valid_offset("+2:00"));
        assert_eq!(exposure(1.0 / 125.0).as_deref(), Some("1/125 s"));
        assert_eq!(exposure(2.0).as_deref(), Some("2 s"));
        assert_eq!(exposure(0.0), None);
    }
}
