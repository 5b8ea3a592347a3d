//! What a browser gets from the local stack: the SPA with the right types, caching
//! and compression, the runtime config, the API, and security headers on all of it.

use std::path::Path;

use api_types::RuntimeConfig;
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use support::{Answer, send};

mod support;

const WASM: &str = "app-0123456789abcdef_bg.wasm";
const INDEX: &str = "<!DOCTYPE html><html><head><script type=\"module\" src=\"/boot-fedcba9876543210.js\"></script></head><body></body></html>";

fn fake_dist(dir: &Path) {
    std::fs::write(dir.join("index.html"), INDEX).expect("index");
    std::fs::write(dir.join(WASM), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(dir.join(format!("{WASM}.br")), b"pretend-brotli").expect("wasm.br");
    std::fs::write(dir.join("boot-fedcba9876543210.js"), "import('/app.js')").expect("js");
    std::fs::write(dir.join("sw.js"), "// service worker").expect("sw");
}

fn app(dir: &Path) -> Router {
    let dist = local::spa::Dist::open(dir).expect("dist");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let (storage, _, _) = local::Storage::open(&data, "http://127.0.0.1:8081").expect("storage");
    let (stack, _) = local::built_in_identity(dist, &data, "http://127.0.0.1:8080", storage)
        .expect("identity provider");
    local::app(stack)
}

async fn get(app: Router, path: &str, accept_encoding: Option<&str>) -> Answer {
    let mut request = Request::get(path);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    send(&app, request.body(Body::empty()).expect("request")).await
}

fn header(answer: &Answer, name: header::HeaderName) -> &str {
    answer
        .header(name.clone())
        .unwrap_or_else(|| panic!("no {name} header"))
}

#[tokio::test]
async fn the_app_and_its_deep_links_get_index_html_revalidated_each_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    fake_dist(dir.path());
    for path in ["/", "/photo/abc123", "/s/Zm9vYmFyYmF6", "/auth/callback"] {
        let answer = get(app(dir.path()), path, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(
            header(&answer, header::CONTENT_TYPE).starts_with("text/html"),
            "{path}"
        );
        assert_eq!(header(&answer, header::CACHE_CONTROL), "no-cache", "{path}");
        assert_eq!(answer.body, INDEX.as_bytes(), "{path}");
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_with_their_real_type_and_brotli_when_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    fake_dist(dir.path());
    let answer = get(app(dir.path()), &format!("/{WASM}"), Some("br, gzip")).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(header(&answer, header::CONTENT_TYPE), "application/wasm");
    assert_eq!(header(&answer, header::CONTENT_ENCODING), "br");
    assert_eq!(answer.body, b"pretend-brotli");
    assert_eq!(
        header(&answer, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );

    let plain = get(app(dir.path()), &format!("/{WASM}"), None).await;
    assert_eq!(plain.body, b"\0asm\x01\0\0\0");
    assert!(plain.headers.get(header::CONTENT_ENCODING).is_none());

    let script = get(app(dir.path()), "/boot-fedcba9876543210.js", None).await;
    assert!(header(&script, header::CONTENT_TYPE).contains("javascript"));
}

#[tokio::test]
async fn unhashed_files_are_revalidated_and_missing_files_are_real_404s() {
    let dir = tempfile::tempdir().expect("tempdir");
    fake_dist(dir.path());
    let worker = get(app(dir.path()), "/sw.js", None).await;
    assert_eq!(worker.status, StatusCode::OK);
    assert_eq!(header(&worker, header::CACHE_CONTROL), "no-cache");

    let missing = get(app(dir.path()), "/app-ffffffffffffffff.js", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(header(&missing, header::CACHE_CONTROL), "no-store");
    assert!(!String::from_utf8_lossy(&missing.body).contains("<html"));

    for escape in [
        "/../../etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/etc/os-release",
    ] {
        let answer = get(app(dir.path()), escape, None).await;
        let body = String::from_utf8_lossy(&answer.body);
        assert!(
            !body.contains("root:") && !body.contains("ID="),
            "{escape} escaped dist/"
        );
    }
}

#[tokio::test]
async fn config_json_is_valid_points_at_this_origin_and_is_never_stale() {
    let dir = tempfile::tempdir().expect("tempdir");
    fake_dist(dir.path());
    let answer = get(app(dir.path()), "/config.json", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(header(&answer, header::CACHE_CONTROL), "no-cache");
    let config: RuntimeConfig = serde_json::from_slice(&answer.body).expect("config JSON");
    assert_eq!(config.validate(), Ok(()));
    assert_eq!(config.api_base, "/api");
    assert_eq!(config.auth.issuer, "http://127.0.0.1:8080");
    assert_eq!(config.upload.max_original_bytes, 50 * 1024 * 1024 * 1024);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let dir = tempfile::tempdir().expect("tempdir");
    fake_dist(dir.path());
    for path in [
        "/",
        "/config.json",
        "/api/health",
        "/api/nope",
        "/missing.css",
        &format!("/{WASM}"),
    ] {
        let answer = get(app(dir.path()), path, None).await;
        let csp = header(&answer, header::CONTENT_SECURITY_POLICY);
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(
            header(&answer, header::X_CONTENT_TYPE_OPTIONS),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            header(&answer, header::REFERRER_POLICY),
            "no-referrer",
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_api_is_mounted_and_json_is_compressed_when_asked() {
    let dir = tempfile::tempdir().expect("tempdir");
    fake_dist(dir.path());
    let answer = get(app(dir.path()), "/api/health", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(header(&answer, header::CACHE_CONTROL), "no-store");
    let index = get(app(dir.path()), "/", Some("gzip")).await;
    // index.html has no .gz sibling here: compressed on the fly.
    assert_eq!(header(&index, header::CONTENT_ENCODING), "gzip");
}

/// Behind a reverse proxy (`--public-url https://photos.example`, the proxy
/// passing `Host: 127.0.0.1:8080`), the listening port's loopback names are
/// answered; any other name still is not.
#[tokio::test]
async fn behind_a_proxy_the_listening_ports_loopback_names_are_answered_and_no_other() {
    let dir = tempfile::tempdir().expect("tempdir");
    fake_dist(dir.path());
    let dist = local::spa::Dist::open(dir.path()).expect("dist");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let (storage, _, _) =
        local::Storage::open(&data, "https://photos.example:8081").expect("storage");
    let (mut stack, _) = local::built_in_identity(dist, &data, "https://photos.example", storage)
        .expect("identity provider");
    stack.listening_port = Some(8080);
    let app = local::app(stack);
    let with_host = |host: &str| {
        Request::get("/")
            .header(header::HOST, host)
            .body(Body::empty())
            .expect("request")
    };
    for host in ["photos.example", "127.0.0.1:8080", "localhost:8080"] {
        assert_eq!(
            send(&app, with_host(host)).await.status,
            StatusCode::OK,
            "{host}"
        );
    }
    for host in [
        "evil.example",
        "photos.example.evil.example",
        "127.0.0.1:9090",
    ] {
        assert_eq!(
            send(&app, with_host(host)).await.status,
            StatusCode::MISDIRECTED_REQUEST,
            "{host}"
        );
    }
}
