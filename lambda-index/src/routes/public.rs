//! `GET /public/{token}?cursor=`, the one route without sign-in: what a share
//! link's visitor sees. The token is looked up by itself (no scan); the answer
//! holds the album's title, its count and a page of its photos, and nothing else
//! of its owner's (no name, no other album, no photo outside this one, no
//! location). A cursor opens only for the link it was made for.
//!
//! A malformed, unknown, revoked or expired token, or one whose album is gone,
//! all get the same 404 after the same one lookup: the answer says nothing
//! about which it was.

use api_types::album::PublicAlbum;
use axum::extract::{Path, Query, State};
use time::OffsetDateTime;

use super::{json::SizedJson, paging, shown};
use crate::{
    ApiError, ApiState,
    cursor::CursorScope,
    store::{ShareRecord, ShareToken},
};

/// The link `token` opens, while it does: any other is the same 404.
pub(crate) async fn open(state: &ApiState, token: &str) -> Result<ShareRecord, ApiError> {
    let token = ShareToken::parse(token).ok_or(ApiError::NotFound)?;
    state
        .albums
        .share(&token)
        .await?
        .filter(|share| !share.expired(OffsetDateTime::now_utc()))
        .ok_or(ApiError::NotFound)
}

pub(crate) async fn album(
    State(state): State<ApiState>,
    Path(token): Path<String>,
    Query(query): Query<paging::PageQuery>,
) -> Result<SizedJson<PublicAlbum>, ApiError> {
    let share = open(&state, &token).await?;
    let token = share.token.clone();
    let album = state
        .albums
        .album(&share.owner, &share.album)
        .await?
        .ok_or(ApiError::NotFound)?;
    let limit = paging::limit(query.limit);
    let scope = CursorScope::Share(&token);
    let after = paging::start(&state, scope, query.cursor.as_deref())?;
    let records = state
        .albums
        .album_page(&share.owner, &share.album, after.as_ref(), limit + 1)
        .await?;
    let (items, next_cursor) = paging::finish(&state, scope, records, limit, |record| {
        shown::shared_photo(&state, record, &share)
    })?;
    Ok(SizedJson {
        expected_bytes: paging::expected_bytes(items.len()),
        value: PublicAlbum {
            title: album.title,
            count: album.count,
            allow_download: share.allow_download,
            show_location: share.show_location,
            items,
            next_cursor,
        },
    })
}
