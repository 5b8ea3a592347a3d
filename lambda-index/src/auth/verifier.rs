//! [`TokenVerifier`]: accepts an access token only if it is RS256-signed by one of
//! the issuer's current keys, comes from the configured issuer, is an access token
//! (`token_use`), was issued to our app client (`client_id`), and is inside its
//! validity window (`exp`/`nbf`, with a small leeway for clock skew).
//!
//! Tokens that passed are remembered until they expire (at most
//! [`VERIFIED_CAPACITY`] of them): checking an RS256 signature with pure-Rust RSA
//! costs about 185 µs, more than the rest of a small request.
//!
//! Keys are cached ([`KeyCache`]), and the last good set is kept whatever
//! happens to the issuer (stale-if-error): one failed fetch never turns valid
//! tokens into 401s, which the SPA would take as "signed out".
//! - A token with an unknown `kid` triggers one re-fetch (the issuer may have
//!   rotated keys), and after that no other for [`KeyTiming::unknown_kid_interval`],
//!   so a flood of forged `kid`s cannot hammer the issuer.
//! - A set older than [`KeyTiming::max_age`] is refreshed in the background while
//!   it goes on serving, so a key the issuer withdrew stops working.
//! - Failed fetches back off exponentially; while no set was ever fetched, every
//!   token is a 503 ([`AuthError::KeysUnavailable`]), never a 401.

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

/// When keys are fetched again. [`KeyTiming::default`] is production's.
#[derive(Debug, Clone, Copy)]
pub struct KeyTiming {
    /// The shortest time between two fetches caused by unknown `kid`s.
    pub unknown_kid_interval: Duration,
    /// How old a key set may grow before it is refreshed in the background.
    pub max_age: Duration,
    /// The wait after the first failed fetch; it doubles with every failure...
    pub first_backoff: Duration,
    /// ...up to this.
    pub max_backoff: Duration,
}

impl Default for KeyTiming {
    fn default() -> Self {
        Self {
            unknown_kid_interval: REFETCH_BACKOFF,
            max_age: Duration::from_secs(3600),
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(300),
        }
    }
}
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

/// The issuer's keys as far as we know them, and when to ask again.
#[derive(Default)]
struct KeyCache {
    /// The last set fetched successfully, and when; kept through failures.
    good: Option<(HashMap<String, DecodingKey>, Instant)>,
    /// The last fetch started, whatever came of it.
    last_attempt: Option<Instant>,
    /// Fetches failed in a row since the last success.
    failures: u32,
    /// A background refresh is under way.
    refreshing: bool,
}

impl KeyCache {
    /// Whether another fetch may start now: after a success, not within
    /// `unknown_kid_interval`; after failures, not within the backoff.
    fn may_fetch(&self, timing: &KeyTiming) -> bool {
        let wait = match self.failures {
            0 => timing.unknown_kid_interval,
            n => timing
                .first_backoff
                .saturating_mul(1 << (n - 1).min(16))
                .min(timing.max_backoff),
        };
        self.last_attempt.is_none_or(|at| at.elapsed() >= wait)
    }

    fn is_stale(&self, timing: &KeyTiming) -> bool {
        self.good
            .as_ref()
            .is_some_and(|(_, fetched)| fetched.elapsed() >= timing.max_age)
    }

    /// Takes a fetch's outcome; a failure keeps the last good set.
    fn record(&mut self, fetched: Result<JwkSet, JwksError>) -> Result<(), JwksError> {
        match fetched {
            Ok(set) => {
                self.good = Some((usable_keys(&set), Instant::now()));
                self.failures = 0;
                Ok(())
            }
            Err(error) => {
                self.failures = self.failures.saturating_add(1);
                tracing::warn!(%error, failures = self.failures, "JWKS fetch failed");
                Err(error)
            }
        }
    }

    fn get(&self, kid: &str) -> Option<DecodingKey> {
        self.good.as_ref()?.0.get(kid).cloned()
    }
}

pub struct TokenVerifier {
    config: IdentityConfig,
    source: Arc<dyn JwksSource>,
    timing: KeyTiming,
    cache: Arc<Mutex<KeyCache>>,
    /// Tokens that passed every check, with their user and `exp`.
    verified: std::sync::Mutex<HashMap<String, (User, u64)>>,
}

impl TokenVerifier {
    /// Makes no request: keys are fetched when the first token arrives.
    pub fn new(config: IdentityConfig, source: Arc<dyn JwksSource>) -> Self {
        Self::with_timing(config, source, KeyTiming::default())
    }

    /// As [`TokenVerifier::new`], with other times (tests).
    pub fn with_timing(
        config: IdentityConfig,
        source: Arc<dyn JwksSource>,
        timing: KeyTiming,
    ) -> Self {
        Self {
            config,
            source,
            timing,
            cache: Arc::new(Mutex::new(KeyCache::default())),
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
        if let Some(key) = cache.get(kid) {
            if cache.is_stale(&self.timing) {
                self.refresh_in_background(&mut cache);
            }
            return Ok(key);
        }
        let unknown = || AuthError::UnknownKey(kid.to_owned());
        let never_fetched = || AuthError::KeysUnavailable("no key set fetched yet".to_owned());
        if !cache.may_fetch(&self.timing) {
            // Inside the back-off: a known set means this kid is not the
            // issuer's (a forgery, or a key it withdrew); no set means we
            // cannot tell.
            return Err(if cache.good.is_some() {
                unknown()
            } else {
                never_fetched()
            });
        }
        cache.last_attempt = Some(Instant::now());
        let fetched = self.source.fetch().await;
        match cache.record(fetched) {
            Ok(()) => cache.get(kid).ok_or_else(unknown),
            // The kid may be a new key we could not fetch: not the caller's fault.
            Err(error) => Err(AuthError::KeysUnavailable(error.to_string())),
        }
    }

    /// Fetches the key set again without holding up the request that noticed
    /// it was old; the old set serves until the new one arrives, and stays if
    /// the fetch fails.
    fn refresh_in_background(&self, cache: &mut KeyCache) {
        if cache.refreshing || !cache.may_fetch(&self.timing) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        cache.refreshing = true;
        cache.last_attempt = Some(Instant::now());
        let source = Arc::clone(&self.source);
        let shared = Arc::clone(&self.cache);
        runtime.spawn(async move {
            let fetched = source.fetch().await;
            let mut cache = shared.lock().await;
            cache.refreshing = false;
            let _ = cache.record(fetched);
        });
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
