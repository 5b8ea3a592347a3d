//! The caller's share links:
//! - `POST /albums/{id}/shares {expires_at?, allow_download}` makes one;
//! - `GET /shares` lists them, newest first, expired ones included;
//! - `DELETE /shares/{token}` revokes one: its page stops working at once.

use std::collections::HashMap;

use api_types::album::{NewShare, Share, ShareList};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use super::{
    albums::{album_id, keep_change, own_album},
    json::JsonBody,
    owner, shown,
};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{ShareRecord, ShareToken, album_log::AlbumEvent},
};

pub(crate) async fn create(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    JsonBody(new): JsonBody<NewShare>,
) -> Result<(StatusCode, Json<Share>), ApiError> {
    let owner = owner(&user)?;
    let album = own_album(&state, &owner, &album_id(&id)?).await?;
    let now = OffsetDateTime::now_utc();
    let expires_at = match new.expires_at.as_deref() {
        None | Some("") => None,
        Some(text) => Some(expiry(text, now)?),
    };
    let share = ShareRecord {
        token: ShareToken::random()?,
        owner,
        album: album.id.clone(),
        created_at: now,
        expires_at,
        allow_download: new.allow_download,
        show_location: new.show_location,
    };
    keep_change(
        &state,
        &share.owner,
        &share.album,
        now,
        AlbumEvent::shared(&share)?,
    )
    .await?;
    state.albums.create_share(&share).await?;
    tracing::info!(album = album.id.as_str(), "share link created");
    Ok((
        StatusCode::CREATED,
        Json(shown::share(&state, &share, &album.title, now)?),
    ))
}

pub(crate) async fn list(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
) -> Result<Json<ShareList>, ApiError> {
    let owner = owner(&user)?;
    let (shares, albums) =
        futures::try_join!(state.albums.shares(&owner), state.albums.albums(&owner))?;
    let titles: HashMap<_, _> = albums
        .iter()
        .map(|album| (&album.id, album.title.as_str()))
        .collect();
    let now = OffsetDateTime::now_utc();
    let items = shares
        .iter()
        // A link outlives its album only between two writes of a delete.
        .filter_map(|share| Some((share, *titles.get(&share.album)?)))
        .map(|(share, title)| shown::share(&state, share, title, now))
        .collect::<Result<_, _>>()?;
    Ok(Json(ShareList { items }))
}

pub(crate) async fn revoke(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Path(token): Path<String>,
) -> Result<StatusCode, ApiError> {
    let owner = owner(&user)?;
    let token = ShareToken::parse(&token).ok_or(ApiError::NotFound)?;
    let album = state
        .albums
        .share(&token)
        .await?
        .filter(|share| share.owner == owner)
        .map(|share| share.album);
    if !state.albums.revoke_share(&owner, &token).await? {
        return Err(ApiError::NotFound);
    }
    if let Some(album) = album {
        let token = token.as_str().to_owned();
        let now = OffsetDateTime::now_utc();
        keep_change(&state, &owner, &album, now, AlbumEvent::Revoked { token }).await?;
    }
    tracing::info!("share link revoked");
    Ok(StatusCode::NO_CONTENT)
}

fn expiry(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, ApiError> {
    let at = OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        ApiError::BadRequest(
            "The expiry is not a time; write it as RFC 3339 (2026-12-31T23:59:00Z).".into(),
        )
    })?;
    if at <= now {
        return Err(ApiError::BadRequest(
            "The expiry has already passed; choose a later time.".into(),
        ));
    }
    Ok(at)
}
