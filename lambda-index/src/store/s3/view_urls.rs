//! [`ViewUrls`]: presigned GETs for the gallery, made fast. A timeline page
//! carries two URLs per photo (120 for a page of 60), and through the generic
//! `aws-sigv4` path each cost about 6 µs, most of the request's time: it derives
//! the signing key (four HMACs) and parses the URL again for every one.
//!
//! Every view URL is signed as of the start of the hour (so it stays the same,
//! and cacheable, all hour), so the key is derived once an hour here and the
//! canonical request, which differs only in the object's path, is built
//! directly. The signing key comes from `aws-sigv4`; a test checks that every
//! URL, signature included, is the one `aws-sigv4`'s own presigning makes.

use std::{
    fmt::Write,
    sync::{Arc, Mutex},
    time::SystemTime,
};

use aws_sigv4::sign::v4::generate_signing_key;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{VIEW_URL_LIFETIME, percent_encode};
use crate::store::{aws::AwsCredentials, objects::StoreError};

pub(super) struct ViewUrls {
    /// `http://127.0.0.1:8081` or `https://photos.s3.eu-west-1.amazonaws.com`.
    origin: String,
    /// The bucket's path on that origin (`/media`), or empty.
    base_path: String,
    /// The `host` header as SigV4 signs it.
    host: String,
    credentials: AwsCredentials,
    hour: Mutex<Option<Arc<HourKey>>>,
}

/// What every URL signed as of one hour shares.
struct HourKey {
    signed_at: SystemTime,
    amz_date: String,
    scope: String,
    /// HMAC keyed with the hour's signing key, cloned for each URL (SigV4's
    /// last step) rather than keyed again.
    mac: Hmac<Sha256>,
    /// The canonical query's `X-Amz-*` part, encoded and in order.
    query: String,
}

impl ViewUrls {
    pub(super) fn new(
        bucket_url: &str,
        credentials: AwsCredentials,
    ) -> Result<ViewUrls, StoreError> {
        let uri: http::Uri = bucket_url
            .parse()
            .map_err(|error| StoreError::Signing(format!("the bucket URL: {error}")))?;
        let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
            return Err(StoreError::Signing(
                "the bucket URL needs a scheme and a host".into(),
            ));
        };
        let base_path = uri.path().trim_end_matches('/').to_owned();
        Ok(ViewUrls {
            origin: format!("{scheme}://{authority}"),
            base_path,
            host: authority.as_str().to_owned(),
            credentials,
            hour: Mutex::new(None),
        })
    }

    /// A GET of `key` (checked ids only: nothing to escape), optionally with a
    /// `response-content-disposition` (already percent-encoded), signed at `signed_at`.
    pub(super) fn sign(
        &self,
        key: &str,
        disposition: Option<&str>,
        signed_at: SystemTime,
    ) -> Result<String, StoreError> {
        let hour = self.hour_key(signed_at)?;
        let path = format!("{}/{key}", self.base_path);
        let mut query = hour.query.clone();
        if let Some(disposition) = disposition {
            query.push_str("&response-content-disposition=");
            query.push_str(disposition);
        }
        let canonical = format!(
            "GET\n{path}\n{query}\nhost:{}\n\nhost\nUNSIGNED-PAYLOAD",
            self.host
        );
        let string_to_sign = format!(
            "AWS4-HMAC-SHA256\n{}\n{}\n{}",
            hour.amz_date,
            hour.scope,
            hex::encode(Sha256::digest(canonical.as_bytes()))
        );
        let mut mac = hour.mac.clone();
        mac.update(string_to_sign.as_bytes());
        let signature = hex::encode(mac.finalize().into_bytes());
        Ok(format!(
            "{}{path}?{query}&X-Amz-Signature={signature}",
            self.origin
        ))
    }

    fn hour_key(&self, signed_at: SystemTime) -> Result<Arc<HourKey>, StoreError> {
        let mut hour = self
            .hour
            .lock()
            .map_err(|_| StoreError::Signing("the signing key lock is poisoned".into()))?;
        if let Some(key) = hour.as_ref().filter(|key| key.signed_at == signed_at) {
            return Ok(key.clone());
        }
        let at = time::OffsetDateTime::from(signed_at);
        let date = format!("{:04}{:02}{:02}", at.year(), at.month() as u8, at.day());
        let amz_date = format!(
            "{date}T{:02}{:02}{:02}Z",
            at.hour(),
            at.minute(),
            at.second()
        );
        let region = &self.credentials.region;
        let scope = format!("{date}/{region}/s3/aws4_request");
        let mut query = format!(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={}&X-Amz-Date={amz_date}&X-Amz-Expires={}",
            percent_encode(&format!("{}/{scope}", self.credentials.access_key_id)),
            VIEW_URL_LIFETIME.as_secs()
        );
        if let Some(token) = &self.credentials.session_token {
            let _ = write!(query, "&X-Amz-Security-Token={}", percent_encode(token));
        }
        query.push_str("&X-Amz-SignedHeaders=host");
        let signing_key =
            generate_signing_key(&self.credentials.secret_access_key, signed_at, region, "s3");
        let mac = Hmac::<Sha256>::new_from_slice(signing_key.as_ref())
            .map_err(|error| StoreError::Signing(error.to_string()))?;
        let key = Arc::new(HourKey {
            signed_at,
            mac,
            amz_date,
            scope,
            query,
        });
        *hour = Some(key.clone());
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use aws_sigv4::http_request::SignatureLocation;

    use super::super::{S3Bucket, S3Config, attachment};
    use super::*;

    fn query_of(url: &str) -> (String, BTreeMap<String, String>) {
        let (base, query) = url.split_once('?').expect("a query");
        let pairs = query
            .split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').expect("name=value");
                (name.to_owned(), value.to_owned())
            })
            .collect();
        (base.to_owned(), pairs)
    }

    #[test]
    fn view_urls_are_the_ones_aws_sigv4_makes() {
        let hour = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_521_600);
        for (bucket_url, token) in [
            ("http://127.0.0.1:8081/media", None),
            (
                "https://photos.s3.eu-west-1.amazonaws.com",
                Some("IQoJb3JpZ2luX2VjE+/token=="),
            ),
        ] {
            let bucket = S3Bucket::new(S3Config {
                bucket_url: bucket_url.into(),
                http: reqwest::Client::new(),
                credentials: AwsCredentials {
                    region: "eu-west-1".into(),
                    access_key_id: "AKIDEXAMPLE".into(),
                    secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
                    session_token: token.map(str::to_owned),
                },
            })
            .expect("bucket");
            let key =
                "u/a11ce/t/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.webp";
            for filename in [
                None,
                Some("IMG_0001.JPG"),
                Some("Été à Zürich \"best\" 🌄.heic"),
            ] {
                let disposition = filename.map(|name| percent_encode(&attachment(name)));
                let ours = bucket
                    .views
                    .sign(key, disposition.as_deref(), hour)
                    .expect("ours");
                let generic_url = match &disposition {
                    Some(value) => {
                        format!("{bucket_url}/{key}?response-content-disposition={value}")
                    }
                    None => format!("{bucket_url}/{key}"),
                };
                let theirs = bucket
                    .sign(
                        "GET",
                        &generic_url,
                        &[],
                        &[],
                        SignatureLocation::QueryParams,
                        hour,
                    )
                    .expect("theirs")
                    .url;
                assert_eq!(
                    query_of(&ours),
                    query_of(&theirs),
                    "{bucket_url} {filename:?}"
                );
            }
        }
    }
}
