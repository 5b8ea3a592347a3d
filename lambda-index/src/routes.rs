//! The API's routes, one module per resource.

mod checks;
mod health;
mod json;
mod me;
mod photo;
mod photos;
mod timeline;
mod uploads;

use axum::{
    Router,
    routing::{get, post},
};

use crate::{ApiError, ApiState, auth::User, store::Owner};

pub(crate) fn api(state: ApiState) -> Router {
    Router::new()
        .route("/health", get(health::get))
        .route("/me", get(me::get))
        .route("/uploads", post(uploads::post))
        .route("/photos", post(photos::commit).get(timeline::list))
        .route("/photos/{id}", get(photo::get).delete(photo::delete))
        .route("/timeline", get(timeline::counts))
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
