//! [`S3Bucket`]: [`ObjectStore`] over the S3 protocol, signed with SigV4 by
//! `aws-sigv4`. The same code talks to AWS S3 and to the local stack's store; only
//! the bucket's base URL and the credentials differ.
//!
//! Presigned PUTs sign `content-type`, `content-length`, `x-amz-tagging`
//! ([`PENDING_TAG`]) and `if-none-match: *`, so the store itself refuses a body
//! of another type or length, one without the tag, and any overwrite: a file once
//! stored is never replaced (nor marked pending again after its commit). The URL
//! names one key only.

use std::{collections::BTreeMap, ops::Range, time::SystemTime};

use api_types::upload::UploadTarget;
use async_trait::async_trait;
use aws_sigv4::{
    http_request::{
        PayloadChecksumKind, PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation,
        SigningSettings, UriPathNormalizationMode, sign,
    },
    sign::v4,
};

use super::{
    aws::AwsCredentials,
    keys::ObjectKey,
    objects::{
        Availability, KIND_TAG, Lifecycle, Listed, ObjectStore, PENDING_TAG, RestoreAsked,
        RestoreTier, StoreError, StoredPart, UPLOAD_URL_LIFETIME,
    },
};

/// How long a presigned GET lives. It is signed as of the start of the current
/// hour, so it is usable for one to two hours and the same all hour long.
const VIEW_URL_LIFETIME: std::time::Duration = std::time::Duration::from_secs(2 * 3600);

/// Where the bucket is and who signs for it.
#[derive(Debug, Clone)]
pub struct S3Config {
    /// The bucket's base URL, path-style or virtual-hosted, without a trailing
    /// slash: `https://photos.s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:8081/media`.
    pub bucket_url: String,
    pub credentials: AwsCredentials,
    /// The process's HTTP client ([`crate::http`]).
    pub http: reqwest::Client,
}

mod archive;
mod copy;
mod list;
pub mod multipart;
mod view_urls;

pub struct S3Bucket {
    config: S3Config,
    views: view_urls::ViewUrls,
    http: reqwest::Client,
}

impl S3Bucket {
    pub fn new(config: S3Config) -> Result<S3Bucket, StoreError> {
        let http = config.http.clone();
        let views = view_urls::ViewUrls::new(&config.bucket_url, config.credentials.clone())?;
        Ok(S3Bucket {
            config,
            views,
            http,
        })
    }

    fn url(&self, key: &ObjectKey) -> String {
        // Keys are built from checked ids only: nothing in them needs escaping.
        format!("{}/{}", self.config.bucket_url, key.as_str())
    }

