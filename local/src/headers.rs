//! Headers every local answer carries. In AWS, CloudFront's response headers policy
//! sets the same ones (infra/); keep the two in step.

use axum::{
    http::{HeaderName, HeaderValue, header},
    response::Response,
};

/// The app needs nothing inline: Trunk's loader is moved to a hashed file at build
/// time, styles come from one stylesheet, and wasm needs only `wasm-unsafe-eval`.
/// `blob:` images are the photos the browser has just processed; workers may be
/// started from blob URLs by the pipeline.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; \
img-src 'self' blob: data:; \
connect-src 'self'; \
worker-src 'self' blob:; \
manifest-src 'self'; \
object-src 'none'; \
base-uri 'none'; \
form-action 'self'; \
frame-ancestors 'none'";

const SECURITY_HEADERS: [(HeaderName, &str); 6] = [
    (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    // Share links carry their token in the path: never send it to another site.
    (header::REFERRER_POLICY, "no-referrer"),
    (header::X_FRAME_OPTIONS, "DENY"),
    (
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    ),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    ),
];

/// Adds the security headers to a response, replacing any a handler set.
pub async fn add_security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
