//! The API's routes, one module per resource.

mod health;

use axum::{Router, routing::get};

use crate::ApiError;

pub(crate) fn api() -> Router {
    Router::new()
        .route("/health", get(health::get))
        .fallback(unknown_route)
}

pub(crate) async fn unknown_route() -> ApiError {
    ApiError::NotFound
}
