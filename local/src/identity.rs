//! The built-in identity provider: a small, Cognito-compatible OpenID provider for
//! one machine. It serves Cognito's paths and claims, so the SPA and the API run the
//! same code against it as against Cognito's Hosted UI:
//!
//! | path | does |
//! |---|---|
//! | `GET /oauth2/authorize` | checks the request (client, registered redirect URI, PKCE S256), shows the login page |
//! | `POST /login` | checks username and password (argon2, behind [`brakes`]), redirects back with a single-use code |
//! | `POST /oauth2/token` | code (+ PKCE verifier) or refresh token → tokens |
//! | `GET /oauth2/userInfo` | the user's claims, for an access token |
//! | `POST /oauth2/revoke` | forgets a refresh token |
//! | `GET /logout` | `client_id` + registered `logout_uri`, Cognito style |
//! | `GET /.well-known/jwks.json`, `/.well-known/openid-configuration` | keys and discovery |
//!
//! State lives in `<data>/identity/`: the RS256 signing key (made on first run, so
//! tokens stay valid across restarts), the users (argon2 hashes), and hashes of the
//! refresh tokens. Codes and login transactions live in memory: a restart in the
//! middle of a login just asks for it again.

pub mod brakes;
mod grants;
pub use grants::MAX_PENDING_LOGINS;
mod keys;
mod login_page;
mod routes;
pub(crate) mod store;
mod tokens;
pub mod users;

use std::{path::Path, sync::Arc};

use axum::Router;

pub use keys::SigningKey;
pub use users::{NewUser, Users};

/// The OAuth client the SPA is registered as.
#[derive(Debug, Clone)]
pub struct Client {
    pub id: String,
    /// Exact URIs the provider may redirect to after login.
    pub redirect_uris: Vec<String>,
    /// Exact URIs `/logout` may send the browser to.
    pub logout_uris: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("{what} {}: {source}", path.display())]
    Io {
        what: &'static str,
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{} is damaged: {reason}; move it away to start afresh", path.display())]
    Corrupt {
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("cannot make a signing key: {0}")]
    KeyGeneration(String),
    #[error("{0}")]
    InvalidUser(String),
}

/// Everything the provider's routes share.
pub struct IdentityProvider {
    issuer: String,
    client: Client,
    key: Arc<SigningKey>,
    users: Users,
    grants: grants::Grants,
    brakes: brakes::Brakes,
    refresh_tokens: tokens::RefreshTokens,
}

/// What opening the provider did that the operator must hear about.
pub struct Opened {
    pub provider: Arc<IdentityProvider>,
    /// The user made on first run, with the only copy of its password.
    pub first_user: Option<NewUser>,
}

/// Adds a person who may sign in, with a generated password (returned once).
pub fn add_user(data_dir: &Path, username: &str) -> Result<NewUser, IdentityError> {
    let dir = data_dir.join("identity");
    store::create_private_dir(&dir)?;
    Users::open(&dir.join("users.json")).add_generated(username)
}

impl IdentityProvider {
    /// Loads (or on first run creates) the signing key and the users under `data_dir`.
    pub fn open(data_dir: &Path, issuer: &str, client: Client) -> Result<Opened, IdentityError> {
        let dir = data_dir.join("identity");
        store::create_private_dir(&dir)?;
        let key = Arc::new(SigningKey::load_or_create(&dir.join("signing-key.pem"))?);
        let users = Users::open(&dir.join("users.json"));
        let first_user = if users.is_empty()? {
            Some(users.add_generated("me")?)
        } else {
            None
        };
        let refresh_tokens = tokens::RefreshTokens::open(&dir.join("refresh-tokens.json"))?;
        let provider = IdentityProvider {
            issuer: issuer.trim_end_matches('/').to_owned(),
            client,
            key,
            users,
            grants: grants::Grants::default(),
            brakes: brakes::Brakes::default(),
            refresh_tokens,
        };
        Ok(Opened {
            provider: Arc::new(provider),
            first_user,
        })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Login pages waiting for a password.
    pub fn pending_logins(&self) -> usize {
        self.grants.pending_logins()
    }

    /// The limits on wrong passwords and password checks.
    pub fn brakes(&self) -> &brakes::Brakes {
        &self.brakes
    }

    pub fn signing_key(&self) -> Arc<SigningKey> {
        self.key.clone()
    }

    pub fn router(self: &Arc<Self>) -> Router {
        routes::router(self.clone())
    }
}
