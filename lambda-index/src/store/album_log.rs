//! The bucket is the library, for albums: each change an album route makes
//! (made, renamed, cover, photos added or removed, a link made or revoked,
//! deleted) is kept as one small object beside the photos,
//! `u/{sub}/a/{album_id}/{microseconds}-{hash}.json`. A change is one write of
//! its own size, whatever the album holds; the album is its changes replayed
//! in order ([`replay`]), which is what rebuilding the index from the bucket
//! does. Keys sort by time, so listing an album's prefix lists its history.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    albums::{AlbumId, ShareRecord},
    index::IndexError,
    keys::{ObjectKey, Owner, PhotoId},
};

const VERSION: u32 = 1;
pub const CONTENT_TYPE: &str = "application/json";

/// One change to an album, as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum AlbumEvent {
    Created {
        title: String,
    },
    Renamed {
        title: String,
    },
    Cover {
        photo: Option<String>,
    },
    /// Photos now in the album (those already there included: replaying it
    /// twice changes nothing).
    Added {
        photos: Vec<String>,
    },
    Removed {
        photo: String,
    },
    Shared {
        token: String,
        created_at: String,
        expires_at: Option<String>,
        allow_download: bool,
        show_location: bool,
    },
    Revoked {
        token: String,
    },
    Deleted,
}

impl AlbumEvent {
    pub fn added(photos: &[PhotoId]) -> AlbumEvent {
        AlbumEvent::Added {
            photos: photos.iter().map(ToString::to_string).collect(),
        }
    }

