//! Minting Cognito-shaped tokens, and the refresh tokens that keep a user signed
//! in (kept as SHA-256 hashes in the data dir, so they survive restarts and a copy
//! of the file signs nobody in).

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::Mutex,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use jsonwebtoken::{Algorithm, Header, encode};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::{IdentityError, SigningKey, grants::random_token, store, users::UserRecord};

/// Cognito's defaults: one hour for access and id tokens, 30 days for refresh.
pub const ACCESS_TTL: Duration = Duration::from_secs(3600);
pub const REFRESH_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What a token is minted for.
pub struct Session<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub scope: &'a str,
    pub auth_time: u64,
    pub nonce: Option<&'a str>,
}

/// An access token and an id token with Cognito's claims.
pub fn mint(
    key: &SigningKey,
    user: &UserRecord,
    session: &Session<'_>,
) -> Result<(String, String), jsonwebtoken::errors::Error> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(key.kid().to_owned());
    let iat = now();
    let exp = iat + ACCESS_TTL.as_secs();
    let access = json!({
        "sub": user.sub, "iss": session.issuer, "client_id": session.client_id,
        "token_use": "access", "scope": session.scope, "auth_time": session.auth_time,
        "iat": iat, "exp": exp, "jti": random_token(), "username": user.username,
    });
    let mut id = json!({
        "sub": user.sub, "iss": session.issuer, "aud": session.client_id,
        "token_use": "id", "auth_time": session.auth_time, "iat": iat, "exp": exp,
        "jti": random_token(), "cognito:username": user.username,
        "email": user.email, "email_verified": true,
    });
    if let Some(nonce) = session.nonce {
        id["nonce"] = json!(nonce);
    }
    Ok((
        encode(&header, &access, key.encoding())?,
        encode(&header, &id, key.encoding())?,
    ))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshRecord {
    pub sub: String,
    pub client_id: String,
    pub scope: String,
    pub auth_time: u64,
    pub expires_at: u64,
}

pub struct RefreshTokens {
    path: PathBuf,
    by_hash: Mutex<HashMap<String, RefreshRecord>>,
}

fn digest(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

impl RefreshTokens {
    pub fn open(path: &Path) -> Result<Self, IdentityError> {
        let mut by_hash: HashMap<String, RefreshRecord> =
            store::read_json(path)?.unwrap_or_default();
        let now = now();
        by_hash.retain(|_, record| record.expires_at > now);
        Ok(Self {
            path: path.to_owned(),
            by_hash: Mutex::new(by_hash),
        })
    }

    fn save(&self, by_hash: &HashMap<String, RefreshRecord>) -> Result<(), IdentityError> {
        store::write_json(&self.path, by_hash)
    }

    pub fn issue(&self, mut record: RefreshRecord) -> Result<String, IdentityError> {
        let token = random_token();
        record.expires_at = now() + REFRESH_TTL.as_secs();
        let mut by_hash = self.by_hash.lock().unwrap_or_else(|p| p.into_inner());
        let now = now();
        by_hash.retain(|_, record| record.expires_at > now);
        by_hash.insert(digest(&token), record);
        self.save(&by_hash)?;
        Ok(token)
    }

    /// The session a live refresh token stands for, if it was issued to `client_id`.
    pub fn find(&self, token: &str, client_id: &str) -> Option<RefreshRecord> {
        let by_hash = self.by_hash.lock().unwrap_or_else(|p| p.into_inner());
        by_hash
            .get(&digest(token))
            .filter(|record| record.client_id == client_id && record.expires_at > now())
            .cloned()
    }

    /// Forgets `token` if it was issued to `client_id` (RFC 7009: a client may only
    /// revoke its own tokens).
    pub fn revoke(&self, token: &str, client_id: &str) -> Result<(), IdentityError> {
        let mut by_hash = self.by_hash.lock().unwrap_or_else(|p| p.into_inner());
        let key = digest(token);
        if by_hash
            .get(&key)
            .is_some_and(|record| record.client_id == client_id)
        {
            by_hash.remove(&key);
            self.save(&by_hash)?;
        }
        Ok(())
    }
}
