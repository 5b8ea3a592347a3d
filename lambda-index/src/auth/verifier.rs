//! [`TokenVerifier`]: accepts an access token only if it is RS256-signed by one of
//! the issuer's current keys, comes from the configured issuer, is an access token
//! (`token_use`), was issued to our app client (`client_id`), and is inside its
//! validity window (`exp`/`nbf`, with a small leeway for clock skew).
//!
//! Tokens that passed are remembered until they expire (at most
//! [`VERIFIED_CAPACITY`] of them): checking an RS256 signature with pure-Rust RSA
//! costs about 185 µs, more than the rest of a small request.
//!
//! Keys are cached. A token with an unknown `kid` triggers one re-fetch (the
//! issuer may have rotated keys), and after that no other re-fetch for
//! [`REFETCH_BACKOFF`], so a flood of forged `kid`s cannot hammer the issuer.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header, jwk::JwkSet};
use serde::Deserialize;
use tokio::sync::Mutex;

use super::jwks::{JwksError, JwksSource};

/// Clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY: Duration = Duration::from_secs(30);
/// The shortest time between two JWKS fetches caused by unknown keys.
pub const REFETCH_BACKOFF: Duration = Duration::from_secs(30);
/// How many verified tokens are remembered (about 1 kB each); when full, all
/// are forgotten and verified afresh.
pub const VERIFIED_CAPACITY: usize = 1024;

/// Which issuer and app client the API trusts.
#[derive(Debug, Clone)]
pub struct IdentityConfig {
    /// `iss` must equal this (Cognito: `https://cognito-idp.<region>.amazonaws.com/<pool id>`).
    pub issuer: String,
    /// `client_id` must equal this.
    pub client_id: String,
}

/// The caller, as far as the API needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The token's `sub`: stable, and the prefix of every key the user owns.
    pub id: String,
    /// `username`, shown in the app; falls back to the id.
    pub name: String,
}

/// Why a token was refused. The variants are for logs and tests; every one of them
/// answers the client the same 401, so a caller learns nothing about which check
/// failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("no bearer token")]
    Missing,
    #[error("not a JWT")]
    Malformed,
    #[error("algorithm {0} is not accepted")]
    Algorithm(String),
    #[error("the token names no key id")]
    NoKeyId,
    #[error("no key {0} at the issuer")]
    UnknownKey(String),
    #[error("the token is invalid: {0}")]
    Invalid(String),
    #[error("token_use is {0:?}, not \"access\"")]
    WrongTokenUse(Option<String>),
    #[error("issued to another client")]
    WrongClient,
    #[error("the issuer's keys cannot be fetched: {0}")]
    KeysUnavailable(String),
}

#[derive(Debug, Deserialize)]
struct AccessClaims {
    sub: String,
    exp: u64,
    token_use: Option<String>,
    client_id: Option<String>,
    username: Option<String>,
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, DecodingKey>,
    last_fetch: Option<Instant>,
}

pub struct TokenVerifier {
    config: IdentityConfig,
    source: Arc<dyn JwksSource>,
    cache: Mutex<KeyCache>,
    /// Tokens that passed every check, with their user and `exp`.
    verified: std::sync::Mutex<HashMap<String, (User, u64)>>,
}

impl TokenVerifier {
    /// Makes no request: keys are fetched when the first token arrives.
    pub fn new(config: IdentityConfig, source: Arc<dyn JwksSource>) -> Self {
        Self {
            config,
            source,
            cache: Mutex::new(KeyCache::default()),
            verified: std::sync::Mutex::new(HashMap::new()),
        }
    }

    pub async fn verify(&self, token: &str) -> Result<User, AuthError> {
        let now = jsonwebtoken::get_current_timestamp();
        if let Ok(verified) = self.verified.lock()
            && let Some((user, exp)) = verified.get(token)
        {
            // The same window as the full check: expired is expired.
            if now <= exp + LEEWAY.as_secs() {
                return Ok(user.clone());
            }
        }
        let (user, exp) = self.verify_signed(token).await?;
        if let Ok(mut verified) = self.verified.lock() {
            if verified.len() >= VERIFIED_CAPACITY {
                verified.clear();
            }
            verified.insert(token.to_owned(), (user.clone(), exp));
        }
        Ok(user)
    }

    /// Every check, the signature included.
    async fn verify_signed(&self, token: &str) -> Result<(User, u64), AuthError> {
        let header = decode_header(token).map_err(|_| AuthError::Malformed)?;
        if header.alg != Algorithm::RS256 {
            return Err(AuthError::Algorithm(format!("{:?}", header.alg)));
        }
        let kid = header.kid.ok_or(AuthError::NoKeyId)?;
        let key = self.key(&kid).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.validate_nbf = true;
        // Cognito access tokens carry no `aud`; `client_id` is checked below instead.
        validation.validate_aud = false;
        validation.leeway = LEEWAY.as_secs();
        let claims = decode::<AccessClaims>(token, &key, &validation)
            .map_err(|error| AuthError::Invalid(error.to_string()))?
            .claims;

        if claims.token_use.as_deref() != Some("access") {
            return Err(AuthError::WrongTokenUse(claims.token_use));
        }
        if claims.client_id.as_deref() != Some(self.config.client_id.as_str()) {
            return Err(AuthError::WrongClient);
        }
        let name = claims.username.unwrap_or_else(|| claims.sub.clone());
        Ok((
            User {
                id: claims.sub,
                name,
            },
            claims.exp,
        ))
    }

    async fn key(&self, kid: &str) -> Result<DecodingKey, AuthError> {
        // One lock: concurrent requests with the same new kid wait for one fetch.
        let mut cache = self.cache.lock().await;
        if let Some(key) = cache.keys.get(kid) {
            return Ok(key.clone());
        }
        let may_fetch = cache
            .last_fetch
            .is_none_or(|at| at.elapsed() >= REFETCH_BACKOFF);
        if !may_fetch {
            return Err(AuthError::UnknownKey(kid.to_owned()));
        }
        cache.last_fetch = Some(Instant::now());
        let set = self
            .source
            .fetch()
            .await
            .map_err(|error: JwksError| AuthError::KeysUnavailable(error.to_string()))?;
        cache.keys = usable_keys(&set);
        cache
            .keys
            .get(kid)
            .cloned()
            .ok_or_else(|| AuthError::UnknownKey(kid.to_owned()))
    }
}

/// The RSA signing keys of a set, by kid; anything else in it is ignored.
fn usable_keys(set: &JwkSet) -> HashMap<String, DecodingKey> {
    set.keys
        .iter()
        .filter_map(|jwk| {
            let kid = jwk.common.key_id.clone()?;
            let is_rsa = matches!(
                jwk.algorithm,
                jsonwebtoken::jwk::AlgorithmParameters::RSA(_)
            );
            let key = DecodingKey::from_jwk(jwk).ok()?;
            is_rsa.then_some((kid, key))
        })
        .collect()
}
