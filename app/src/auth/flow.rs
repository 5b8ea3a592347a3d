//! The sign-in round trip and the token endpoint. Nothing here touches the UI: the
//! callers turn the results into pages.

use api_types::AuthConfig;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use gloo_net::http::Request;
use serde::Deserialize;

use super::{
    id_token,
    session::{PendingSignIn, Session, SessionUser, safe_return_path},
};
use crate::browser::{
    NoRandomness, form_encode, go_to, now_ms, origin, random_bytes, sha256, url_with_query,
};

/// Why a sign-in did not complete, in the words the callback page shows.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SignInError {
    #[error("the sign-in service answered {code}: {description}")]
    Provider { code: String, description: String },
    #[error("no sign-in was started in this tab, or it was already used")]
    StaleState,
    #[error("the sign-in service sent no code")]
    NoCode,
    #[error("could not reach the sign-in service: {0}")]
    Network(String),
    #[error("the sign-in service refused the code: {0}")]
    Refused(String),
    #[error("the sign-in could not be verified: {0}")]
    InvalidIdToken(String),
    #[error("this browser cannot keep the sign-in: {0}")]
    Browser(String),
    /// WebCrypto gave no random bytes: the PKCE verifier, `state` and `nonce`
    /// would be guessable, so no sign-in starts.
    #[error(transparent)]
    NoRandomness(#[from] NoRandomness),
}

impl SignInError {
    pub fn title(&self) -> &'static str {
        match self {
            SignInError::Provider { code, .. } if code == "access_denied" => {
                "Sign-in was cancelled"
            }
            SignInError::StaleState => "This sign-in link has already been used",
            _ => "Sign-in didn't work",
        }
    }

    pub fn user_message(&self) -> &'static str {
        match self {
            SignInError::Provider { code, .. } if code == "access_denied" => {
                "You didn't finish signing in. Nothing was changed; you can try again whenever you like."
            }
            SignInError::Provider { .. } => {
                "The sign-in service refused this sign-in. Try again; if it keeps happening, whoever runs this Shoebox should check its sign-in settings."
            }
            SignInError::StaleState => {
                "It may have been opened twice or in another tab. Start again from Shoebox."
            }
            SignInError::Network(_) => {
                "Shoebox could not reach the sign-in service. Check your connection and try again."
            }
            SignInError::Browser(_) => {
                "This browser would not let Shoebox keep the sign-in (private mode or storage turned off?)."
            }
            SignInError::NoRandomness(_) => {
                "This browser cannot make the secret codes a safe sign-in needs. Update it, or try another browser."
            }
            SignInError::NoCode | SignInError::Refused(_) | SignInError::InvalidIdToken(_) => {
                "Something went wrong while finishing the sign-in. Try again."
            }
        }
    }
}

fn redirect_uri(config: &AuthConfig) -> String {
    format!("{}{}", origin(), config.redirect_path)
}

fn base64url<const N: usize>() -> Result<String, NoRandomness> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<N>()?))
}

/// Leaves for the provider's login page; the user comes back to `return_to`.
pub async fn begin(config: &AuthConfig, return_to: &str) -> Result<(), SignInError> {
    // 32 random bytes: a 43-character verifier, the RFC 7636 minimum length.
    let code_verifier = base64url::<32>()?;
    let challenge = sha256(code_verifier.as_bytes())
        .await
        .map_err(|error| SignInError::Browser(crate::browser::describe(&error)))?;
    let pending = PendingSignIn {
        code_verifier,
        state: base64url::<16>()?,
        nonce: base64url::<16>()?,
        return_to: safe_return_path(return_to),
    };
    if !pending.save() {
        return Err(SignInError::Browser(
            "sessionStorage is not available".into(),
        ));
    }
    go_to(&authorize_url(
        config,
        &pending.state,
        &pending.nonce,
        &URL_SAFE_NO_PAD.encode(challenge),
    ));
    Ok(())
}

/// The provider's login page for this sign-in: the authorization code flow
/// with PKCE (S256).
pub fn authorize_url(
    config: &AuthConfig,
    state: &str,
    nonce: &str,
    code_challenge: &str,
) -> String {
    let scope = config.scopes.join(" ");
    let redirect_uri = redirect_uri(config);
    let mut query = vec![
        ("response_type", "code"),
        ("client_id", config.client_id.as_str()),
        ("redirect_uri", redirect_uri.as_str()),
        ("scope", scope.as_str()),
        ("state", state),
        ("nonce", nonce),
        ("code_challenge", code_challenge),
        ("code_challenge_method", "S256"),
    ];
    if let Some(provider) = &config.identity_provider {
        query.push(("identity_provider", provider));
    }
    url_with_query(&config.authorize_url, &query)
}

