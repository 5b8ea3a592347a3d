//! The Shoebox API. [`router`] is the whole HTTP surface under `/api`; it is the same
//! router whether AWS Lambda (`main.rs`, through `lambda_http`) or the local stack
//! (`local`, in-process) drives it, so both deployments answer identically.
//!
//! - `routes/`: one module per resource, each a thin handler over the stores.
//! - `auth`: verifying the caller's bearer token ([`auth::SignedIn`]).
//! - `store`: the object store and the photo index, behind traits.
//! - `error`: [`ApiError`], the one place an error becomes an HTTP status and JSON body.

pub mod auth;
pub mod cursor;
pub mod error;
pub mod http;
pub mod origin;
pub mod purge;
pub mod recovery;
mod routes;
pub mod scrub;
pub mod store;

use std::sync::Arc;

use axum::{
    Router,
    extract::FromRef,
    http::{HeaderValue, header},
    routing::any,
};
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::ApiError;

/// What the handlers share; built once (per Lambda cold start, or per local run).
#[derive(Clone)]
pub struct ApiState {
    pub verifier: Arc<auth::TokenVerifier>,
    pub objects: Arc<dyn store::ObjectStore>,
    pub index: Arc<dyn store::PhotoIndex>,
    /// Albums and share links; in practice the same store as `index`, since
    /// deleting a photo takes it out of its albums.
    pub albums: Arc<dyn store::AlbumIndex>,
    pub limits: Limits,
    /// Where the SPA is served (`https://photos.example.com`, no trailing
    /// slash): share links point there.
    pub site_url: String,
    pub cursor_key: cursor::CursorKey,
}

/// What the deployment allows (the same numbers `/config.json` tells the SPA).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_original_bytes: u64,
    /// Photos one user may delete in an hour. Deletes are final (until the
    /// trash), so a stolen sign-in must not be able to empty a library at
    /// once; a person tidying up rarely deletes this many in an hour.
    pub deletes_per_hour: u32,
    /// Where photos' originals move to Glacier Deep Archive (the stack's
    /// `OriginalsStorageClass`), how many days after upload: such an original
    /// must be restored before it is downloaded (`routes/restore.rs`).
    /// `None`: originals always read at once.
    pub deep_archive_after_days: Option<u32>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_original_bytes: api_types::config::DEFAULT_MAX_ORIGINAL_BYTES,
            deletes_per_hour: 1_000,
            deep_archive_after_days: None,
        }
    }
}

impl FromRef<ApiState> for Arc<auth::TokenVerifier> {
    fn from_ref(state: &ApiState) -> Self {
        state.verifier.clone()
    }
}

/// The prefix every API path lives under (`api_base` in `/config.json`).
pub const API_PREFIX: &str = "/api";

/// The API router, with every path under [`API_PREFIX`]. Unknown API paths answer a
/// JSON 404 so the SPA's client always gets the one error shape it understands.
///
/// API answers are private and may carry presigned URLs, so nothing caches them
/// (browser, service worker or CloudFront) unless a handler says otherwise.
pub fn router(state: ApiState) -> Router {
    Router::new()
        .nest(API_PREFIX, routes::api(state))
        // The nested fallback does not see the bare prefix.
        .route("/api", any(routes::unknown_route))
        .route("/api/", any(routes::unknown_route))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Paths whose next segment is a share link's token: `/s/{token}` (the page),
/// and the API's `public/{token}` and `shares/{token}`.
const TOKEN_PATHS: [&str; 3] = ["/s/", "/api/public/", "/api/shares/"];

/// `path` as it may be logged: a share link's token is a password to an album,
/// so it is replaced by `…`.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in TOKEN_PATHS {
        if let Some(rest) = path.strip_prefix(prefix) {
            let after_token = rest.find('/').map_or("", |at| &rest[at..]);
            return format!("{prefix}…{after_token}").into();
        }
    }
    path.into()
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn share_tokens_never_reach_the_log() {
        let token = "Zm9vYmFyYmF6cXV4cXV1eA";
        for (path, logged) in [
            (format!("/s/{token}"), "/s/…"),
            (format!("/api/public/{token}"), "/api/public/…"),
            (format!("/api/shares/{token}"), "/api/shares/…"),
            (format!("/api/public/{token}/more"), "/api/public/…/more"),
            ("/api/photos/abc".to_owned(), "/api/photos/abc"),
            ("/api/shares".to_owned(), "/api/shares"),
        ] {
            assert_eq!(loggable_path(&path), logged);
        }
    }
}
