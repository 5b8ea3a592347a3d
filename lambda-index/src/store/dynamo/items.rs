//! The table's items as types: each kind of item in the parent module's table
//! is one struct here, its attributes typed by [`super::attributes`], so an
//! attribute's name and type are written once, and an item that does not
//! match its kind is one [`IndexError::Corrupt`] naming the kind.
//!
//! The requests themselves (key conditions, update expressions) stay JSON in
//! the calls that make them: they are DynamoDB's language, not our data.
//!
//! Items outlive the code that wrote them: an attribute added later is an
//! `Option` or has `#[serde(default)]` (see `show_location`), and
//! `tests/stored_records.rs` reads the items of 2026-12 with today's types.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{attributes, partition, timeline_key};
use crate::store::{
    albums::{AlbumId, ShareRecord, ShareToken},
    index::{IndexError, PhotoRecord, decode_details, encode_details},
    keys::{Owner, PhotoId},
    state::View,
};

/// `item` in DynamoDB's JSON, for a request.
pub(super) fn to_json<T: Serialize>(item: &T) -> Result<Value, IndexError> {
    serde_json::to_value(item)
        .map_err(|error| IndexError::Corrupt(format!("an item to write: {error}")))
}

/// An item in DynamoDB's JSON (from an answer) as its `kind`.
pub(super) fn from_json<T: DeserializeOwned>(item: &Value, kind: &str) -> Result<T, IndexError> {
    T::deserialize(item).map_err(|error| IndexError::Corrupt(format!("a {kind} item: {error}")))
}

/// A time as items keep it: RFC 3339 text, offset kept.
pub(super) fn format_time(at: OffsetDateTime) -> Result<String, IndexError> {
    at.format(&Rfc3339)
        .map_err(|error| IndexError::Corrupt(error.to_string()))
}

fn parse_time(text: &str, what: &str) -> Result<OffsetDateTime, IndexError> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| IndexError::Corrupt(format!("the {what} of an item: {text:?}")))
}

/// `P#{photo id}`: a photo.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct PhotoItem {
    #[serde(with = "attributes::string")]
    pub pk: String,
    #[serde(with = "attributes::string")]
    pub sk: String,
    /// Its place in the timeline index ([`timeline_key`]); absent from a
    /// photo out of the timeline (archived, trashed, or a Live Photo's video
    /// joined to its still).
    #[serde(
        default,
        with = "attributes::optional_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub tl: Option<String>,
    /// Where `tl` was, while it is out of the timeline: its memberships are
    /// still named by it.
    #[serde(
        default,
        with = "attributes::optional_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub parked: Option<String>,
    #[serde(with = "attributes::string")]
    pub taken_at: String,
    #[serde(with = "attributes::string")]
    pub uploaded_at: String,
    /// The record's details, as [`encode_details`] writes them.
    #[serde(with = "attributes::string")]
    pub details: String,
    /// The albums it may be in (more, never fewer: see the module doc).
    #[serde(
        default,
        with = "attributes::string_set",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub albums: Vec<String>,
    /// When it was trashed, while it is (its `details` say so too): here for
    /// dedup's projection, and on its copies for the album pages' filter.
    #[serde(
        default,
        with = "attributes::optional_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub trashed: Option<String>,
}

impl PhotoItem {
    pub fn of(record: &PhotoRecord) -> Result<PhotoItem, IndexError> {
        let place = timeline_key(&record.position());
        let (tl, parked) = if record.state.in_view(View::Timeline) {
            (Some(place), None)
        } else {
            (None, Some(place))
        };
        Ok(PhotoItem {
            pk: partition(&record.owner),
            sk: format!("P#{}", record.id),
            tl,
            parked,
            trashed: record.state.trashed_at.map(format_time).transpose()?,
            taken_at: format_time(record.taken_at)?,
            uploaded_at: format_time(record.uploaded_at)?,
            details: encode_details(record)?,
            albums: Vec::new(),
        })
    }

    pub fn record(&self, owner: &Owner) -> Result<PhotoRecord, IndexError> {
        let id = self
            .sk
            .strip_prefix("P#")
            .and_then(PhotoId::parse)
            .ok_or_else(|| IndexError::Corrupt(format!("the id of a photo item: {}", self.sk)))?;
        record(owner, id, &self.details, &self.taken_at, &self.uploaded_at)
    }