/// What the provider put on the callback URL.
#[derive(Debug, Clone, Default)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// Finishes a sign-in: checks `state`, exchanges the code with the PKCE verifier,
/// verifies the id token. Returns the session and where to send the user.
pub async fn complete(
    config: &AuthConfig,
    callback: Callback,
) -> Result<(Session, String), SignInError> {
    let pending = PendingSignIn::take();
    if let Some(code) = callback.error {
        return Err(SignInError::Provider {
            description: callback.error_description.unwrap_or_default(),
            code,
        });
    }
    let pending = pending
        .filter(|pending| callback.state.as_deref() == Some(pending.state.as_str()))
        .ok_or(SignInError::StaleState)?;
    let code = callback.code.ok_or(SignInError::NoCode)?;
    let redirect_uri = redirect_uri(config);
    let tokens = token_request(
        config,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", &config.client_id),
            ("code", &code),
            ("redirect_uri", &redirect_uri),
            ("code_verifier", &pending.code_verifier),
        ],
    )
    .await
    .map_err(|error| match error {
        TokenError::Network(detail) => SignInError::Network(detail),
        TokenError::Rejected(detail) => SignInError::Refused(detail),
    })?;
    let user = id_token::verify(config, &tokens.id_token, Some(&pending.nonce))
        .await
        .map_err(SignInError::InvalidIdToken)?;
    Ok((tokens.into_session(user, None), pending.return_to))
}

/// Why a renewal failed: the session is over, or the network is.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenError {
    /// The provider refused (revoked or expired refresh token): sign in again.
    Rejected(String),
    /// Could not ask: try again later.
    Network(String),
}

/// A fresh access token (and id token) from the refresh token.
pub async fn refresh(config: &AuthConfig, session: &Session) -> Result<Session, TokenError> {
    let Some(refresh_token) = session.refresh_token.clone() else {
        return Err(TokenError::Rejected("no refresh token".into()));
    };
    let tokens = token_request(
        config,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &config.client_id),
            ("refresh_token", &refresh_token),
        ],
    )
    .await?;
    let user = id_token::verify(config, &tokens.id_token, None)
        .await
        .map_err(TokenError::Rejected)?;
    Ok(tokens.into_session(user, Some(refresh_token)))
}

/// Revokes the refresh token where the provider allows it, then leaves through the
/// provider's logout (Cognito style: `client_id` + `logout_uri`), which ends its
/// own session and sends the browser back here.
pub async fn sign_out(config: &AuthConfig, session: Option<Session>) {
    Session::clear();
    if let (Some(revoke_url), Some(token)) = (
        &config.revoke_url,
        session.and_then(|session| session.refresh_token),
    ) {
        let body = form_encode(&[("token", &token), ("client_id", &config.client_id)]);
        // Best effort: signing out locally must not wait on the network for long.
        if let Ok(request) = Request::post(revoke_url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
        {
            // Read the (empty) body too: leaving the page mid-response aborts it.
            if let Ok(response) = request.send().await {
                let _ = response.text().await;
            }
        }
    }
    let logout_uri = format!("{}/", origin());
    // `logout_uri` is Cognito's name; `post_logout_redirect_uri` is OpenID's
    // (RP-initiated logout), for standard providers. Each ignores the other's.
    go_to(&url_with_query(
        &config.logout_url,
        &[
            ("client_id", &config.client_id),
            ("logout_uri", &logout_uri),
            ("post_logout_redirect_uri", &logout_uri),
        ],
    ));
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    id_token: String,
    refresh_token: Option<String>,
    expires_in: f64,
}

impl TokenResponse {
    fn into_session(self, user: SessionUser, previous_refresh: Option<String>) -> Session {
        Session {
            access_token: self.access_token,
            id_token: self.id_token,
            refresh_token: self.refresh_token.or(previous_refresh),
            expires_at_ms: now_ms() + self.expires_in * 1000.0,
            user,
        }
    }
}

#[derive(Deserialize)]
struct OAuthError {
    error: String,
}

async fn token_request(
    config: &AuthConfig,
    form: &[(&str, &str)],
) -> Result<TokenResponse, TokenError> {
    let response = Request::post(&config.token_url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form_encode(form))
        .map_err(|error| TokenError::Network(error.to_string()))?
        .send()
        .await
        .map_err(|error| TokenError::Network(error.to_string()))?;
    match response.status() {
        200 => response
            .json::<TokenResponse>()
            .await
            .map_err(|error| TokenError::Rejected(format!("unexpected answer: {error}"))),
        400 | 401 => {
            let error = response
                .json::<OAuthError>()
                .await
                .map_or_else(|_| "refused".to_owned(), |body| body.error);
            Err(TokenError::Rejected(error))
        }
        status => Err(TokenError::Network(format!(
            "the token endpoint answered {status}"
        ))),
    }
}