    /// Signs `method url` with `headers`, as query parameters (a presigned URL) or
    /// as headers (a request the API sends itself).
    /// A request signed in headers covers `body`; a presigned one leaves the
    /// payload unsigned (the browser sends it later).
    fn sign(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
        location: SignatureLocation,
        signed_at: SystemTime,
    ) -> Result<SignedParts, StoreError> {
        let identity = self.config.credentials.signing_credentials().into();
        let mut settings = SigningSettings::default();
        // S3's rules: single-encoded, unnormalised paths.
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        settings.signature_location = location;
        match location {
            SignatureLocation::QueryParams => {
                settings.expires_in = Some(if method == "GET" {
                    VIEW_URL_LIFETIME
                } else {
                    UPLOAD_URL_LIFETIME
                })
            }
            _ => settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256,
        }
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.config.credentials.region)
            .name("s3")
            .time(signed_at)
            .settings(settings)
            .build()
            .map_err(|error| StoreError::Signing(error.to_string()))?
            .into();
        let body = match location {
            SignatureLocation::QueryParams => SignableBody::UnsignedPayload,
            _ => SignableBody::Bytes(body),
        };
        let request = SignableRequest::new(method, url, headers.iter().copied(), body)
            .map_err(|error| StoreError::Signing(error.to_string()))?;
        let (instructions, _signature) = sign(request, &params)
            .map_err(|error| StoreError::Signing(error.to_string()))?
            .into_parts();
        let (signed_headers, query) = instructions.into_parts();
        let mut signed_url = url.to_owned();
        for (index, (name, value)) in query.iter().enumerate() {
            signed_url.push(if index == 0 && !url.contains('?') {
                '?'
            } else {
                '&'
            });
            signed_url.push_str(&percent_encode(name));
            signed_url.push('=');
            signed_url.push_str(&percent_encode(value));
        }
        Ok(SignedParts {
            url: signed_url,
            headers: signed_headers
                .into_iter()
                .map(|header| (header.name().to_owned(), header.value().to_owned()))
                .collect(),
        })
    }

    /// Sends a request the API makes itself (HEAD, DELETE, tagging), signed in
    /// headers. `subresource` is the query (`tagging`), or empty for the object.
    async fn send(
        &self,
        method: reqwest::Method,
        key: &ObjectKey,
        subresource: &str,
        body: Vec<u8>,
    ) -> Result<reqwest::Response, StoreError> {
        self.send_with(method, key, subresource, &[], body).await
    }

    /// [`S3Bucket::send`] with `extra` headers signed in too. A 404 and a 412
    /// come back as answers (no such object or upload; an object already
    /// there); other refusals are errors.
    async fn send_with(
        &self,
        method: reqwest::Method,
        key: &ObjectKey,
        subresource: &str,
        extra: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<reqwest::Response, StoreError> {
        let mut url = self.url(key);
        if !subresource.is_empty() {
            url.push('?');
            url.push_str(subresource);
        }
        self.send_to(method, &url, key.as_str(), extra, body, &ANSWERS)
            .await
    }

    /// Sends a request signed in headers to `url` (the bucket's, or one of
    /// its objects'); `what` names it in errors. A client error among
    /// `answers` comes back as an answer; an archived object's refusal
    /// (`InvalidObjectState`) is [`StoreError::Archived`]; others are errors.
    async fn send_to(
        &self,
        method: reqwest::Method,
        url: &str,
        what: &str,
        extra: &[(&str, &str)],
        body: Vec<u8>,
        answers: &[reqwest::StatusCode],
    ) -> Result<reqwest::Response, StoreError> {
        // S3 wants an integrity check on a tagging body; MD5 is the one every
        // S3-compatible store takes.
        let md5 = (!body.is_empty()).then(|| {
            use base64::Engine as _;
            use md5::Digest as _;
            base64::engine::general_purpose::STANDARD.encode(md5::Md5::digest(&body))
        });
        let headers: Vec<(&str, &str)> = md5
            .as_deref()
            .map(|md5| ("content-md5", md5))
            .into_iter()
            .chain(extra.iter().copied())
            .collect();
        let signed = self.sign(
            method.as_str(),
            url,
            &headers,
            &body,
            SignatureLocation::Headers,
            SystemTime::now(),
        )?;
        let mut request = self
            .http
            .request(method, &signed.url)
            .timeout(std::time::Duration::from_secs(20));
        for (name, value) in headers.iter().copied().chain(
            signed
                .headers
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        ) {
            request = request.header(name, value);
        }
        if !body.is_empty() {
            request = request.body(body);
        }
        let response = request.send().await.map_err(|error| {
            // reqwest's message names the URL, which is unsigned here: no secret in it.
            StoreError::Unavailable(error.without_url().to_string())
        })?;
        let status = response.status();
        if status.is_server_error() {
            return Err(StoreError::Unavailable(format!("{status} for {what}")));
        }
        if status.is_client_error() && !answers.contains(&status) {
            if status == reqwest::StatusCode::FORBIDDEN {
                let body = response.text().await.unwrap_or_default();
                if body.contains("<Code>InvalidObjectState</Code>") {
                    return Err(StoreError::Archived(what.to_owned()));
                }
            }
            return Err(StoreError::Refused(format!("{status} for {what}")));
        }
        Ok(response)
    }
}

/// The client errors most requests take as answers: no such object or
/// upload, and an object already there.
const ANSWERS: [reqwest::StatusCode; 2] = [
    reqwest::StatusCode::NOT_FOUND,
    reqwest::StatusCode::PRECONDITION_FAILED,
];

/// The tag set a committed original carries (`shoebox-kind=kind`), as S3's
/// `PutObjectTagging` body.
fn kind_tagging(kind: &str) -> Vec<u8> {
    format!(
        "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>{KIND_TAG}</Key>\
<Value>{kind}</Value></Tag></TagSet></Tagging>"
    )
    .into_bytes()
}

struct SignedParts {
    url: String,
    headers: BTreeMap<String, String>,
}

/// The start of the current hour: URLs signed as of then are the same all hour.
fn this_hour() -> SystemTime {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(now - now % 3600)
}

/// `attachment` with the file's name, for any name (RFC 6266: an ASCII fallback
/// and the UTF-8 original).
pub fn attachment(filename: &str) -> String {
    let fallback: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        percent_encode(filename)
    )
}

/// RFC 3986 unreserved characters stay; everything else is %-escaped, as SigV4
/// canonicalises query values.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

impl S3Bucket {
    /// [`ObjectStore::presign_put`] as if signed at `signed_at` (tests prove that
    /// expired URLs are refused without waiting a quarter of an hour).
    pub fn presign_put_signed_at(
        &self,
        key: &ObjectKey,
        content_type: &str,
        bytes: u64,
        signed_at: SystemTime,
    ) -> Result<UploadTarget, StoreError> {
        let length = bytes.to_string();
        let headers = [
            ("content-type", content_type),
            ("content-length", length.as_str()),
            ("x-amz-tagging", PENDING_TAG),
            ("if-none-match", "*"),
        ];
        self.presigned_put(&self.url(key), &headers, signed_at)
    }