    /// Its timeline key, in the timeline or parked.
    pub fn place(&self) -> Result<&str, IndexError> {
        place(&self.tl, &self.parked, &self.sk)
    }
}

fn place<'a>(
    tl: &'a Option<String>,
    parked: &'a Option<String>,
    sk: &str,
) -> Result<&'a str, IndexError> {
    tl.as_deref()
        .or(parked.as_deref())
        .ok_or_else(|| IndexError::Corrupt(format!("the photo {sk} has no timeline key")))
}

/// A copy of a photo's record under another key, so a page of them is one
/// query: `M#{album id}#{tl}`, a photo in an album, and `F#{tl}`, `H#{tl}`,
/// `T#{tl}`, a photo in Favorites, the archive or the trash. A change of the
/// photo's record ([`super::DynamoIndex::change`], a Live Photo's joining)
/// writes its copies again.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct MemberItem {
    #[serde(with = "attributes::string")]
    pub pk: String,
    #[serde(with = "attributes::string")]
    pub sk: String,
    #[serde(with = "attributes::string")]
    pub taken_at: String,
    #[serde(with = "attributes::string")]
    pub uploaded_at: String,
    #[serde(with = "attributes::string")]
    pub details: String,
    /// The photo's own (an album lists none that is trashed).
    #[serde(
        default,
        with = "attributes::optional_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub trashed: Option<String>,
}

impl MemberItem {
    /// `photo`'s membership of `album`.
    pub fn copying(photo: &PhotoItem, album: &str) -> Result<MemberItem, IndexError> {
        Ok(MemberItem {
            pk: photo.pk.clone(),
            sk: member_sk(album, photo.place()?),
            taken_at: photo.taken_at.clone(),
            uploaded_at: photo.uploaded_at.clone(),
            details: photo.details.clone(),
            trashed: photo.trashed.clone(),
        })
    }

    /// `record`'s copy in `view` (not the timeline, which is the photo's own
    /// `tl`), its timeline key being `place`.
    pub fn in_view(
        record: &PhotoRecord,
        view: View,
        place: &str,
    ) -> Result<MemberItem, IndexError> {
        Ok(MemberItem {
            pk: partition(&record.owner),
            sk: format!("{}{place}", view_prefix(view)),
            taken_at: format_time(record.taken_at)?,
            uploaded_at: format_time(record.uploaded_at)?,
            details: encode_details(record)?,
            trashed: record.state.trashed_at.map(format_time).transpose()?,
        })
    }

    /// The record it copies; the id ends its sort key (the `tl`'s own end).
    pub fn record(&self, owner: &Owner) -> Result<PhotoRecord, IndexError> {
        let id = self
            .sk
            .rsplit('#')
            .next()
            .and_then(PhotoId::parse)
            .ok_or_else(|| {
                IndexError::Corrupt(format!("the key of an album's photo: {}", self.sk))
            })?;
        record(owner, id, &self.details, &self.taken_at, &self.uploaded_at)
    }
}

/// The sort key of the photo whose timeline key is `tl`, in the album `album`.
pub(super) fn member_sk(album: &str, tl: &str) -> String {
    format!("M#{album}#{tl}")
}

/// What the sort keys of a view's copies begin with (the timeline has none:
/// it is the `timeline` index).
pub(super) fn view_prefix(view: View) -> &'static str {
    match view {
        View::Timeline => "P#",
        View::Favorites => "F#",
        View::Archive => "H#",
        View::Trash => "T#",
    }
}

/// What the sort keys of a view's day counts begin with.
pub(super) fn view_days_prefix(view: View) -> &'static str {
    match view {
        View::Timeline => "D#",
        View::Favorites => "DF#",
        View::Archive => "DH#",
        View::Trash => "DT#",
    }
}

/// The partition of every owner's trashed photos (one item each, `sk`
/// `{sub}#{id}`), whose `tl` (`{trash time}#{sub}#{id}`) puts them in the
/// `timeline` index in the order they were trashed: the purge's queue.
pub(super) const TRASH_PARTITION: &str = "TRASH";

