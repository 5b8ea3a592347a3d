//! The bucket is the library: each photo's record is kept beside its original
//! as a small JSON object (`u/{sub}/m/{id}.json`), written when the photo is
//! committed (before the index lists it) and deleted with its files. With
//! these, the bucket alone says what the library holds, should the index be
//! lost.
//!
//! The document is the record's keys and times and the same `details`
//! document both indexes store ([`encode_details`]), so what reads one reads
//! the other, and the fixtures that hold the indexes to what older versions
//! wrote hold this too. A Live Photo's joining is not in it: it is made again
//! from the halves' `live_id`s, as it was the first time.

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    index::{IndexError, PhotoRecord, decode_details, encode_details},
    keys::{Owner, PhotoId},
};

/// The document's layout; a later one reads this one.
const VERSION: u32 = 1;
pub const CONTENT_TYPE: &str = "application/json";

#[derive(Serialize, Deserialize)]
struct Document {
    version: u32,
    id: String,
    taken_at: String,
    uploaded_at: String,
    /// [`encode_details`]' document.
    details: serde_json::Value,
}

fn time(at: OffsetDateTime) -> Result<String, IndexError> {
    at.format(&Rfc3339)
        .map_err(|error| IndexError::Corrupt(format!("a record's time: {error}")))
}

/// `record` as the object kept beside its original.
pub fn encode(record: &PhotoRecord) -> Result<Vec<u8>, IndexError> {
    let document = Document {
        version: VERSION,
        id: record.id.to_string(),
        taken_at: time(record.taken_at)?,
        uploaded_at: time(record.uploaded_at)?,
        details: serde_json::from_str(&encode_details(&PhotoRecord {
            live: None,
            ..record.clone()
        })?)
        .map_err(|error| IndexError::Corrupt(format!("a record's details: {error}")))?,
    };
    serde_json::to_vec(&document)
        .map_err(|error| IndexError::Corrupt(format!("a record object: {error}")))
}

/// The record a kept object holds, for `owner` (whose prefix it was under).
pub fn decode(bytes: &[u8], owner: Owner) -> Result<PhotoRecord, IndexError> {
    let corrupt = |what: &str| IndexError::Corrupt(format!("a record object: {what}"));
    let document: Document =
        serde_json::from_slice(bytes).map_err(|error| corrupt(&error.to_string()))?;
    if document.version > VERSION {
        return Err(corrupt(&format!(
            "version {} is newer than this code",
            document.version
        )));
    }
    let id = PhotoId::parse(&document.id).ok_or_else(|| corrupt("its id is not a photo id"))?;
    let parse = |text: &str| OffsetDateTime::parse(text, &Rfc3339).map_err(|_| corrupt(text));
    decode_details(
        &document.details.to_string(),
        owner,
        id,
        parse(&document.taken_at)?,
        parse(&document.uploaded_at)?,
    )
}

#[cfg(test)]
mod tests {
    use api_types::photo::{Imported, LiveVideo, PhotoDetails};
    use time::macros::datetime;

    use super::*;
    use crate::store::PhotoState;

    fn record() -> PhotoRecord {
        PhotoRecord {
            owner: Owner::new("alice").expect("an owner"),
            id: PhotoId::parse(&"a".repeat(64)).expect("an id"),
            taken_at: datetime!(2019-07-04 14:00:00 +02:00),
            uploaded_at: datetime!(2026-12-07 15:00:00 UTC),
            details: PhotoDetails {
                filename: "IMG_0001.jpg".into(),
                content_type: "image/jpeg".into(),
                bytes: 1234,
                width: Some(4032),
                height: Some(3024),
                metadata: Default::default(),
                placeholder: Some("abc".into()),
                video: None,
                motion: None,
                imported: Some(Imported {
                    from: "google-takeout".into(),
                    description: Some("Lisbon tram".into()),
                    favorite: true,
                    ..Imported::default()
                }),
            },
            thumb: None,
            web: None,
            live: None,
            state: PhotoState {
                favorite: true,
                in_archive: false,
                trashed_at: Some(datetime!(2026-12-06 10:00:00 UTC)),
            },
        }
    }

    #[test]
    fn a_record_comes_back_as_it_went_with_its_offset() {
        let record = record();
        let decoded =
            decode(&encode(&record).expect("encoded"), record.owner.clone()).expect("decoded");
        assert_eq!(decoded, record);
        assert_eq!(decoded.taken_at.offset().whole_hours(), 2);
    }

    #[test]
    fn a_live_join_is_left_to_be_made_again() {
        let mut joined = record();
        joined.live = Some(LiveVideo {
            id: "b".repeat(64),
            duration_ms: Some(2000),
        });
        let decoded =
            decode(&encode(&joined).expect("encoded"), joined.owner.clone()).expect("decoded");
        assert_eq!(decoded.live, None);
    }

    #[test]
    fn a_document_that_is_not_one_or_is_from_the_future_says_so() {
        let owner = Owner::new("alice").expect("an owner");
        assert!(decode(b"{}", owner.clone()).is_err());
        assert!(decode(b"not json", owner.clone()).is_err());
        let mut future: serde_json::Value =
            serde_json::from_slice(&encode(&record()).expect("encoded")).expect("json");
        future["version"] = 2.into();
        let error =
            decode(&serde_json::to_vec(&future).expect("json"), owner).expect_err("refused");
        assert!(error.to_string().contains("newer"), "{error}");
    }
}