    /// A presigned PUT to `url` with `headers` signed in: what the browser is
    /// to send, as an [`UploadTarget`].
    fn presigned_put(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        signed_at: SystemTime,
    ) -> Result<UploadTarget, StoreError> {
        let signed = self.sign(
            "PUT",
            url,
            headers,
            &[],
            SignatureLocation::QueryParams,
            signed_at,
        )?;
        Ok(UploadTarget {
            url: signed.url,
            method: "PUT".into(),
            // The browser sets Content-Length itself from the body; it is listed
            // so other clients know it is signed.
            headers: headers
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
        })
    }
}

#[async_trait]
impl ObjectStore for S3Bucket {
    fn presign_get(&self, key: &ObjectKey) -> Result<String, StoreError> {
        self.views.sign(key.as_str(), None, this_hour())
    }

    fn presign_download(&self, key: &ObjectKey, filename: &str) -> Result<String, StoreError> {
        let disposition = percent_encode(&attachment(filename));
        self.views
            .sign(key.as_str(), Some(&disposition), this_hour())
    }

    fn presign_put(
        &self,
        key: &ObjectKey,
        content_type: &str,
        bytes: u64,
    ) -> Result<UploadTarget, StoreError> {
        self.presign_put_signed_at(key, content_type, bytes, SystemTime::now())
    }

    async fn size(&self, key: &ObjectKey) -> Result<Option<u64>, StoreError> {
        let response = self
            .send(reqwest::Method::HEAD, key, "", Vec::new())
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        response
            .headers()
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|length| length.to_str().ok()?.parse().ok())
            .map(Some)
            .ok_or_else(|| StoreError::Refused(format!("no Content-Length for {}", key.as_str())))
    }

    async fn keep(&self, key: &ObjectKey, lifecycle: Lifecycle) -> Result<(), StoreError> {
        // A 404 passes `send`: an object that is not there has nothing to expire.
        match lifecycle.tag() {
            Some(kind) => {
                self.send(reqwest::Method::PUT, key, "tagging", kind_tagging(kind))
                    .await
            }
            None => {
                self.send(reqwest::Method::DELETE, key, "tagging", Vec::new())
                    .await
            }
        }
        .map(drop)
    }

    // Deep Archive: `archive.rs`.
    async fn availability(&self, key: &ObjectKey) -> Result<Option<Availability>, StoreError> {
        S3Bucket::availability(self, key).await
    }

    async fn restore(
        &self,
        key: &ObjectKey,
        tier: RestoreTier,
    ) -> Result<RestoreAsked, StoreError> {
        S3Bucket::restore(self, key, tier).await
    }

    async fn put(
        &self,
        key: &ObjectKey,
        body: Vec<u8>,
        content_type: &str,
    ) -> Result<(), StoreError> {
        let response = self
            .send_with(
                reqwest::Method::PUT,
                key,
                "",
                &[("content-type", content_type)],
                body,
            )
            .await?;
        if !response.status().is_success() {
            return Err(StoreError::Refused(format!(
                "{} writing {}",
                response.status(),
                key.as_str()
            )));
        }
        Ok(())
    }

    async fn list(&self, prefix: &str, after: Option<&str>) -> Result<Listed, StoreError> {
        S3Bucket::list(self, prefix, after).await
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError> {
        self.send(reqwest::Method::DELETE, key, "", Vec::new())
            .await
            .map(drop)
    }

    // The multipart calls live in `multipart.rs`, as methods of the bucket.
    async fn create_multipart(
        &self,
        key: &ObjectKey,
        content_type: &str,
    ) -> Result<String, StoreError> {
        S3Bucket::create_multipart(self, key, content_type).await
    }

    fn presign_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        bytes: u64,
    ) -> Result<UploadTarget, StoreError> {
        S3Bucket::presign_part(self, key, upload_id, number, bytes)
    }

    async fn list_parts(
        &self,
        key: &ObjectKey,
        upload_id: &str,
    ) -> Result<Option<Vec<StoredPart>>, StoreError> {
        S3Bucket::list_parts(self, key, upload_id).await
    }

    async fn complete_multipart(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        parts: &[StoredPart],
    ) -> Result<bool, StoreError> {
        S3Bucket::complete_multipart(self, key, upload_id, parts).await
    }

    async fn abort_multipart(&self, key: &ObjectKey, upload_id: &str) -> Result<(), StoreError> {
        S3Bucket::abort_multipart(self, key, upload_id).await
    }

    // A video's copy for a share link: `copy.rs`.
    async fn read(&self, key: &ObjectKey, range: Range<u64>) -> Result<Vec<u8>, StoreError> {
        S3Bucket::read(self, key, range).await
    }

    async fn upload_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        body: Vec<u8>,
    ) -> Result<StoredPart, StoreError> {
        S3Bucket::upload_part(self, key, upload_id, number, body).await
    }

    async fn copy_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        source: &ObjectKey,
        range: Range<u64>,
    ) -> Result<StoredPart, StoreError> {
        S3Bucket::copy_part(self, key, upload_id, number, source, range).await
    }
}
