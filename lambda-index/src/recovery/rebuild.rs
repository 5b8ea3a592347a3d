//! Puts back into an index what the bucket holds: each photo from its kept
//! record, each Live Photo joined again from its halves' `live_id`s, each
//! album replayed from its changes, with its share links. Safe to repeat and
//! safe over an index that already holds some of it: what is there is left
//! as it is.

use std::fmt;

use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    Library, RecoveryError, document,
    inventory::{Holdings, Inventory},
};
use crate::store::{
    AlbumId, IndexError, Inserted, ObjectKey, PhotoId, ShareRecord, ShareToken,
    album_log::{self, AlbumEvent},
    albums::AlbumEdit,
    live, record_object,
};

/// How many photos one `add_photos` call is given.
const ADD_CHUNK: usize = 100;

/// What a rebuild did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    pub photos: u64,
    pub photos_already_there: u64,
    pub albums: u64,
    pub albums_already_there: u64,
    /// Album memberships put back.
    pub in_albums: u64,
    pub shares: u64,
    /// Objects that could not be used, and why; the rest was rebuilt.
    pub problems: Vec<Problem>,
}

impl fmt::Display for Rebuilt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Put back {} photos ({} were there already), {} albums ({} were there already) \
             holding {} photos, and {} share links.",
            self.photos,
            self.photos_already_there,
            self.albums,
            self.albums_already_there,
            self.in_albums,
            self.shares
        )?;
        super::list_some(f, "could not be used", &self.problems)
    }
}

/// An object a rebuild could not use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub key: String,
    pub what: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.what)
    }
}

/// What putting one photo back did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoOutcome {
    PutBack,
    AlreadyThere,
    /// Its record or its original is missing or unreadable (a problem says which).
    Unusable,
}

/// What putting one album back did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlbumOutcome {
    PutBack {
        photos: u64,
        shares: u64,
    },
    AlreadyThere,
    /// Deleted, or its changes never made it (a problem says why when unreadable).
    Gone,
}

/// Rebuilds every owner's library in the bucket into `library`'s index:
/// photos first, so the albums find them.
pub async fn rebuild(
    library: Library<'_>,
    inventory: &Inventory,
) -> Result<Rebuilt, RecoveryError> {
    let mut rebuilt = Rebuilt::default();
    for holdings in inventory.owners.values() {
        for id in &holdings.records {
            match photo(library, holdings, id, &mut rebuilt.problems).await? {
                PhotoOutcome::PutBack => rebuilt.photos += 1,
                PhotoOutcome::AlreadyThere => rebuilt.photos_already_there += 1,
                PhotoOutcome::Unusable => {}
            }
        }
        for (album_id, changes) in &holdings.albums {
            match album(library, holdings, album_id, changes, &mut rebuilt.problems).await? {
                AlbumOutcome::PutBack { photos, shares } => {
                    rebuilt.albums += 1;
                    rebuilt.in_albums += photos;
                    rebuilt.shares += shares;
                }
                AlbumOutcome::AlreadyThere => rebuilt.albums_already_there += 1,
                AlbumOutcome::Gone => {}
            }
        }
    }
    Ok(rebuilt)
}

/// Puts photo `id` back from its kept record, and joins it to its Live
/// Photo's other half when that is indexed.
pub async fn photo(
    library: Library<'_>,
    holdings: &Holdings,
    id: &PhotoId,
    problems: &mut Vec<Problem>,
) -> Result<PhotoOutcome, RecoveryError> {
    let key = ObjectKey::photo_record(&holdings.owner, id);
    let mut problem = |what: String| -> Result<PhotoOutcome, RecoveryError> {
        problems.push(Problem {
            key: key.as_str().to_owned(),
            what,
        });
        Ok(PhotoOutcome::Unusable)
    };
    if !holdings.originals.contains_key(id) {
        return problem("its original is not in the bucket".into());
    }
    let record = match document(library.objects, &key).await {
        Ok(bytes) => match record_object::decode(&bytes, holdings.owner.clone()) {
            Ok(record) => record,
            Err(error) => return problem(error.to_string()),
        },
        Err(error) => return problem(error.to_string()),
    };
    if record.id != *id {
        return problem(format!("it is the record of another photo, {}", record.id));
    }
    let outcome = match library.index.insert(&record).await? {
        Inserted::New => PhotoOutcome::PutBack,
        Inserted::AlreadyThere(_) => PhotoOutcome::AlreadyThere,
    };
    live::pair(library.index, &record).await?;
    Ok(outcome)
}

