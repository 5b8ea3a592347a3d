//! Serving the built SPA from `dist/`.
//!
//! Cache rules (`api_types::assets`, shared with the AWS deploy): files whose name
//! carries Trunk's content hash never change, so they are `immutable` for a year;
//! everything else (`index.html`, the service worker, icons) is `no-cache`,
//! revalidated on every load so a new deploy shows at once.
//! Paths without a file extension are the SPA's own routes (`/photo/{id}`,
//! `/s/{token}`, `/auth/callback`) and get `index.html`; a missing file with an
//! extension is a real 404, never HTML in place of a script.

use std::path::{Path, PathBuf};

use axum::{
    Router,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::StartError;

/// A directory holding a Trunk build.
#[derive(Debug, Clone)]
pub struct Dist {
    root: PathBuf,
}

impl Dist {
    pub fn open(root: &Path) -> Result<Dist, StartError> {
        if !root.join("index.html").is_file() {
            return Err(StartError::MissingDist(root.to_owned()));
        }
        Ok(Dist {
            root: root.to_owned(),
        })
    }
}

pub(crate) fn router(dist: Dist) -> Router {
    // Pre-compressed `.br`/`.gz` siblings, written by `cargo xtask build`, are sent
    // when the browser accepts them.
    let files = ServeDir::new(&dist.root)
        .precompressed_br()
        .precompressed_gzip();
    let index = ServeFile::new(dist.root.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let serve = move |request: Request| {
        let (files, index) = (files.clone(), index.clone());
        async move {
            let answer = if names_a_file(request.uri().path()) {
                files.oneshot(request).await
            } else {
                index.oneshot(request).await
            };
            match answer {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            }
        }
    };
    Router::new()
        .fallback(serve)
        .layer(middleware::from_fn(cache_policy))
}

fn names_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

async fn cache_policy(request: Request, next: Next) -> Response {
    let file_name = request.uri().path().rsplit('/').next().unwrap_or_default();
    let policy = api_types::assets::cache_control(file_name);
    let mut response = next.run(request).await;
    let status = response.status();
    let value = if status.is_success() || status == StatusCode::NOT_MODIFIED {
        policy
    } else {
        "no-store"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensionless_paths_are_app_routes() {
        assert!(!names_a_file("/"));
        assert!(!names_a_file("/photo/abc123"));
        assert!(!names_a_file("/s/Zm9vYmFy"));
        assert!(names_a_file("/app-1f2e3d4c5b6a7980_bg.wasm"));
        assert!(names_a_file("/missing.js"));
    }
}
