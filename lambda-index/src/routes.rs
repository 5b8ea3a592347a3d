//! The API's routes, one module per resource.

mod health;
mod me;

use axum::{Router, routing::get};

use crate::{ApiError, ApiState};

pub(crate) fn api(state: ApiState) -> Router {
    Router::new()
        .route("/health", get(health::get))
        .route("/me", get(me::get))
        .fallback(unknown_route)
        .with_state(state)
}

pub(crate) async fn unknown_route() -> ApiError {
    ApiError::NotFound
}
