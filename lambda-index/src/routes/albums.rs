//! The caller's albums:
//! - `GET /albums` (most recently changed first), `POST /albums {title, photo_ids}`;
//! - `GET /albums/{id}`, `PATCH /albums/{id} {title?, cover_id?}`, and
//!   `DELETE /albums/{id}`, which leaves the photos in the timeline;
//! - `GET /albums/{id}/photos?cursor=`: a page, in timeline order;
//! - `POST /albums/{id}/photos {ids}` and `DELETE /albums/{id}/photos/{photo_id}`.
//!
//! Another user's album, and no album at all, are the same 404; another user's
//! photo cannot be added (it comes back as `not_found`).
//!
//! Each change is also kept in the bucket ([`album_log`], by [`keep_change`]):
//! one that adds (made, renamed, a cover, photos, a link) before the index
//! has it, one that takes away (a photo out, a link revoked, the album
//! deleted) after, so the bucket errs towards keeping.

use api_types::{
    album::{AddPhotos, AddedPhotos, Album, AlbumChange, AlbumList, NewAlbum},
    photo::PhotoPage,
};
use axum::{
    Json,
    extract::{Path, Query, State},
    http::StatusCode,
};
use time::OffsetDateTime;

use super::{json::JsonBody, json::SizedJson, owner, paging, shown};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    cursor::CursorScope,
    store::{
        AlbumId, AlbumRecord, Owner, PhotoId,
        album_log::{self, AlbumEvent},
        albums::AlbumEdit,
        albums::Edited,
    },
};

/// Longest album title, in characters.
pub(crate) const MAX_TITLE_CHARS: usize = 200;
/// Most photo ids one request may add; the SPA sends a bigger selection in parts.
pub(crate) const MAX_IDS_PER_REQUEST: usize = 1_000;

pub(crate) async fn list(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
) -> Result<Json<AlbumList>, ApiError> {
    let owner = owner(&user)?;
    let items = state
        .albums
        .albums(&owner)
        .await?
        .iter()
        .map(|album| shown::album(&state, album))
        .collect::<Result<_, _>>()?;
    Ok(Json(AlbumList { items }))
}

pub(crate) async fn create(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    JsonBody(new): JsonBody<NewAlbum>,
) -> Result<(StatusCode, Json<Album>), ApiError> {
    let owner = owner(&user)?;
    let title = checked_title(&new.title)?;
    let photos = photo_ids(&new.photo_ids)?;
    let id = AlbumId::random()?;
    let now = OffsetDateTime::now_utc();
    keep_change(
        &state,
        &owner,
        &id,
        now,
        AlbumEvent::Created {
            title: title.clone(),
        },
    )
    .await?;
    state.albums.create_album(&owner, &id, &title, now).await?;
    if !photos.is_empty() {
        keep_change(&state, &owner, &id, now, AlbumEvent::added(&photos)).await?;
        state.albums.add_photos(&owner, &id, &photos, now).await?;
    }
    tracing::info!(album = id.as_str(), photos = photos.len(), "album created");
    let album = own_album(&state, &owner, &id).await?;
    Ok((StatusCode::CREATED, Json(shown::album(&state, &album)?)))
}

