//! Albums and share links in the same SQLite file as the photos, so an album's
//! page is one join with the timeline and a deleted photo leaves its albums in
//! the same transaction (see `remove` in the parent module).

use async_trait::async_trait;
use lambda_index::store::{
    AlbumId, AlbumIndex, AlbumRecord, IndexError, Owner, PhotoId, PhotoRecord, Position,
    ShareRecord, ShareToken,
    albums::{Added, AlbumEdit, Edited},
};
use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;

use super::{SqliteIndex, format_time, get, parse_time, read_rows, unavailable};

/// A share as its row holds it.
type ShareRow = (String, String, String, String, Option<String>, bool, bool);

/// The album with its count and cover, read in `connection`.
fn album(
    connection: &Connection,
    owner: &Owner,
    id: &AlbumId,
) -> Result<Option<AlbumRecord>, IndexError> {
    let row: Option<(String, String, String, Option<String>)> = connection
        .prepare_cached(
            "SELECT title, created_at, updated_at, cover FROM albums WHERE owner = ?1 AND id = ?2",
        )
        .and_then(|mut statement| {
            statement
                .query_row(params![owner.as_str(), id.as_str()], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
                })
                .optional()
        })
        .map_err(unavailable)?;
    let Some((title, created_at, updated_at, chosen)) = row else {
        return Ok(None);
    };
    let count: u32 = connection
        .prepare_cached(
            "SELECT count(*) FROM album_photos a JOIN timeline t
               ON t.owner = a.owner AND t.clock_ms = a.clock_ms AND t.id = a.photo
             WHERE a.owner = ?1 AND a.album = ?2 AND t.trashed_ms IS NULL",
        )
        .and_then(|mut statement| {
            statement.query_row(params![owner.as_str(), id.as_str()], |row| row.get(0))
        })
        .map_err(unavailable)?;
    let chosen = match chosen.as_deref().and_then(PhotoId::parse) {
        Some(photo) if contains(connection, owner, id, &photo)? => Some(photo),
        _ => None,
    };
    let cover = match &chosen {
        Some(photo) => get(connection, owner, photo)?,
        None => page(connection, owner, id, None, 1)?.into_iter().next(),
    };
    Ok(Some(AlbumRecord {
        owner: owner.clone(),
        id: id.clone(),
        title,
        created_at: parse_time(&created_at)?,
        updated_at: parse_time(&updated_at)?,
        chosen_cover: chosen,
        count,
        cover,
    }))
}

/// Whether `photo` is listed in the album: in it, and not in the trash.
fn contains(
    connection: &Connection,
    owner: &Owner,
    id: &AlbumId,
    photo: &PhotoId,
) -> Result<bool, IndexError> {
    connection
        .prepare_cached(
            "SELECT 1 FROM album_photos a JOIN timeline t
               ON t.owner = a.owner AND t.clock_ms = a.clock_ms AND t.id = a.photo
             WHERE a.owner = ?1 AND a.album = ?2 AND a.photo = ?3 AND t.trashed_ms IS NULL",
        )
        .and_then(|mut statement| {
            statement.exists(params![owner.as_str(), id.as_str(), photo.as_str()])
        })
        .map_err(unavailable)
}

fn page(
    connection: &Connection,
    owner: &Owner,
    id: &AlbumId,
    after: Option<&Position>,
    limit: usize,
) -> Result<Vec<PhotoRecord>, IndexError> {
    // From the very newest: past any real time, and past any id.
    let (clock_ms, after_id) =
        after.map_or((i64::MAX, "g"), |after| (after.clock_ms, after.id.as_str()));
    let mut statement = connection
        .prepare_cached(
            "SELECT t.id, t.taken_at, t.uploaded_at, t.details
             FROM album_photos a JOIN timeline t
               ON t.owner = a.owner AND t.clock_ms = a.clock_ms AND t.id = a.photo
             WHERE a.owner = ?1 AND a.album = ?2 AND (a.clock_ms, a.photo) < (?3, ?4)
               AND t.trashed_ms IS NULL
             ORDER BY a.clock_ms DESC, a.photo DESC LIMIT ?5",
        )
        .map_err(unavailable)?;
    let rows = statement
        .query(params![
            owner.as_str(),
            id.as_str(),
            clock_ms,
            after_id,
            limit as i64
        ])
        .map_err(unavailable)?;
    read_rows(owner, rows)
}

