//! Headers every local answer carries. In AWS, CloudFront's response headers policy
//! sets the same ones (infra/); keep the two in step.

use api_types::RuntimeConfig;
use axum::{
    http::{HeaderName, HeaderValue, header},
    response::Response,
};

/// The app needs nothing inline: Trunk's loader is moved to a hashed file at build
/// time, styles come from one stylesheet, and wasm needs only `wasm-unsafe-eval`.
/// `blob:` images are the photos the browser has just processed; workers may be
/// started from blob URLs by the pipeline. `connect-src` adds the identity
/// provider's origin when it is not this one (the SPA calls its token endpoint),
/// and `connect-src`, `img-src` and `media-src` the object store's (uploads,
/// photos, videos streamed). `blob:` media are the videos whose poster frame the
/// browser draws before uploading them.
pub fn content_security_policy(config: &RuntimeConfig, store_origin: &str) -> HeaderValue {
    let mut connect = format!("'self' {store_origin}");
    if let Some(origin) = origin_of(&config.auth.token_url) {
        connect.push(' ');
        connect.push_str(origin);
    }
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' blob: data: {store_origin}; media-src 'self' blob: {store_origin}; \
connect-src {connect}; worker-src 'self' blob:; \
manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// `scheme://host[:port]` of an absolute http(s) URL.
fn origin_of(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")? + 3;
    let host_end = url[scheme_end..]
        .find('/')
        .map_or(url.len(), |end| scheme_end + end);
    Some(&url[..host_end])
}

const SECURITY_HEADERS: [(HeaderName, &str); 5] = [
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
pub async fn add_security_headers(mut response: Response, policy: HeaderValue) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    for (name, value) in SECURITY_HEADERS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_of_urls() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/oauth2/token"),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin_of("https://auth.example.com"),
            Some("https://auth.example.com")
        );
        assert_eq!(origin_of("/relative"), None);
    }
}
