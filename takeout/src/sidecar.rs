//! A sidecar's facts: the JSON Google writes beside each photo or video, and
//! the `metadata.json` of an album folder. Read leniently (Google has changed
//! the format over the years, and numbers come as strings), checked strictly:
//! a date that is no date, or a place of `0,0` (Google's "none"), is left out
//! rather than believed.

use serde_json::Value;
use thiserror::Error;

use crate::plan::{Facts, Place};

#[derive(Debug, Error, Clone, PartialEq)]
pub enum SidecarError {
    #[error("the sidecar is empty")]
    Empty,
    #[error("the sidecar is not JSON")]
    NotJson,
    #[error("the sidecar is not a JSON object")]
    NotAnObject,
}

/// What a JSON file in the export is.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// A photo's or video's sidecar.
    Media(Sidecar),
    /// An album folder's `metadata.json`.
    Album {
        title: String,
        description: Option<String>,
    },
    /// Something else (`print-subscriptions.json`, comments on shared albums).
    Other,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sidecar {
    /// The name the file had when it was uploaded to Google Photos: unclipped.
    pub title: Option<String>,
    pub facts: Facts,
    /// `photoTakenTime` was there but was not a time.
    pub bad_date: bool,
    pub trashed: bool,
}

/// Earliest and latest capture times believed: 1800 to 9999 (seconds since 1970, UTC).
const EARLIEST_S: i64 = -5_364_662_400;
const LATEST_S: i64 = 253_402_300_799;
const MAX_DESCRIPTION_CHARS: usize = 2000;

pub fn read(text: &str) -> Result<Json, SidecarError> {
    if text.trim().is_empty() {
        return Err(SidecarError::Empty);
    }
    let value: Value = serde_json::from_str(text).map_err(|_| SidecarError::NotJson)?;
    let object = value.as_object().ok_or(SidecarError::NotAnObject)?;
    let is_media = [
        "photoTakenTime",
        "creationTime",
        "imageViews",
        "url",
        "geoDataExif",
    ]
    .iter()
    .any(|key| object.contains_key(*key));
    let string = |key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(|text| text.chars().take(MAX_DESCRIPTION_CHARS).collect::<String>())
    };
    if !is_media {
        return Ok(match string("title") {
            Some(title) => Json::Album {
                title,
                description: string("description"),
            },
            None => Json::Other,
        });
    }
    let (taken_s, bad_date) = match object.get("photoTakenTime") {
        None | Some(Value::Null) => (None, false),
        Some(time) => match timestamp(time) {
            Some(seconds) => (Some(seconds), false),
            None => (None, true),
        },
    };
    let place = ["geoData", "geoDataExif"]
        .iter()
        .find_map(|key| object.get(*key).and_then(place));
    let flag = |key: &str| object.get(key).and_then(Value::as_bool).unwrap_or(false);
    Ok(Json::Media(Sidecar {
        title: string("title"),
        facts: Facts {
            taken_s,
            place,
            description: string("description"),
            favorite: flag("favorited"),
            archived: flag("archived"),
        },
        bad_date,
        trashed: flag("trashed"),
    }))
}

/// `{"timestamp": "1546300800", "formatted": "…"}`, the timestamp as a string
/// or a number; 0 is Google's "unknown".
fn timestamp(time: &Value) -> Option<i64> {
    let raw = time.get("timestamp")?;
    let seconds = match raw {
        Value::String(text) => text.trim().parse::<i64>().ok()?,
        Value::Number(number) => number.as_i64()?,
        _ => return None,
    };
    (seconds != 0 && (EARLIEST_S..=LATEST_S).contains(&seconds)).then_some(seconds)
}

