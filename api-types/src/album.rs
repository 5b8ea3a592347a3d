//! Albums and the share links made from them: `/albums…`, `/shares…`, and the
//! public `GET /public/{token}` a shared link's page reads.

use serde::{Deserialize, Serialize};

use crate::photo::{Photo, PhotoImage};

/// One album as its owner's list and page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Album {
    pub id: String,
    pub title: String,
    /// Photos in it now.
    pub count: u32,
    /// The chosen cover photo's id, if one was chosen and is still in the album.
    pub cover_id: Option<String>,
    /// The cover's thumbnail: the chosen cover's, else the newest photo's.
    pub cover: Option<PhotoImage>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// `GET /albums`: every album of the caller, most recently changed first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlbumList {
    pub items: Vec<Album>,
}

/// `POST /albums`: a new album, empty or with photos (a selection).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewAlbum {
    pub title: String,
    #[serde(default)]
    pub photo_ids: Vec<String>,
}

/// `PATCH /albums/{id}`: what to change; absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AlbumChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A photo in the album to be its cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover_id: Option<String>,
}

/// `POST /albums/{id}/photos`: photos to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddPhotos {
    pub ids: Vec<String>,
}

/// What adding photos did, id by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddedPhotos {
    pub added: Vec<String>,
    /// Already in the album: nothing changed.
    pub already_there: Vec<String>,
    /// Not the caller's photos (or no photos at all): left out.
    pub not_found: Vec<String>,
    /// The album afterwards.
    pub album: Album,
}

/// `POST /albums/{id}/shares`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewShare {
    /// RFC 3339; the link stops working then. None: until revoked.
    #[serde(default)]
    pub expires_at: Option<String>,
    #[serde(default)]
    pub allow_download: bool,
    /// Visitors see where photos were taken; and, with downloads on, get the
    /// originals (which hold it) instead of copies without it.
    #[serde(default)]
    pub show_location: bool,
}

/// A share link as its owner sees it (`GET /shares`, `POST …/shares`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub token: String,
    /// The page to send: `{origin}/s/{token}`.
    pub url: String,
    pub album_id: String,
    pub album_title: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub allow_download: bool,
    #[serde(default)]
    pub show_location: bool,
    /// Past its expiry (still listed, so its owner can see it and remove it).
    pub expired: bool,
}

/// `GET /shares`: the caller's links, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareList {
    pub items: Vec<Share>,
}

/// `GET /public/{token}`: what a link's visitor sees: the album's title and a
/// page of its photos, nothing else of its owner's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicAlbum {
    pub title: String,
    pub count: u32,
    pub allow_download: bool,
    /// Whether the owner shares where the photos were taken (`gps`, originals).
    #[serde(default)]
    pub show_location: bool,
    /// Photos as [`Photo`]: with downloads allowed, each has `original_url`
    /// when the link shows the location, else `download_url` (a copy without
    /// it); `gps` only when the link shows the location.
    pub items: Vec<Photo>,
    pub next_cursor: Option<String>,
}