/// A photo's entry in [`TRASH_PARTITION`].
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct TrashEntry {
    #[serde(with = "attributes::string")]
    pub pk: String,
    #[serde(with = "attributes::string")]
    pub sk: String,
    #[serde(with = "attributes::string")]
    pub tl: String,
    #[serde(with = "attributes::string")]
    pub owner: String,
    #[serde(with = "attributes::string")]
    pub id: String,
}

fn record(
    owner: &Owner,
    id: PhotoId,
    details: &str,
    taken_at: &str,
    uploaded_at: &str,
) -> Result<PhotoRecord, IndexError> {
    decode_details(
        details,
        owner.clone(),
        id,
        parse_time(taken_at, "taken_at")?,
        parse_time(uploaded_at, "uploaded_at")?,
    )
}

/// `V#{content identifier}`: a Live Photo's halves, each once noted.
#[derive(Debug, Deserialize)]
pub(super) struct LiveItem {
    #[serde(default, with = "attributes::optional_string")]
    pub still: Option<String>,
    #[serde(default, with = "attributes::optional_string")]
    pub video: Option<String>,
}

/// Any item read for its sort key alone (`ProjectionExpression: sk`).
#[derive(Debug, Deserialize)]
pub(super) struct SortKey {
    #[serde(with = "attributes::string")]
    pub sk: String,
}

/// A photo read for dedup (`ProjectionExpression: sk, trashed`).
#[derive(Debug, Deserialize)]
pub(super) struct Presence {
    #[serde(with = "attributes::string")]
    pub sk: String,
    #[serde(default, with = "attributes::optional_string")]
    pub trashed: Option<String>,
}

/// A photo read for its timeline key alone (`ProjectionExpression:
/// TIMELINE_KEY_ATTRIBUTES`).
#[derive(Debug, Deserialize)]
pub(super) struct TimelineKey {
    #[serde(with = "attributes::string")]
    pub sk: String,
    #[serde(default, with = "attributes::optional_string")]
    pub tl: Option<String>,
    #[serde(default, with = "attributes::optional_string")]
    pub parked: Option<String>,
}

pub(super) const TIMELINE_KEY_ATTRIBUTES: &str = "sk, tl, parked";

impl TimelineKey {
    pub fn place(&self) -> Result<&str, IndexError> {
        place(&self.tl, &self.parked, &self.sk)
    }
}

/// `D#{YYYY-MM-DD}` (a day's count) read as `sk, n`; `X#{window}` (deletes
/// taken) answered as `n`. The counted `ids` only updates touch.
#[derive(Debug, Deserialize)]
pub(super) struct Count {
    #[serde(default, with = "attributes::string")]
    pub sk: String,
    #[serde(with = "attributes::number")]
    pub n: i64,
}

/// `A#{album id}`: an album. Its counted `ids` only the count's updates touch.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct AlbumItem {
    #[serde(with = "attributes::string")]
    pub pk: String,
    #[serde(with = "attributes::string")]
    pub sk: String,
    #[serde(with = "attributes::string")]
    pub title: String,
    #[serde(with = "attributes::string")]
    pub created_at: String,
    #[serde(with = "attributes::string")]
    pub updated_at: String,
    /// The chosen cover's timeline key.
    #[serde(
        default,
        with = "attributes::optional_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cover: Option<String>,
    #[serde(with = "attributes::number")]
    pub n: i64,
}

impl AlbumItem {
    pub fn id(&self) -> Result<AlbumId, IndexError> {
        self.sk
            .strip_prefix("A#")
            .and_then(AlbumId::parse)
            .ok_or_else(|| IndexError::Corrupt(format!("the id of an album item: {}", self.sk)))
    }

    pub fn created_at(&self) -> Result<OffsetDateTime, IndexError> {
        parse_time(&self.created_at, "created_at")
    }

    pub fn updated_at(&self) -> Result<OffsetDateTime, IndexError> {
        parse_time(&self.updated_at, "updated_at")
    }

    pub fn count(&self) -> u32 {
        u32::try_from(self.n.max(0)).unwrap_or(u32::MAX)
    }
}