/// Puts album `album_id` back as its `changes` (names, in order) leave it,
/// with the photos of it that are indexed and its share links.
pub async fn album(
    library: Library<'_>,
    holdings: &Holdings,
    album_id: &AlbumId,
    changes: &[String],
    problems: &mut Vec<Problem>,
) -> Result<AlbumOutcome, RecoveryError> {
    let owner = &holdings.owner;
    if library.albums.album(owner, album_id).await?.is_some() {
        return Ok(AlbumOutcome::AlreadyThere);
    }
    let Some(album) = replayed(library, holdings, album_id, changes, problems).await? else {
        return Ok(AlbumOutcome::Gone);
    };
    library
        .albums
        .create_album(owner, album_id, &album.title, album.created_at)
        .await?;
    let photos: Vec<PhotoId> = album
        .photos
        .iter()
        .filter_map(|id| PhotoId::parse(id))
        .collect();
    let mut added = 0;
    for chunk in photos.chunks(ADD_CHUNK) {
        if let Some(result) = library
            .albums
            .add_photos(owner, album_id, chunk, album.updated_at)
            .await?
        {
            added += result.added.len() as u64;
        }
    }
    if let Some(cover) = album.cover.as_deref().and_then(PhotoId::parse) {
        let edit = AlbumEdit {
            title: None,
            cover: Some(cover),
        };
        // A cover whose photo was not put back is left unchosen.
        library
            .albums
            .edit_album(owner, album_id, edit, album.updated_at)
            .await?;
    }
    let mut shares = 0;
    for shared in album.shares.values() {
        match share(owner, album_id, shared) {
            Ok(share) => {
                if library.albums.share(&share.token).await?.is_none() {
                    library.albums.create_share(&share).await?;
                    shares += 1;
                }
            }
            Err(error) => problems.push(Problem {
                key: format!("u/{}/a/{}/", owner.as_str(), album_id.as_str()),
                what: error.to_string(),
            }),
        }
    }
    Ok(AlbumOutcome::PutBack {
        photos: added,
        shares,
    })
}

/// The album `changes` (names, in order) leave: `None` when it was deleted.
/// A change that cannot be read is a problem, and the rest still replays:
/// one change lost leaves the album a little behind, not gone.
pub async fn replayed(
    library: Library<'_>,
    holdings: &Holdings,
    album_id: &AlbumId,
    changes: &[String],
    problems: &mut Vec<Problem>,
) -> Result<Option<album_log::Replayed>, RecoveryError> {
    let mut read = Vec::with_capacity(changes.len());
    for name in changes {
        let key = ObjectKey::album_change(&holdings.owner, album_id, name);
        let decoded = match document(library.objects, &key).await {
            Ok(bytes) => album_log::decode(&bytes).map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        match decoded {
            Ok(change) => read.push(change),
            Err(what) => problems.push(Problem {
                key: key.as_str().to_owned(),
                what,
            }),
        }
    }
    Ok(album_log::replay(read))
}

/// The link a `Shared` change made.
fn share(
    owner: &crate::store::Owner,
    album: &AlbumId,
    shared: &AlbumEvent,
) -> Result<ShareRecord, IndexError> {
    let corrupt = |what: &str| IndexError::Corrupt(format!("a share link's change: {what}"));
    let AlbumEvent::Shared {
        token,
        created_at,
        expires_at,
        allow_download,
        show_location,
    } = shared
    else {
        return Err(corrupt("not a link"));
    };
    let time = |text: &str| OffsetDateTime::parse(text, &Rfc3339).map_err(|_| corrupt(text));
    Ok(ShareRecord {
        token: ShareToken::parse(token).ok_or_else(|| corrupt("its token"))?,
        owner: owner.clone(),
        album: album.clone(),
        created_at: time(created_at)?,
        expires_at: expires_at.as_deref().map(time).transpose()?,
        allow_download: *allow_download,
        show_location: *show_location,
    })
}