pub(crate) async fn get(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<Json<Album>, ApiError> {
    let owner = owner(&user)?;
    let album = own_album(&state, &owner, &album_id(&id)?).await?;
    Ok(Json(shown::album(&state, &album)?))
}

pub(crate) async fn change(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<AlbumChange>,
) -> Result<Json<Album>, ApiError> {
    let owner = owner(&user)?;
    let id = album_id(&id)?;
    let edit = AlbumEdit {
        title: change.title.as_deref().map(checked_title).transpose()?,
        cover: change
            .cover_id
            .as_deref()
            .map(|id| {
                PhotoId::parse(id)
                    .ok_or_else(|| ApiError::BadRequest("The cover is not a photo id.".into()))
            })
            .transpose()?,
    };
    let now = OffsetDateTime::now_utc();
    // Only the caller's album gets a change kept.
    own_album(&state, &owner, &id).await?;
    if let Some(title) = &edit.title {
        keep_change(
            &state,
            &owner,
            &id,
            now,
            AlbumEvent::Renamed {
                title: title.clone(),
            },
        )
        .await?;
    }
    if let Some(cover) = &edit.cover {
        let photo = Some(cover.to_string());
        keep_change(&state, &owner, &id, now, AlbumEvent::Cover { photo }).await?;
    }
    match state.albums.edit_album(&owner, &id, edit, now).await? {
        Edited::Done(album) => Ok(Json(shown::album(&state, &album)?)),
        Edited::NoAlbum => Err(ApiError::NotFound),
        Edited::CoverNotInAlbum => Err(ApiError::BadRequest(
            "The cover must be a photo in the album.".into(),
        )),
    }
}

pub(crate) async fn delete(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let owner = owner(&user)?;
    let id = album_id(&id)?;
    if !state.albums.delete_album(&owner, &id).await? {
        return Err(ApiError::NotFound);
    }
    let now = OffsetDateTime::now_utc();
    keep_change(&state, &owner, &id, now, AlbumEvent::Deleted).await?;
    tracing::info!(album = id.as_str(), "album deleted");
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn photos(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<paging::PageQuery>,
) -> Result<SizedJson<PhotoPage>, ApiError> {
    let owner = owner(&user)?;
    let id = album_id(&id)?;
    // An empty page would not tell another user's album from an empty one of
    // the caller's; the album itself must be theirs.
    own_album(&state, &owner, &id).await?;
    let limit = paging::limit(query.limit);
    let scope = CursorScope::Album(&owner, &id);
    let after = paging::start(&state, scope, query.cursor.as_deref())?;
    let records = state
        .albums
        .album_page(&owner, &id, after.as_ref(), limit + 1)
        .await?;
    let (items, next_cursor) = paging::finish(&state, scope, records, limit, |record| {
        shown::photo(&state, record)
    })?;
    Ok(SizedJson {
        expected_bytes: paging::expected_bytes(items.len()),
        value: PhotoPage { items, next_cursor },
    })
}

pub(crate) async fn add_photos(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    JsonBody(add): JsonBody<AddPhotos>,
) -> Result<Json<AddedPhotos>, ApiError> {
    let owner = owner(&user)?;
    let id = album_id(&id)?;
    let photos = photo_ids(&add.ids)?;
    let now = OffsetDateTime::now_utc();
    own_album(&state, &owner, &id).await?;
    keep_change(&state, &owner, &id, now, AlbumEvent::added(&photos)).await?;
    let added = state
        .albums
        .add_photos(&owner, &id, &photos, now)
        .await?
        .ok_or(ApiError::NotFound)?;
    let album = own_album(&state, &owner, &id).await?;
    let strings = |ids: &[PhotoId]| ids.iter().map(ToString::to_string).collect();
    Ok(Json(AddedPhotos {
        added: strings(&added.added),
        already_there: strings(&added.already_there),
        not_found: strings(&added.not_found),
        album: shown::album(&state, &album)?,
    }))
}

pub(crate) async fn remove_photo(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path((id, photo)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let owner = owner(&user)?;
    let id = album_id(&id)?;
    // Not a photo id: certainly not in the album.
    let photo = PhotoId::parse(&photo).ok_or(ApiError::NotFound)?;
    let now = OffsetDateTime::now_utc();
    match state.albums.remove_photo(&owner, &id, &photo, now).await? {
        Some(true) => {
            let photo = photo.to_string();
            keep_change(&state, &owner, &id, now, AlbumEvent::Removed { photo }).await?;
            Ok(StatusCode::NO_CONTENT)
        }
        None | Some(false) => Err(ApiError::NotFound),
    }
}

/// Keeps `change` to the caller's album `album`, made `at` (the time the
/// index is given, so a rebuilt album has the times it had), in the bucket
/// ([`album_log`]).
pub(crate) async fn keep_change(
    state: &ApiState,
    owner: &Owner,
    album: &AlbumId,
    at: OffsetDateTime,
    change: AlbumEvent,
) -> Result<(), ApiError> {
    let (key, body) = album_log::entry(owner, album, at, change)?;
    state
        .objects
        .put(&key, body, album_log::CONTENT_TYPE)
        .await?;
    Ok(())
}

/// The caller's album `id`, or 404.
pub(crate) async fn own_album(
    state: &ApiState,
    owner: &Owner,
    id: &AlbumId,
) -> Result<AlbumRecord, ApiError> {
    state
        .albums
        .album(owner, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// A malformed album id names no album: 404, like another user's.
pub(crate) fn album_id(id: &str) -> Result<AlbumId, ApiError> {
    AlbumId::parse(id).ok_or(ApiError::NotFound)
}

fn checked_title(title: &str) -> Result<String, ApiError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ApiError::BadRequest("Give the album a title.".into()));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(ApiError::BadRequest(format!(
            "An album's title can be at most {MAX_TITLE_CHARS} characters."
        )));
    }
    if title.chars().any(char::is_control) {
        return Err(ApiError::BadRequest(
            "An album's title is one line of text.".into(),
        ));
    }
    Ok(title.to_owned())
}

fn photo_ids(ids: &[String]) -> Result<Vec<PhotoId>, ApiError> {
    if ids.len() > MAX_IDS_PER_REQUEST {
        return Err(ApiError::BadRequest(format!(
            "Add at most {MAX_IDS_PER_REQUEST} photos at a time."
        )));
    }
    let parsed: Vec<PhotoId> = ids.iter().filter_map(|id| PhotoId::parse(id)).collect();
    if parsed.len() < ids.len() {
        return Err(ApiError::BadRequest(format!(
            "{} of the ids sent are not photo ids (64 hex digits).",
            ids.len() - parsed.len()
        )));
    }
    Ok(parsed)
}