/// `S#{token}` (the public page's) and `L#{token}` (its owner's list): a
/// share link, the same attributes under either key.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct ShareItem {
    #[serde(with = "attributes::string")]
    pub pk: String,
    #[serde(with = "attributes::string")]
    pub sk: String,
    #[serde(with = "attributes::string")]
    pub owner: String,
    #[serde(with = "attributes::string")]
    pub album: String,
    #[serde(with = "attributes::string")]
    pub created_at: String,
    #[serde(
        default,
        with = "attributes::optional_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub expires_at: Option<String>,
    #[serde(with = "attributes::boolean")]
    pub allow_download: bool,
    /// Links made before the option have none: they keep the location private.
    #[serde(default, with = "attributes::boolean")]
    pub show_location: bool,
}

impl ShareItem {
    /// `share` under the key `pk`/`sk`.
    pub fn of(share: &ShareRecord, pk: String, sk: String) -> Result<ShareItem, IndexError> {
        Ok(ShareItem {
            pk,
            sk,
            owner: share.owner.as_str().to_owned(),
            album: share.album.as_str().to_owned(),
            created_at: format_time(share.created_at)?,
            expires_at: share.expires_at.map(format_time).transpose()?,
            allow_download: share.allow_download,
            show_location: share.show_location,
        })
    }

    pub fn record(&self) -> Result<ShareRecord, IndexError> {
        let corrupt = |what: &str| IndexError::Corrupt(format!("the {what} of a share item"));
        Ok(ShareRecord {
            token: self
                .sk
                .get(2..)
                .and_then(ShareToken::parse)
                .ok_or_else(|| corrupt("token"))?,
            owner: Owner::new(&self.owner).ok_or_else(|| corrupt("owner"))?,
            album: AlbumId::parse(&self.album).ok_or_else(|| corrupt("album"))?,
            created_at: parse_time(&self.created_at, "created_at")?,
            expires_at: self
                .expires_at
                .as_deref()
                .map(|at| parse_time(at, "expires_at"))
                .transpose()?,
            allow_download: self.allow_download,
            show_location: self.show_location,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_link_made_before_the_location_option_keeps_it_private() {
        let item = json!({
            "pk": {"S": "S#abcdefghijklmnopqrstuv"}, "sk": {"S": "S#abcdefghijklmnopqrstuv"},
            "owner": {"S": "alice"}, "album": {"S": "0123456789abcdef0123456789abcdef"},
            "created_at": {"S": "2026-01-01T00:00:00Z"}, "allow_download": {"BOOL": true}
        });
        let share = from_json::<ShareItem>(&item, "share")
            .and_then(|item| item.record())
            .expect("reads");
        assert!(!share.show_location && share.allow_download && share.expires_at.is_none());
    }

    #[test]
    fn an_item_of_the_wrong_shape_is_corrupt_and_says_which_kind() {
        let item = json!({"pk": {"S": "U#alice"}, "sk": {"S": "A#x"}, "title": {"N": "3"}});
        match from_json::<AlbumItem>(&item, "album") {
            Err(IndexError::Corrupt(why)) => assert!(why.contains("album item"), "{why}"),
            other => panic!("{other:?}"),
        }
        let not_an_item = json!(["S", "x"]);
        assert!(matches!(
            from_json::<SortKey>(&not_an_item, "photo"),
            Err(IndexError::Corrupt(_))
        ));
    }

    #[test]
    fn a_photo_without_albums_writes_no_empty_set() {
        // DynamoDB refuses an empty set: a new photo has no `albums` at all.
        let item = PhotoItem {
            pk: "U#alice".into(),
            sk: format!("P#{}", "a".repeat(64)),
            tl: Some("tl".into()),
            parked: None,
            taken_at: "2026-01-01T00:00:00Z".into(),
            uploaded_at: "2026-01-01T00:00:00Z".into(),
            details: "{}".into(),
            albums: Vec::new(),
            trashed: None,
        };
        let json = to_json(&item).expect("json");
        assert_eq!(json["sk"], json!({"S": item.sk}));
        assert!(json.get("albums").is_none(), "{json}");
        let with_album = PhotoItem {
            albums: vec!["0123456789abcdef0123456789abcdef".into()],
            ..item
        };
        assert_eq!(
            to_json(&with_album).expect("json")["albums"],
            json!({"SS": ["0123456789abcdef0123456789abcdef"]})
        );
    }
}