fn touch(connection: &Connection, owner: &Owner, id: &AlbumId, at: &str) -> Result<(), IndexError> {
    connection
        .execute(
            "UPDATE albums SET updated_at = ?3 WHERE owner = ?1 AND id = ?2",
            params![owner.as_str(), id.as_str(), at],
        )
        .map(drop)
        .map_err(unavailable)
}

fn exists(connection: &Connection, owner: &Owner, id: &AlbumId) -> Result<bool, IndexError> {
    connection
        .prepare_cached("SELECT 1 FROM albums WHERE owner = ?1 AND id = ?2")
        .and_then(|mut statement| statement.exists(params![owner.as_str(), id.as_str()]))
        .map_err(unavailable)
}

const SHARE_COLUMNS: &str =
    "token, owner, album, created_at, expires_at, allow_download, show_location";

fn share_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<ShareRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn share_record(
    (token, owner, album, created_at, expires_at, allow_download, show_location): ShareRow,
) -> Result<ShareRecord, IndexError> {
    let corrupt = |what: &str| IndexError::Corrupt(format!("a share's {what}"));
    Ok(ShareRecord {
        token: ShareToken::parse(&token).ok_or_else(|| corrupt("token"))?,
        owner: Owner::new(&owner).ok_or_else(|| corrupt("owner"))?,
        album: AlbumId::parse(&album).ok_or_else(|| corrupt("album"))?,
        created_at: parse_time(&created_at)?,
        expires_at: expires_at.as_deref().map(parse_time).transpose()?,
        allow_download,
        show_location,
    })
}

#[async_trait]
impl AlbumIndex for SqliteIndex {
    async fn create_album(
        &self,
        owner: &Owner,
        id: &AlbumId,
        title: &str,
        at: OffsetDateTime,
    ) -> Result<(), IndexError> {
        let (owner, id, title, at) = (
            owner.clone(),
            id.clone(),
            title.to_owned(),
            format_time(at)?,
        );
        self.write(move |connection| {
            connection
                .execute(
                    "INSERT INTO albums (owner, id, title, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![owner.as_str(), id.as_str(), title, at],
                )
                .map(drop)
                .map_err(unavailable)
        })
        .await
    }

    async fn albums(&self, owner: &Owner) -> Result<Vec<AlbumRecord>, IndexError> {
        let owner = owner.clone();
        self.read(move |connection| {
            let ids: Vec<String> = connection
                .prepare_cached(
                    "SELECT id FROM albums WHERE owner = ?1 ORDER BY updated_at DESC, id",
                )
                .and_then(|mut statement| {
                    statement
                        .query_map(params![owner.as_str()], |row| row.get(0))?
                        .collect()
                })
                .map_err(unavailable)?;
            let mut albums = Vec::with_capacity(ids.len());
            for id in ids {
                let id = AlbumId::parse(&id)
                    .ok_or_else(|| IndexError::Corrupt(format!("an album id {id:?}")))?;
                albums.extend(album(connection, &owner, &id)?);
            }
            Ok(albums)
        })
        .await
    }

    async fn album(&self, owner: &Owner, id: &AlbumId) -> Result<Option<AlbumRecord>, IndexError> {
        let (owner, id) = (owner.clone(), id.clone());
        self.read(move |connection| album(connection, &owner, &id))
            .await
    }

