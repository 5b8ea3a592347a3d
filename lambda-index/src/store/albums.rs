//! [`AlbumIndex`]: a user's albums, which photos are in each, and the share
//! links that open one album to anyone holding the link.
//!
//! An album holds references to its owner's photos, never copies: a photo
//! deleted from the timeline leaves every album at once ([`PhotoIndex::remove`]
//! takes its memberships with it), and deleting an album leaves its photos
//! alone. An album's photos come in timeline order (camera's clock, then id),
//! paged by the same [`Position`]s as the timeline.
//!
//! [`PhotoIndex::remove`]: super::PhotoIndex::remove

use async_trait::async_trait;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use time::OffsetDateTime;

use super::{IndexError, Owner, PhotoId, PhotoRecord, Position};

/// An album's id: 128 random bits, lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AlbumId(String);

impl AlbumId {
    pub fn random() -> Result<AlbumId, IndexError> {
        let bytes = random_bytes()?;
        Ok(AlbumId(hex::encode(bytes)))
    }

    pub fn parse(id: &str) -> Option<AlbumId> {
        let valid = id.len() == 32
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid.then(|| AlbumId(id.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A share link's secret: 128 random bits, base64url (22 characters). Holding
/// it is the only thing a visitor needs, so it is never logged.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ShareToken(String);

impl ShareToken {
    pub fn random() -> Result<ShareToken, IndexError> {
        Ok(ShareToken(URL_SAFE_NO_PAD.encode(random_bytes()?)))
    }

    pub fn parse(token: &str) -> Option<ShareToken> {
        let valid = token.len() == 22
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        valid.then(|| ShareToken(token.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ShareToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShareToken(…)")
    }
}

fn random_bytes() -> Result<[u8; 16], IndexError> {
    let mut bytes = [0_u8; 16];
    getrandom::getrandom(&mut bytes)
        .map_err(|error| IndexError::Unavailable(format!("no randomness: {error}")))?;
    Ok(bytes)
}

/// An album as stored, with what its list and page show.
#[derive(Debug, Clone, PartialEq)]
pub struct AlbumRecord {
    pub owner: Owner,
    pub id: AlbumId,
    pub title: String,
    pub created_at: OffsetDateTime,
    /// The last change of title, cover or photos.
    pub updated_at: OffsetDateTime,
    /// The cover its owner chose, while that photo is in the album.
    pub chosen_cover: Option<PhotoId>,
    pub count: u32,
    /// What to show for it: the chosen cover, else the newest photo.
    pub cover: Option<PhotoRecord>,
}

/// A change to an album; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct AlbumEdit {
    pub title: Option<String>,
    pub cover: Option<PhotoId>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Edited {
    Done(Box<AlbumRecord>),
    NoAlbum,
    /// The cover asked for is not a photo in the album.
    CoverNotInAlbum,
}

/// What adding photos did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Added {
    pub added: Vec<PhotoId>,
    pub already_there: Vec<PhotoId>,
    /// Not the owner's photos: left out.
    pub not_found: Vec<PhotoId>,
}

/// A share link as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareRecord {
    pub token: ShareToken,
    pub owner: Owner,
    pub album: AlbumId,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub allow_download: bool,
    /// Visitors see where photos were taken, and download originals.
    pub show_location: bool,
}

impl ShareRecord {
    pub fn expired(&self, now: OffsetDateTime) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

#[async_trait]
pub trait AlbumIndex: Send + Sync {
    async fn create_album(
        &self,
        owner: &Owner,
        id: &AlbumId,
        title: &str,
        at: OffsetDateTime,
    ) -> Result<(), IndexError>;

    /// Every album of `owner`, most recently changed first.
    async fn albums(&self, owner: &Owner) -> Result<Vec<AlbumRecord>, IndexError>;

    async fn album(&self, owner: &Owner, id: &AlbumId) -> Result<Option<AlbumRecord>, IndexError>;

    async fn edit_album(
        &self,
        owner: &Owner,
        id: &AlbumId,
        edit: AlbumEdit,
        at: OffsetDateTime,
    ) -> Result<Edited, IndexError>;

    /// Removes the album, its memberships and its share links (the photos
    /// stay); `false` if `owner` has no such album.
    async fn delete_album(&self, owner: &Owner, id: &AlbumId) -> Result<bool, IndexError>;

    /// Adds those of `photos` that are `owner`'s; `None` if there is no such album.
    async fn add_photos(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photos: &[PhotoId],
        at: OffsetDateTime,
    ) -> Result<Option<Added>, IndexError>;

    /// Takes `photo` out of the album; `None` if there is no such album,
    /// `Some(false)` if the photo was not in it.
    async fn remove_photo(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photo: &PhotoId,
        at: OffsetDateTime,
    ) -> Result<Option<bool>, IndexError>;

    /// Whether `photo` is in `owner`'s album `id` (a share link's visitor asks
    /// for one photo of it).
    async fn holds(&self, owner: &Owner, id: &AlbumId, photo: &PhotoId)
    -> Result<bool, IndexError>;

    /// Up to `limit` of the album's photos, newest first, strictly after `after`.
    async fn album_page(
        &self,
        owner: &Owner,
        id: &AlbumId,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError>;

    async fn create_share(&self, share: &ShareRecord) -> Result<(), IndexError>;

    /// `owner`'s links, newest first, expired ones included.
    async fn shares(&self, owner: &Owner) -> Result<Vec<ShareRecord>, IndexError>;

    /// The link `token` opens, whoever asks (the public page): one lookup by
    /// the token itself.
    async fn share(&self, token: &ShareToken) -> Result<Option<ShareRecord>, IndexError>;

    /// Revokes `owner`'s link; `false` if they have no such link.
    async fn revoke_share(&self, owner: &Owner, token: &ShareToken) -> Result<bool, IndexError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_tokens_are_random_and_refuse_anything_else() {
        let (a, b) = (
            AlbumId::random().expect("id"),
            AlbumId::random().expect("id"),
        );
        assert_ne!(a, b);
        assert_eq!(AlbumId::parse(a.as_str()), Some(a.clone()));
        assert_eq!(AlbumId::parse(&a.as_str().to_uppercase()), None);
        assert_eq!(AlbumId::parse("../etc"), None);
        let token = ShareToken::random().expect("token");
        assert_eq!(token.as_str().len(), 22, "128 bits in base64url");
        assert_eq!(ShareToken::parse(token.as_str()), Some(token.clone()));
        assert_eq!(
            ShareToken::parse(&format!("{}=", &token.as_str()[..21])),
            None
        );
        assert!(
            !format!("{token:?}").contains(token.as_str()),
            "never printed"
        );
    }
}
