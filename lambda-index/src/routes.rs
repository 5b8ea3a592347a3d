//! The API's routes, one module per resource.

mod albums;
mod care;
mod checks;
mod downloads;
mod health;
mod json;
mod me;
mod paging;
mod photo;
mod photos;
mod previews;
mod public;
mod public_play;
mod restore;
mod shares;
mod shown;
mod timeline;
mod upload_parts;
mod uploads;

use axum::{
    Router,
    routing::{delete, get, post},
};

use crate::{ApiError, ApiState, auth::User, store::Owner};

pub(crate) fn api(state: ApiState) -> Router {
    Router::new()
        .route("/health", get(health::get))
        .route("/me", get(me::get))
        .route("/uploads", post(uploads::post))
        .route(
            "/uploads/{id}/parts",
            post(upload_parts::sign).delete(upload_parts::abort),
        )
        .route("/photos", post(photos::commit).get(timeline::list))
        .route("/photos/changes", post(care::changes))
        .route("/downloads", post(downloads::list))
        .route("/photos/{id}", get(photo::get).delete(photo::delete))
        .route("/photos/{id}/restore", post(restore::restore))
        .route("/photos/{id}/previews", post(previews::sign))
        .route("/photos/{id}/previews/done", post(previews::done))
        .route("/previews/wanted", get(previews::wanted))
        .route("/timeline", get(timeline::counts))
        .route("/albums", get(albums::list).post(albums::create))
        .route(
            "/albums/{id}",
            get(albums::get)
                .patch(albums::change)
                .delete(albums::delete),
        )
        .route(
            "/albums/{id}/photos",
            get(albums::photos).post(albums::add_photos),
        )
        .route(
            "/albums/{id}/photos/{photo_id}",
            delete(albums::remove_photo),
        )
        .route("/albums/{id}/shares", post(shares::create))
        .route("/shares", get(shares::list))
        .route("/shares/{token}", delete(shares::revoke))
        .route("/public/{token}", get(public::album))
        .route("/public/{token}/photos/{id}/play", post(public_play::play))
        .fallback(unknown_route)
        .with_state(state)
}

pub(crate) async fn unknown_route() -> ApiError {
    ApiError::NotFound
}

/// The caller as the owner of keys and records. A `sub` that could not be used in
/// a key means the identity provider is misconfigured, not that the caller erred.
pub(crate) fn owner(user: &User) -> Result<Owner, ApiError> {
    Owner::new(&user.id).ok_or_else(|| ApiError::Internal(format!("unusable sub {:?}", user.id)))
}
