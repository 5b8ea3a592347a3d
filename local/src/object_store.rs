//! The local object store: a real S3-compatible endpoint on disk (`s3s` with its
//! filesystem backend), on its own port, so the browser talks to it across origins
//! exactly as it talks to S3 in AWS.
//!
//! - Every request must be signed (SigV4, header or presigned query) with this
//!   stack's own credentials; s3s refuses tampered, expired, re-keyed and
//!   wrong-type/length requests with S3's error XML and 403.
//! - Writes are atomic: s3s-fs writes a temp file and renames it, so a dropped
//!   connection leaves no partial object.
//! - CORS for the SPA's origin, preflight included (s3s itself answers OPTIONS with
//!   501), exposing `ETag`.
//! - Objects live in `data/store/` (one directory per bucket) and survive restarts.
//! - Only what the API and the browser use is served: objects' PUT, GET (ranges
//!   too, so a video seeks without downloading it all), HEAD and DELETE, the
//!   tagging calls of a commit, multipart uploads, and listing the bucket for
//!   the recovery tools (`backend.rs`).

use std::{net::SocketAddr, path::Path, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::State,
    http::{HeaderValue, Method, StatusCode, header},
    response::{IntoResponse, Response},
};
use lambda_index::store::{
    AwsCredentials,
    s3::{S3Bucket, S3Config},
};
use rand::RngCore;
use s3s::{auth::SimpleAuth, service::S3ServiceBuilder};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{StartError, identity::store as files};

mod backend;

/// The one bucket photos go in.
pub const BUCKET: &str = "media";
/// Any region will do for s3s; it is part of every signature all the same.
pub const REGION: &str = "local";

/// The key pair the API signs with and the store checks, and the secret timeline
/// cursors are sealed with. Made on first run and kept (0600), so presigned URLs
/// and cursors stay valid across a restart.
#[derive(Clone, Serialize, Deserialize)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    #[serde(default = "random_key")]
    pub cursor_key: String,
}

fn random_key() -> String {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    hex::encode(key)
}

impl Credentials {
    fn generate() -> Credentials {
        let mut key = [0u8; 10];
        let mut secret = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        rand::rngs::OsRng.fill_bytes(&mut secret);
        Credentials {
            access_key_id: format!("SHOEBOX{}", hex::encode_upper(key)),
            secret_access_key: hex::encode(secret),
            cursor_key: random_key(),
        }
    }
}

/// The store's directory inside the data directory.
pub fn root(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("store")
}

/// The bucket on disk, opened (and created on first run) with its credentials.
pub struct Store {
    root: std::path::PathBuf,
    credentials: Credentials,
    cursor_key: lambda_index::cursor::CursorKey,
}

impl Store {
    pub fn open(data_dir: &Path) -> Result<Store, StartError> {
        let root = root(data_dir);
        let fail = |what: &str, error: String| StartError::Store(format!("{what}: {error}"));
        files::create_private_dir(&root.join(BUCKET))
            .map_err(|e| fail("cannot create the store", e.to_string()))?;
        let path = data_dir.join("store-credentials.json");
        let credentials = match files::read_json::<Credentials>(&path)
            .map_err(|e| fail("cannot read the store's credentials", e.to_string()))?
        {
            Some(credentials) => credentials,
            None => {
                let credentials = Credentials::generate();
                files::write_json(&path, &credentials)
                    .map_err(|e| fail("cannot save the store's credentials", e.to_string()))?;
                credentials
            }
        };
        // A damaged key must not quietly become a weak one.
        let cursor_key = lambda_index::cursor::CursorKey::from_hex(&credentials.cursor_key)
            .ok_or_else(|| {
                fail(
                    "the store's credentials are damaged",
                    format!("{}: cursor_key is not 64 hex digits", path.display()),
                )
            })?;
        Ok(Store {
            root,
            credentials,
            cursor_key,
        })
    }

    /// The secret the API seals timeline cursors with.
    pub fn cursor_key(&self) -> lambda_index::cursor::CursorKey {
        self.cursor_key.clone()
    }