    async fn edit_album(
        &self,
        owner: &Owner,
        id: &AlbumId,
        edit: AlbumEdit,
        at: OffsetDateTime,
    ) -> Result<Edited, IndexError> {
        let (owner, id, at) = (owner.clone(), id.clone(), format_time(at)?);
        self.write(move |connection| {
            let transaction = connection.unchecked_transaction().map_err(unavailable)?;
            if !exists(&transaction, &owner, &id)? {
                return Ok(Edited::NoAlbum);
            }
            if let Some(cover) = &edit.cover {
                if !contains(&transaction, &owner, &id, cover)? {
                    return Ok(Edited::CoverNotInAlbum);
                }
                transaction
                    .execute(
                        "UPDATE albums SET cover = ?3 WHERE owner = ?1 AND id = ?2",
                        params![owner.as_str(), id.as_str(), cover.as_str()],
                    )
                    .map_err(unavailable)?;
            }
            if let Some(title) = &edit.title {
                transaction
                    .execute(
                        "UPDATE albums SET title = ?3 WHERE owner = ?1 AND id = ?2",
                        params![owner.as_str(), id.as_str(), title],
                    )
                    .map_err(unavailable)?;
            }
            touch(&transaction, &owner, &id, &at)?;
            let edited = album(&transaction, &owner, &id)?;
            transaction.commit().map_err(unavailable)?;
            Ok(edited.map_or(Edited::NoAlbum, |album| Edited::Done(Box::new(album))))
        })
        .await
    }

    async fn delete_album(&self, owner: &Owner, id: &AlbumId) -> Result<bool, IndexError> {
        let (owner, id) = (owner.clone(), id.clone());
        self.write(move |connection| {
            let transaction = connection.unchecked_transaction().map_err(unavailable)?;
            let forget = || -> rusqlite::Result<usize> {
                transaction.execute(
                    "DELETE FROM album_photos WHERE owner = ?1 AND album = ?2",
                    params![owner.as_str(), id.as_str()],
                )?;
                // Its links die with it.
                transaction.execute(
                    "DELETE FROM shares WHERE owner = ?1 AND album = ?2",
                    params![owner.as_str(), id.as_str()],
                )?;
                transaction.execute(
                    "DELETE FROM albums WHERE owner = ?1 AND id = ?2",
                    params![owner.as_str(), id.as_str()],
                )
            };
            let deleted = forget().map_err(unavailable)?;
            transaction.commit().map_err(unavailable)?;
            Ok(deleted == 1)
        })
        .await
    }

    async fn add_photos(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photos: &[PhotoId],
        at: OffsetDateTime,
    ) -> Result<Option<Added>, IndexError> {
        let (owner, id, photos, at) =
            (owner.clone(), id.clone(), photos.to_vec(), format_time(at)?);
        self.write(move |connection| {
            let transaction = connection.unchecked_transaction().map_err(unavailable)?;
            if !exists(&transaction, &owner, &id)? {
                return Ok(None);
            }
            let mut outcome = Added::default();
            for photo in photos {
                // Only the owner's own photos, found in their own timeline.
                let clock: Option<i64> = transaction
                    .prepare_cached("SELECT clock_ms FROM photo_ids WHERE owner = ?1 AND id = ?2")
                    .and_then(|mut statement| {
                        statement
                            .query_row(params![owner.as_str(), photo.as_str()], |row| row.get(0))
                            .optional()
                    })
                    .map_err(unavailable)?;
                let Some(clock) = clock else {
                    outcome.not_found.push(photo);
                    continue;
                };
                let inserted = transaction
                    .prepare_cached(
                        "INSERT INTO album_photos (owner, album, clock_ms, photo)
                         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                    )
                    .and_then(|mut statement| {
                        statement.execute(params![
                            owner.as_str(),
                            id.as_str(),
                            clock,
                            photo.as_str()
                        ])
                    })
                    .map_err(unavailable)?;
                if inserted == 1 {
                    outcome.added.push(photo);
                } else {
                    outcome.already_there.push(photo);
                }
            }
            if !outcome.added.is_empty() {
                touch(&transaction, &owner, &id, &at)?;
            }
            transaction.commit().map_err(unavailable)?;
            Ok(Some(outcome))
        })
        .await
    }