    pub fn shared(share: &ShareRecord) -> Result<AlbumEvent, IndexError> {
        Ok(AlbumEvent::Shared {
            token: share.token.as_str().to_owned(),
            created_at: time(share.created_at)?,
            expires_at: share.expires_at.map(time).transpose()?,
            allow_download: share.allow_download,
            show_location: share.show_location,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    version: u32,
    at: String,
    #[serde(flatten)]
    change: AlbumEvent,
}

fn time(at: OffsetDateTime) -> Result<String, IndexError> {
    at.format(&Rfc3339)
        .map_err(|error| IndexError::Corrupt(format!("an album change's time: {error}")))
}

/// The object that keeps `change`, made at `at`: its key and its body.
pub fn entry(
    owner: &Owner,
    album: &AlbumId,
    at: OffsetDateTime,
    change: AlbumEvent,
) -> Result<(ObjectKey, Vec<u8>), IndexError> {
    let body = serde_json::to_vec(&Entry {
        version: VERSION,
        at: time(at)?,
        change,
    })
    .map_err(|error| IndexError::Corrupt(format!("an album change: {error}")))?;
    // Two changes in one microsecond differ in their hash; the same change
    // twice is the same object, harmlessly written again.
    let hash = hex::encode(&Sha256::digest(&body)[..4]);
    let micros = at.unix_timestamp_nanos() / 1000;
    let name = format!("{micros:020}-{hash}.json");
    Ok((ObjectKey::album_change(owner, album, &name), body))
}

/// A kept change and when it was made.
pub fn decode(bytes: &[u8]) -> Result<(OffsetDateTime, AlbumEvent), IndexError> {
    let corrupt = |what: String| IndexError::Corrupt(format!("an album change: {what}"));
    let entry: Entry = serde_json::from_slice(bytes).map_err(|error| corrupt(error.to_string()))?;
    if entry.version > VERSION {
        return Err(corrupt(format!(
            "version {} is newer than this code",
            entry.version
        )));
    }
    let at = OffsetDateTime::parse(&entry.at, &Rfc3339).map_err(|_| corrupt(entry.at.clone()))?;
    Ok((at, entry.change))
}

/// An album as its changes leave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed {
    pub title: String,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub cover: Option<String>,
    /// In the order they were added.
    pub photos: Vec<String>,
    /// Links not revoked, by token: (created, expires, allow download, show location).
    pub shares: BTreeMap<String, AlbumEvent>,
}

/// The album `changes` leave, or None: never made, or deleted. They are
/// replayed in the order they were made: by time, and, of changes one request
/// made at one instant (an album made with its photos), its making first;
/// others at one instant keep the order given (their keys').
pub fn replay(changes: impl IntoIterator<Item = (OffsetDateTime, AlbumEvent)>) -> Option<Replayed> {
    let mut changes: Vec<_> = changes.into_iter().collect();
    changes.sort_by_key(|(at, change)| (*at, !matches!(change, AlbumEvent::Created { .. })));
    let mut album: Option<Replayed> = None;
    for (at, change) in changes {
        match (change, album.as_mut()) {
            (AlbumEvent::Created { title }, _) => {
                album = Some(Replayed {
                    title,
                    created_at: at,
                    updated_at: at,
                    cover: None,
                    photos: Vec::new(),
                    shares: BTreeMap::new(),
                });
            }
            (AlbumEvent::Deleted, _) => album = None,
            (_, None) => {}
            (AlbumEvent::Renamed { title }, Some(album)) => {
                album.title = title;
                album.updated_at = at;
            }
            // A cover the index refused (not in the album) was kept all the same.
            (AlbumEvent::Cover { photo }, Some(album)) => {
                if photo
                    .as_ref()
                    .is_none_or(|photo| album.photos.contains(photo))
                {
                    album.cover = photo;
                }
                album.updated_at = at;
            }
            (AlbumEvent::Added { photos }, Some(album)) => {
                for photo in photos {
                    if !album.photos.contains(&photo) {
                        album.photos.push(photo);
                    }
                }
                album.updated_at = at;
            }
            (AlbumEvent::Removed { photo }, Some(album)) => {
                album.photos.retain(|kept| *kept != photo);
                if album.cover.as_deref() == Some(photo.as_str()) {
                    album.cover = None;
                }
                album.updated_at = at;
            }
            (shared @ AlbumEvent::Shared { .. }, Some(album)) => {
                if let AlbumEvent::Shared { token, .. } = &shared {
                    album.shares.insert(token.clone(), shared.clone());
                }
            }
            (AlbumEvent::Revoked { token }, Some(album)) => {
                album.shares.remove(&token);
            }
        }
    }
    album
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn owner() -> Owner {
        Owner::new("alice").expect("an owner")
    }

    fn album() -> AlbumId {
        AlbumId::parse(&"c".repeat(32)).expect("an album id")
    }

    fn kept(at: OffsetDateTime, change: AlbumEvent) -> (ObjectKey, (OffsetDateTime, AlbumEvent)) {
        let (key, body) = entry(&owner(), &album(), at, change).expect("an entry");
        (key, decode(&body).expect("it reads back"))
    }

    #[test]
    fn an_albums_changes_replayed_in_key_order_make_the_album() {
        let photo = |n: u8| format!("{n:064}");
        let mut changes = vec![
            kept(
                datetime!(2026-12-01 10:00 UTC),
                AlbumEvent::Created {
                    title: "Lisbon".into(),
                },
            ),
            kept(
                datetime!(2026-12-01 10:01 UTC),
                AlbumEvent::Added {
                    photos: vec![photo(1), photo(2)],
                },
            ),
            kept(
                datetime!(2026-12-01 10:02 UTC),
                AlbumEvent::Added {
                    photos: vec![photo(2), photo(3)],
                },
            ),
            kept(
                datetime!(2026-12-01 10:03 UTC),
                AlbumEvent::Cover {
                    photo: Some(photo(3)),
                },
            ),
            kept(
                datetime!(2026-12-01 10:04 UTC),
                AlbumEvent::Removed { photo: photo(3) },
            ),
            kept(
                datetime!(2026-12-01 10:05 UTC),
                AlbumEvent::Renamed {
                    title: "Summer in Lisbon".into(),
                },
            ),
            kept(
                datetime!(2026-12-01 10:06 UTC),
                AlbumEvent::Shared {
                    token: "t1".into(),
                    created_at: "2026-12-01T10:06:00Z".into(),
                    expires_at: None,
                    allow_download: true,
                    show_location: false,
                },
            ),
            kept(
                datetime!(2026-12-01 10:07 UTC),
                AlbumEvent::Shared {
                    token: "t2".into(),
                    created_at: "2026-12-01T10:07:00Z".into(),
                    expires_at: None,
                    allow_download: false,
                    show_location: false,
                },
            ),
            kept(
                datetime!(2026-12-01 10:08 UTC),
                AlbumEvent::Revoked { token: "t1".into() },
            ),
        ];
        // Listed in any order, the keys put them back in time order.
        changes.reverse();
        changes.sort_by(|(a, _), (b, _)| a.as_str().cmp(b.as_str()));
        let album = replay(changes.into_iter().map(|(_, change)| change)).expect("an album");
        assert_eq!(album.title, "Summer in Lisbon");
        assert_eq!(album.photos, vec![photo(1), photo(2)]);
        assert_eq!(album.cover, None, "its cover was taken out");
        assert_eq!(album.shares.keys().collect::<Vec<_>>(), vec!["t2"]);
        assert_eq!(album.created_at, datetime!(2026-12-01 10:00 UTC));
        assert_eq!(album.updated_at, datetime!(2026-12-01 10:05 UTC));
    }

    #[test]
    fn an_album_made_with_its_photos_at_one_instant_has_them_whatever_the_keys_order() {
        let at = datetime!(2026-12-01 10:00 UTC);
        let photo = "1".repeat(64);
        let added = AlbumEvent::Added {
            photos: vec![photo.clone()],
        };
        let created = AlbumEvent::Created { title: "a".into() };
        let cover = AlbumEvent::Cover {
            photo: Some("2".repeat(64)),
        };
        let album = replay([(at, added), (at, cover), (at, created)]).expect("an album");
        assert_eq!(album.photos, vec![photo]);
        assert_eq!(
            album.cover, None,
            "a cover not in the album is not its cover"
        );
    }

    #[test]
    fn a_deleted_album_replays_to_nothing() {
        let changes = [
            (
                datetime!(2026-12-01 10:00 UTC),
                AlbumEvent::Created { title: "a".into() },
            ),
            (datetime!(2026-12-01 10:01 UTC), AlbumEvent::Deleted),
            (
                datetime!(2026-12-01 10:02 UTC),
                AlbumEvent::Renamed { title: "b".into() },
            ),
        ];
        assert_eq!(replay(changes), None);
    }

    #[test]
    fn keys_are_the_owners_and_sort_by_time() {
        let (early, _) = entry(
            &owner(),
            &album(),
            datetime!(2026-12-01 10:00 UTC),
            AlbumEvent::Deleted,
        )
        .expect("an entry");
        let (late, _) = entry(
            &owner(),
            &album(),
            datetime!(2026-12-01 10:00:00.000001 UTC),
            AlbumEvent::Deleted,
        )
        .expect("an entry");
        assert!(
            early
                .as_str()
                .starts_with(&format!("u/alice/a/{}/", "c".repeat(32)))
        );
        assert!(early.as_str() < late.as_str());
        assert!(
            decode(b"{\"version\":9,\"at\":\"2026-12-01T10:00:00Z\",\"change\":\"deleted\"}")
                .is_err()
        );
    }
}