    /// The API's client for this store, reaching it at `public_url` (the address
    /// browsers use, which presigned URLs must name).
    pub fn client(&self, public_url: &str) -> Result<S3Bucket, StartError> {
        let http =
            lambda_index::http::client().map_err(|error| StartError::Store(error.to_string()))?;
        S3Bucket::new(S3Config {
            bucket_url: format!("{}/{BUCKET}", public_url.trim_end_matches('/')),
            http,
            credentials: AwsCredentials {
                region: REGION.to_owned(),
                access_key_id: self.credentials.access_key_id.clone(),
                secret_access_key: self.credentials.secret_access_key.clone(),
                session_token: None,
            },
        })
        .map_err(|error| StartError::Store(error.to_string()))
    }

    /// The S3 endpoint, accepting browsers from `app_origin` only.
    pub fn router(&self, app_origin: &str) -> Result<Router, StartError> {
        let backend = s3s_fs::FileSystem::new(&self.root)
            .map_err(|error| StartError::Store(format!("cannot open the store: {error:?}")))?;
        let mut builder = S3ServiceBuilder::new(backend::Backend::new(backend, &self.root));
        builder.set_auth(SimpleAuth::from_single(
            self.credentials.access_key_id.clone(),
            self.credentials.secret_access_key.clone(),
        ));
        let service = Arc::new(builder.build());
        let origin = HeaderValue::from_str(app_origin)
            .map_err(|_| StartError::Store(format!("bad origin {app_origin:?}")))?;
        let cors = CorsLayer::new()
            .allow_origin(AllowOrigin::list([origin]))
            .allow_methods([Method::GET, Method::PUT, Method::HEAD])
            // The pending tag and the no-overwrite condition are signed into
            // every presigned PUT (lambda-index's `store/s3.rs`): the browser
            // sends both.
            .allow_headers([
                header::CONTENT_TYPE,
                header::IF_NONE_MATCH,
                header::RANGE,
                header::HeaderName::from_static("x-amz-tagging"),
            ])
            // A part's ETag names it when the upload is finished.
            .expose_headers([
                header::ETAG,
                header::CONTENT_LENGTH,
                header::CONTENT_DISPOSITION,
                header::CONTENT_RANGE,
                header::ACCEPT_RANGES,
            ])
            .max_age(Duration::from_secs(3600));
        Ok(Router::new()
            .fallback(s3)
            .with_state(service)
            .layer(cors)
            // Paths only: the query is a signature.
            .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(
                |request: &axum::http::Request<axum::body::Body>| {
                    tracing::info_span!("store", method = %request.method(), path = %request.uri().path())
                },
            )))
    }
}

async fn s3(
    State(service): State<Arc<s3s::service::S3Service>>,
    request: axum::extract::Request,
) -> Response {
    // S3 answers a download with the disposition its (signed) URL asks for;
    // s3s-fs does not, so it is added here once s3s has checked the signature.
    let disposition = (request.method() == Method::GET)
        .then(|| requested_disposition(request.uri().query().unwrap_or_default()))
        .flatten();
    match service.call(request.map(s3s::Body::http_body_unsync)).await {
        Ok(mut response) => {
            if let Some(disposition) = disposition
                && response.status().is_success()
            {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, disposition);
            }
            response.map(axum::body::Body::new)
        }
        Err(error) => {
            tracing::warn!(%error, "the store failed a request");
            (StatusCode::INTERNAL_SERVER_ERROR, "the store failed").into_response()
        }
    }
}

/// `response-content-disposition` from a query, as a header value.
fn requested_disposition(query: &str) -> Option<HeaderValue> {
    query.split('&').find_map(|pair| {
        let value = pair.strip_prefix("response-content-disposition=")?;
        let decoded = percent_decode(value)?;
        HeaderValue::from_str(&decoded).ok()
    })
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let hex = text.get(at + 1..at + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                at += 3;
            }
            b'+' => {
                out.push(b' ');
                at += 1;
            }
            byte => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Binds the store's port next to the app's.
pub async fn bind(address: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(address)
        .await
        .map_err(|source| StartError::bind(address.ip(), address.port(), source))
}
