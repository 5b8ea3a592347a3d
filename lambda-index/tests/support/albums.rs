//! [`AlbumIndex`] in memory, over [`MemoryIndex`]'s own photo records, so a
//! photo removed from the timeline leaves its albums as it does in SQLite.

use std::collections::BTreeSet;

use async_trait::async_trait;
use lambda_index::store::{
    AlbumId, AlbumIndex, AlbumRecord, IndexError, Owner, PhotoId, PhotoRecord, Position,
    ShareRecord, ShareToken,
    albums::{Added, AlbumEdit, Edited},
};
use time::OffsetDateTime;

use super::MemoryIndex;

type Records = std::collections::HashMap<(String, String), PhotoRecord>;

pub struct MemoryAlbum {
    title: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    chosen_cover: Option<PhotoId>,
    photos: BTreeSet<PhotoId>,
}

fn key(owner: &Owner, id: &AlbumId) -> (String, String) {
    (owner.as_str().to_owned(), id.as_str().to_owned())
}

fn newest_first(record: &PhotoRecord) -> std::cmp::Reverse<(i64, PhotoId)> {
    let position = record.position();
    std::cmp::Reverse((position.clock_ms, position.id))
}

impl MemoryIndex {
    /// Takes a deleted photo out of its owner's albums.
    pub fn forget_in_albums(&self, owner: &Owner, photo: &PhotoId) {
        let mut albums = self.albums.lock().expect("lock");
        for ((album_owner, _), album) in albums.iter_mut() {
            if album_owner == owner.as_str() {
                album.photos.remove(photo);
            }
        }
    }

    /// The album's photos, newest first.
    fn photos_of(records: &Records, owner: &Owner, album: &MemoryAlbum) -> Vec<PhotoRecord> {
        let mut photos: Vec<PhotoRecord> = album
            .photos
            .iter()
            .filter_map(|photo| {
                records
                    .get(&(owner.as_str().to_owned(), photo.as_str().to_owned()))
                    .filter(|record| record.state.trashed_at.is_none())
                    .cloned()
            })
            .collect();
        photos.sort_by_key(newest_first);
        photos
    }

    fn record(&self, owner: &Owner, id: &AlbumId) -> Option<AlbumRecord> {
        let records = self.records.lock().expect("lock");
        let albums = self.albums.lock().expect("lock");
        let album = albums.get(&key(owner, id))?;
        let photos = MemoryIndex::photos_of(&records, owner, album);
        let chosen_cover = album
            .chosen_cover
            .clone()
            .filter(|cover| photos.iter().any(|photo| &photo.id == cover));
        let cover = match &chosen_cover {
            Some(chosen) => photos.iter().find(|photo| &photo.id == chosen).cloned(),
            None => photos.first().cloned(),
        };
        Some(AlbumRecord {
            owner: owner.clone(),
            id: id.clone(),
            title: album.title.clone(),
            created_at: album.created_at,
            updated_at: album.updated_at,
            chosen_cover,
            count: photos.len() as u32,
            cover,
        })
    }
}

#[async_trait]
impl AlbumIndex for MemoryIndex {
    async fn create_album(
        &self,
        owner: &Owner,
        id: &AlbumId,
        title: &str,
        at: OffsetDateTime,
    ) -> Result<(), IndexError> {
        self.albums.lock().expect("lock").insert(
            key(owner, id),
            MemoryAlbum {
                title: title.to_owned(),
                created_at: at,
                updated_at: at,
                chosen_cover: None,
                photos: BTreeSet::new(),
            },
        );
        Ok(())
    }

