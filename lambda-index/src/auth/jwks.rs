//! The issuer's public keys (JWKS). Behind a small trait so the verifier can be
//! tested with keys in memory and no network.

use std::{future::Future, pin::Pin};

use jsonwebtoken::jwk::JwkSet;

#[derive(Debug, thiserror::Error)]
pub enum JwksError {
    #[error("cannot fetch the JWKS: {0}")]
    Fetch(String),
    #[error("the JWKS answered {0}")]
    Status(u16),
    #[error("the JWKS is not valid: {0}")]
    Invalid(String),
}

pub type JwksFuture<'a> = Pin<Box<dyn Future<Output = Result<JwkSet, JwksError>> + Send + 'a>>;

/// Fetches the current key set.
pub trait JwksSource: Send + Sync + 'static {
    fn fetch(&self) -> JwksFuture<'_>;
}

/// Keys fetched over HTTP(S) from the issuer's JWKS URL (Cognito:
/// `<issuer>/.well-known/jwks.json`).
pub struct HttpJwks {
    client: reqwest::Client,
    url: String,
}

impl HttpJwks {
    /// No request is made until a key is needed.
    pub fn new(url: impl Into<String>, client: reqwest::Client) -> Self {
        Self {
            client,
            url: url.into(),
        }
    }
}

impl JwksSource for HttpJwks {
    fn fetch(&self) -> JwksFuture<'_> {
        Box::pin(async move {
            let response = self
                .client
                .get(&self.url)
                .timeout(std::time::Duration::from_secs(5))
                .send()
                .await
                .map_err(|error| JwksError::Fetch(error.to_string()))?;
            if !response.status().is_success() {
                return Err(JwksError::Status(response.status().as_u16()));
            }
            response
                .json::<JwkSet>()
                .await
                .map_err(|error| JwksError::Invalid(error.to_string()))
        })
    }
}