fn place(geo: &Value) -> Option<Place> {
    let number = |key: &str| geo.get(key).and_then(Value::as_f64);
    let latitude = number("latitude")?;
    let longitude = number("longitude")?;
    let none = latitude == 0.0 && longitude == 0.0;
    let valid = latitude.abs() <= 90.0 && longitude.abs() <= 180.0;
    (!none && valid).then(|| Place {
        latitude,
        longitude,
        altitude: number("altitude").filter(|altitude| *altitude != 0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn media(text: &str) -> Sidecar {
        match read(text) {
            Ok(Json::Media(sidecar)) => sidecar,
            other => panic!("not a media sidecar: {other:?}"),
        }
    }

    #[test]
    fn a_full_sidecar_gives_its_date_place_description_and_flags() {
        let sidecar = media(
            r#"{"title":"IMG_1234.JPG","description":"Grandma's 80th",
            "imageViews":"12","creationTime":{"timestamp":"1600000000","formatted":"x"},
            "photoTakenTime":{"timestamp":"1546300800","formatted":"1 Jan 2019"},
            "geoData":{"latitude":48.8584,"longitude":2.2945,"altitude":35.0,"latitudeSpan":0.0,"longitudeSpan":0.0},
            "favorited":true,"archived":true}"#,
        );
        assert_eq!(sidecar.title.as_deref(), Some("IMG_1234.JPG"));
        assert_eq!(sidecar.facts.taken_s, Some(1_546_300_800));
        let place = sidecar.facts.place.expect("a place");
        assert_eq!((place.latitude, place.longitude), (48.8584, 2.2945));
        assert_eq!(place.altitude, Some(35.0));
        assert_eq!(sidecar.facts.description.as_deref(), Some("Grandma's 80th"));
        assert!(sidecar.facts.favorite && sidecar.facts.archived && !sidecar.trashed);
    }

    #[test]
    fn zero_zero_is_no_place_and_the_exif_place_is_the_fallback() {
        let none = media(
            r#"{"photoTakenTime":{"timestamp":"1"},"geoData":{"latitude":0.0,"longitude":0.0}}"#,
        );
        assert_eq!(none.facts.place, None);
        let exif = media(
            r#"{"photoTakenTime":{"timestamp":"1"},"geoData":{"latitude":0.0,"longitude":0.0},
            "geoDataExif":{"latitude":-33.86,"longitude":151.21,"altitude":0.0}}"#,
        );
        assert_eq!(
            exif.facts.place,
            Some(Place {
                latitude: -33.86,
                longitude: 151.21,
                altitude: None
            })
        );
    }

    #[test]
    fn a_garbage_date_is_flagged_not_believed() {
        for time in [
            r#"{"timestamp":"yesterday"}"#,
            r#"{"timestamp":"99999999999999"}"#,
            r#""2019""#,
        ] {
            let sidecar = media(&format!(r#"{{"title":"a.jpg","photoTakenTime":{time}}}"#));
            assert_eq!(sidecar.facts.taken_s, None, "{time}");
            assert!(sidecar.bad_date, "{time}");
        }
        // Zero is Google's "unknown", as is a missing time: nothing to flag.
        let unknown = media(r#"{"title":"a.jpg","photoTakenTime":{"timestamp":"0"}}"#);
        assert_eq!(unknown.facts.taken_s, None);
        let numeric = media(r#"{"title":"a.jpg","photoTakenTime":{"timestamp":1546300800}}"#);
        assert_eq!(numeric.facts.taken_s, Some(1_546_300_800));
    }

    #[test]
    fn album_metadata_and_other_json_are_told_apart() {
        assert_eq!(
            read(r#"{"title":"Summer in Lisbon","description":"","access":"protected"}"#),
            Ok(Json::Album {
                title: "Summer in Lisbon".into(),
                description: None
            })
        );
        assert_eq!(read(r#"{"subscriptions":[]}"#), Ok(Json::Other));
    }

    #[test]
    fn empty_or_broken_json_says_which() {
        assert_eq!(read(""), Err(SidecarError::Empty));
        assert_eq!(read("  \n"), Err(SidecarError::Empty));
        assert_eq!(read("{\"title\": "), Err(SidecarError::NotJson));
        assert_eq!(read("[1,2]"), Err(SidecarError::NotAnObject));
    }

    #[test]
    fn trashed_is_read() {
        assert!(media(r#"{"photoTakenTime":{"timestamp":"5"},"trashed":true}"#).trashed);
    }
}