    async fn albums(&self, owner: &Owner) -> Result<Vec<AlbumRecord>, IndexError> {
        let ids: Vec<AlbumId> = self
            .albums
            .lock()
            .expect("lock")
            .keys()
            .filter(|(album_owner, _)| album_owner == owner.as_str())
            .filter_map(|(_, id)| AlbumId::parse(id))
            .collect();
        let mut albums: Vec<AlbumRecord> =
            ids.iter().filter_map(|id| self.record(owner, id)).collect();
        albums.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.id.cmp(&b.id)));
        Ok(albums)
    }

    async fn album(&self, owner: &Owner, id: &AlbumId) -> Result<Option<AlbumRecord>, IndexError> {
        Ok(self.record(owner, id))
    }

    async fn edit_album(
        &self,
        owner: &Owner,
        id: &AlbumId,
        edit: AlbumEdit,
        at: OffsetDateTime,
    ) -> Result<Edited, IndexError> {
        {
            let mut albums = self.albums.lock().expect("lock");
            let Some(album) = albums.get_mut(&key(owner, id)) else {
                return Ok(Edited::NoAlbum);
            };
            if let Some(cover) = edit.cover {
                if !album.photos.contains(&cover) {
                    return Ok(Edited::CoverNotInAlbum);
                }
                album.chosen_cover = Some(cover);
            }
            if let Some(title) = edit.title {
                album.title = title;
            }
            album.updated_at = at;
        }
        Ok(self
            .record(owner, id)
            .map_or(Edited::NoAlbum, |album| Edited::Done(Box::new(album))))
    }

    async fn delete_album(&self, owner: &Owner, id: &AlbumId) -> Result<bool, IndexError> {
        let deleted = self
            .albums
            .lock()
            .expect("lock")
            .remove(&key(owner, id))
            .is_some();
        self.shares
            .lock()
            .expect("lock")
            .retain(|share| !(&share.owner == owner && &share.album == id));
        Ok(deleted)
    }

    async fn add_photos(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photos: &[PhotoId],
        at: OffsetDateTime,
    ) -> Result<Option<Added>, IndexError> {
        let records = self.records.lock().expect("lock");
        let mut albums = self.albums.lock().expect("lock");
        let Some(album) = albums.get_mut(&key(owner, id)) else {
            return Ok(None);
        };
        let mut added = Added::default();
        for photo in photos {
            let owned =
                records.contains_key(&(owner.as_str().to_owned(), photo.as_str().to_owned()));
            if !owned {
                added.not_found.push(photo.clone());
            } else if album.photos.insert(photo.clone()) {
                added.added.push(photo.clone());
            } else {
                added.already_there.push(photo.clone());
            }
        }
        if !added.added.is_empty() {
            album.updated_at = at;
        }
        Ok(Some(added))
    }

    async fn remove_photo(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photo: &PhotoId,
        at: OffsetDateTime,
    ) -> Result<Option<bool>, IndexError> {
        let mut albums = self.albums.lock().expect("lock");
        let Some(album) = albums.get_mut(&key(owner, id)) else {
            return Ok(None);
        };
        let removed = album.photos.remove(photo);
        if removed {
            album.updated_at = at;
        }
        Ok(Some(removed))
    }

    async fn holds(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photo: &PhotoId,
    ) -> Result<bool, IndexError> {
        let records = self.records.lock().expect("lock");
        let albums = self.albums.lock().expect("lock");
        let trashed = records
            .get(&(owner.as_str().to_owned(), photo.as_str().to_owned()))
            .is_none_or(|record| record.state.trashed_at.is_some());
        Ok(!trashed
            && albums
                .get(&key(owner, id))
                .is_some_and(|album| album.photos.contains(photo)))
    }

    async fn album_page(
        &self,
        owner: &Owner,
        id: &AlbumId,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        let records = self.records.lock().expect("lock");
        let albums = self.albums.lock().expect("lock");
        let Some(album) = albums.get(&key(owner, id)) else {
            return Ok(Vec::new());
        };
        let after = after.map(|after| std::cmp::Reverse((after.clock_ms, after.id.clone())));
        Ok(MemoryIndex::photos_of(&records, owner, album)
            .into_iter()
            .filter(|photo| {
                after
                    .as_ref()
                    .is_none_or(|after| &newest_first(photo) > after)
            })
            .take(limit)
            .collect())
    }

    async fn create_share(&self, share: &ShareRecord) -> Result<(), IndexError> {
        self.shares.lock().expect("lock").push(share.clone());
        Ok(())
    }

    async fn shares(&self, owner: &Owner) -> Result<Vec<ShareRecord>, IndexError> {
        let mut mine: Vec<ShareRecord> = self
            .shares
            .lock()
            .expect("lock")
            .iter()
            // Newest first, also among links made in the same instant.
            .rev()
            .filter(|share| &share.owner == owner)
            .cloned()
            .collect();
        mine.sort_by_key(|share| std::cmp::Reverse(share.created_at));
        Ok(mine)
    }

    async fn share(&self, token: &ShareToken) -> Result<Option<ShareRecord>, IndexError> {
        Ok(self
            .shares
            .lock()
            .expect("lock")
            .iter()
            .find(|share| &share.token == token)
            .cloned())
    }

    async fn revoke_share(&self, owner: &Owner, token: &ShareToken) -> Result<bool, IndexError> {
        let mut shares = self.shares.lock().expect("lock");
        let before = shares.len();
        shares.retain(|share| !(&share.owner == owner && &share.token == token));
        Ok(shares.len() < before)
    }
}
