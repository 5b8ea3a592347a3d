//! Short-lived state of a login, in memory: the authorization request waiting for
//! a password, and the single-use code handed back to the app.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;

/// How long the login page stays usable.
const LOGIN_TTL: Duration = Duration::from_secs(15 * 60);
/// Login pages waiting for a password at once; past it, the oldest is
/// forgotten (its page says "expired"), so a flood of authorize requests
/// holds a bounded amount of memory.
pub const MAX_PENDING_LOGINS: usize = 1_000;
/// How long a code may wait to be exchanged (RFC 6749 recommends at most 10 minutes).
pub const CODE_TTL: Duration = Duration::from_secs(120);

/// A checked `/oauth2/authorize` request.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scope: String,
    /// base64url(SHA-256(verifier)); only S256 is accepted.
    pub code_challenge: String,
    pub nonce: Option<String>,
}

/// What a code stands for.
#[derive(Debug, Clone)]
pub struct CodeGrant {
    pub request: AuthorizeRequest,
    pub sub: String,
    pub auth_time: u64,
}

#[derive(Default)]
struct Inner {
    logins: HashMap<String, (Instant, AuthorizeRequest)>,
    codes: HashMap<String, (Instant, CodeGrant)>,
}

#[derive(Default)]
pub struct Grants {
    inner: Mutex<Inner>,
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

impl Grants {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        inner
            .logins
            .retain(|_, (at, _)| now.duration_since(*at) < LOGIN_TTL);
        inner
            .codes
            .retain(|_, (at, _)| now.duration_since(*at) < CODE_TTL);
        inner
    }

    pub fn start_login(&self, request: AuthorizeRequest) -> String {
        let id = random_token();
        let mut inner = self.inner();
        while inner.logins.len() >= MAX_PENDING_LOGINS {
            let oldest = inner
                .logins
                .iter()
                .min_by_key(|(_, (at, _))| *at)
                .map(|(id, _)| id.clone());
            match oldest {
                Some(oldest) => inner.logins.remove(&oldest),
                None => break,
            };
        }
        inner.logins.insert(id.clone(), (Instant::now(), request));
        id
    }

    /// Login pages waiting for a password.
    pub fn pending_logins(&self) -> usize {
        self.inner().logins.len()
    }

    /// The waiting request, kept for another try after a wrong password.
    pub fn pending_login(&self, id: &str) -> Option<AuthorizeRequest> {
        self.inner()
            .logins
            .get(id)
            .map(|(_, request)| request.clone())
    }

    pub fn finish_login(&self, id: &str) -> Option<AuthorizeRequest> {
        self.inner().logins.remove(id).map(|(_, request)| request)
    }

    pub fn issue_code(&self, grant: CodeGrant) -> String {
        let code = random_token();
        self.inner()
            .codes
            .insert(code.clone(), (Instant::now(), grant));
        code
    }

    /// The grant behind `code`, once: the code is gone after this call, whether
    /// or not the exchange then succeeds.
    pub fn redeem_code(&self, code: &str) -> Option<CodeGrant> {
        self.inner().codes.remove(code).map(|(_, grant)| grant)
    }
}