    async fn remove_photo(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photo: &PhotoId,
        at: OffsetDateTime,
    ) -> Result<Option<bool>, IndexError> {
        let (owner, id, photo, at) = (owner.clone(), id.clone(), photo.clone(), format_time(at)?);
        self.write(move |connection| {
            let transaction = connection.unchecked_transaction().map_err(unavailable)?;
            if !exists(&transaction, &owner, &id)? {
                return Ok(None);
            }
            let removed = transaction
                .execute(
                    "DELETE FROM album_photos WHERE owner = ?1 AND album = ?2 AND photo = ?3",
                    params![owner.as_str(), id.as_str(), photo.as_str()],
                )
                .map_err(unavailable)?;
            if removed > 0 {
                touch(&transaction, &owner, &id, &at)?;
            }
            transaction.commit().map_err(unavailable)?;
            Ok(Some(removed > 0))
        })
        .await
    }

    async fn holds(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photo: &PhotoId,
    ) -> Result<bool, IndexError> {
        let (owner, id, photo) = (owner.clone(), id.clone(), photo.clone());
        self.read(move |connection| contains(connection, &owner, &id, &photo))
            .await
    }

    async fn album_page(
        &self,
        owner: &Owner,
        id: &AlbumId,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        let (owner, id, after) = (owner.clone(), id.clone(), after.cloned());
        self.read(move |connection| page(connection, &owner, &id, after.as_ref(), limit))
            .await
    }

    async fn create_share(&self, share: &ShareRecord) -> Result<(), IndexError> {
        let share = share.clone();
        let created_at = format_time(share.created_at)?;
        let expires_at = share.expires_at.map(format_time).transpose()?;
        self.write(move |connection| {
            connection
                .execute(
                    &format!(
                        "INSERT INTO shares ({SHARE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                    ),
                    params![
                        share.token.as_str(),
                        share.owner.as_str(),
                        share.album.as_str(),
                        created_at,
                        expires_at,
                        share.allow_download,
                        share.show_location
                    ],
                )
                .map(drop)
                .map_err(unavailable)
        })
        .await
    }

    async fn shares(&self, owner: &Owner) -> Result<Vec<ShareRecord>, IndexError> {
        let owner = owner.clone();
        self.read(move |connection| {
            let rows: Vec<ShareRow> = connection
                .prepare_cached(&format!(
                    "SELECT {SHARE_COLUMNS} FROM shares WHERE owner = ?1
                     ORDER BY created_at DESC, token"
                ))
                .and_then(|mut statement| {
                    statement
                        .query_map(params![owner.as_str()], share_row)?
                        .collect()
                })
                .map_err(unavailable)?;
            rows.into_iter().map(share_record).collect()
        })
        .await
    }

    async fn share(&self, token: &ShareToken) -> Result<Option<ShareRecord>, IndexError> {
        let token = token.clone();
        self.read(move |connection| {
            let row = connection
                .prepare_cached(&format!(
                    "SELECT {SHARE_COLUMNS} FROM shares WHERE token = ?1"
                ))
                .and_then(|mut statement| {
                    statement
                        .query_row(params![token.as_str()], share_row)
                        .optional()
                })
                .map_err(unavailable)?;
            row.map(share_record).transpose()
        })
        .await
    }

    async fn revoke_share(&self, owner: &Owner, token: &ShareToken) -> Result<bool, IndexError> {
        let (owner, token) = (owner.clone(), token.clone());
        self.write(move |connection| {
            connection
                .execute(
                    "DELETE FROM shares WHERE owner = ?1 AND token = ?2",
                    params![owner.as_str(), token.as_str()],
                )
                .map(|deleted| deleted == 1)
                .map_err(unavailable)
        })
        .await
    }
}
