//! The router as a client sees it, driven in-process (no network, no AWS).

use api_types::{ErrorBody, Health};
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use lambda_index::auth::{IdentityConfig, JwksError, JwksFuture, JwksSource, TokenVerifier};
use tower::ServiceExt;

mod support;

/// These routes never look at a token, so the keys are never needed.
struct NoKeys;

impl JwksSource for NoKeys {
    fn fetch(&self) -> JwksFuture<'_> {
        Box::pin(async { Err(JwksError::Fetch("no keys in this test".into())) })
    }
}

fn router() -> axum::Router {
    let verifier = TokenVerifier::new(
        IdentityConfig {
            issuer: "https://issuer.invalid".into(),
            client_id: "client".into(),
        },
        std::sync::Arc::new(NoKeys),
    );
    lambda_index::router(support::state(verifier))
}

async fn get(path: &str) -> (StatusCode, Option<String>, Vec<u8>) {
    let response = router()
        .oneshot(Request::get(path).body(Body::empty()).expect("request"))
        .await
        .expect("the router never fails as a service");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|value| value.to_str().expect("ascii").to_owned());
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, content_type, body.to_vec())
}

#[tokio::test]
async fn health_is_public_and_says_ok() {
    let (status, content_type, body) = get("/api/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let health: Health = serde_json::from_slice(&body).expect("health JSON");
    assert_eq!(health.status, "ok");
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn api_answers_are_never_cached() {
    for path in ["/api/health", "/api/nope"] {
        let response = router()
            .oneshot(Request::get(path).body(Body::empty()).expect("request"))
            .await
            .expect("response");
        assert_eq!(
            response.headers()[header::CACHE_CONTROL],
            "no-store",
            "{path}"
        );
    }
}

#[tokio::test]
async fn unknown_api_paths_answer_the_json_error_shape() {
    for path in ["/api/nope", "/api/health/extra", "/api/", "/api"] {
        let (status, content_type, body) = get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(content_type.as_deref(), Some("application/json"), "{path}");
        let error: ErrorBody = serde_json::from_slice(&body).expect("error JSON");
        assert_eq!(error.error.code, "not_found", "{path}");
    }
}

#[tokio::test]
async fn the_api_lives_only_under_its_prefix() {
    let (status, _, _) = get("/health").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
