//! [`only_through_cloudfront`]: in AWS the API sits behind CloudFront, but API
//! Gateway's own endpoint (`{id}.execute-api.{region}.amazonaws.com`) answers
//! anyone who finds it, around CloudFront's security headers and the optional WAF.
//! CloudFront adds a secret header to every request it forwards to the API (the
//! stack's `OriginSecret`, made by the deploy); a request without it is answered
//! 404, as a path that is not there, before any route runs.

use std::sync::Arc;

use axum::{
    Router,
    extract::{Request, State},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};

use crate::ApiError;

/// The header CloudFront sets on requests to the API (it replaces any a
/// visitor sends under the same name).
pub const ORIGIN_HEADER: &str = "x-shoebox-origin";

/// The shared secret: 64 hex digits, as the deploy makes it. Anything shorter,
/// and above all an empty one, is refused: a guard that compares against ""
/// would let through every request that sends an empty header.
#[derive(Clone)]
pub struct OriginSecret(Arc<[u8]>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the origin secret must be 64 hex digits (the deploy makes one); got {0} characters")]
pub struct BadOriginSecret(usize);

impl OriginSecret {
    pub fn parse(text: &str) -> Result<Self, BadOriginSecret> {
        let text = text.trim();
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(BadOriginSecret(text.len()));
        }
        Ok(Self(text.as_bytes().into()))
    }
}

/// `router`, answering only requests that carry `secret` in [`ORIGIN_HEADER`].
pub fn only_through_cloudfront(router: Router, secret: &OriginSecret) -> Router {
    router.layer(middleware::from_fn_with_state(secret.0.clone(), guard))
}

async fn guard(State(secret): State<Arc<[u8]>>, request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(ORIGIN_HEADER)
        .map(|value| value.as_bytes());
    if given.is_some_and(|given| same(given, &secret)) {
        next.run(request).await
    } else {
        tracing::warn!("a request reached the API around CloudFront");
        ApiError::NotFound.into_response()
    }
}

/// Equality that takes as long whichever byte differs.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On main before this change, an empty secret turned the check off.
    #[test]
    fn an_empty_or_short_origin_secret_is_refused_not_a_check_turned_off() {
        for bad in ["", " ", "secret", &"0".repeat(63), &"g".repeat(64)] {
            assert!(OriginSecret::parse(bad).is_err(), "{bad:?}");
        }
        assert!(OriginSecret::parse(&"0a".repeat(32)).is_ok());
    }
}
