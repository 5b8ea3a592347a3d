//! The provider's HTTP endpoints (see the module table in `identity.rs`). OAuth
//! errors follow RFC 6749: before the client and redirect URI are known to be
//! good, a page is shown and nothing redirects; after, errors go back to the app.

use std::{
    collections::HashMap,
    net::{IpAddr, SocketAddr},
    sync::Arc,
};

use axum::{
    Json, Router,
    extract::{ConnectInfo, FromRequestParts, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, Validation, decode};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{
    IdentityProvider,
    brakes::Slowed,
    grants::{AuthorizeRequest, CodeGrant},
    login_page::{self, error_page, login_form},
    tokens::{self, ACCESS_TTL, RefreshRecord, Session},
};

type Idp = State<Arc<IdentityProvider>>;
type Params = HashMap<String, String>;

pub fn router(provider: Arc<IdentityProvider>) -> Router {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/.well-known/jwks.json", get(jwks))
        .route("/oauth2/authorize", get(authorize))
        .route("/login", post(login))
        .route("/oauth2/token", post(token))
        .route("/oauth2/userInfo", get(user_info))
        .route("/oauth2/revoke", post(revoke))
        .route("/logout", get(logout))
        .route(login_page::STYLESHEET_PATH, get(stylesheet))
        .route(login_page::ICON_PATH, get(icon))
        .with_state(provider)
}

async fn discovery(State(idp): Idp) -> Json<Value> {
    let issuer = idp.issuer();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/oauth2/authorize"),
        "token_endpoint": format!("{issuer}/oauth2/token"),
        "userinfo_endpoint": format!("{issuer}/oauth2/userInfo"),
        "revocation_endpoint": format!("{issuer}/oauth2/revoke"),
        "end_session_endpoint": format!("{issuer}/logout"),
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["none"],
        "code_challenge_methods_supported": ["S256"],
    }))
}

async fn jwks(State(idp): Idp) -> Json<Value> {
    Json(serde_json::to_value(idp.signing_key().jwks()).unwrap_or_default())
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/css"))],
        login_page::STYLESHEET,
    )
        .into_response()
}

async fn icon() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("image/svg+xml"),
        )],
        login_page::ICON,
    )
        .into_response()
}

/// `redirect_uri` with `pairs` added to its query.
fn redirect_with(redirect_uri: &str, pairs: &[(&str, Option<&str>)]) -> Response {
    let query = pairs
        .iter()
        .filter_map(|(key, value)| value.map(|value| (*key, value)))
        .collect::<Vec<_>>();
    let query = serde_urlencoded::to_string(query).unwrap_or_default();
    let separator = if redirect_uri.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{redirect_uri}{separator}{query}")).into_response()
}

async fn authorize(State(idp): Idp, Query(params): Query<Params>) -> Response {
    let param = |key: &str| {
        params
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    if param("client_id") != Some(idp.client.id.as_str()) {
        return error_page(
            StatusCode::BAD_REQUEST,
            "Unknown app",
            "This sign-in link does not come from an app registered with this Shoebox. Open Shoebox and sign in from there.",
        );
    }
    let Some(redirect_uri) =
        param("redirect_uri").filter(|uri| idp.client.redirect_uris.iter().any(|r| r == uri))
    else {
        return error_page(
            StatusCode::BAD_REQUEST,
            "This address is not registered",
            "The app asked to come back to an address this Shoebox does not know. Open Shoebox at its usual address and sign in from there.",
        );
    };
    let state = param("state");
    let refuse = |error: &str, description: &str| {
        redirect_with(
            redirect_uri,
            &[
                ("error", Some(error)),
                ("error_description", Some(description)),
                ("state", state),
            ],
        )
    };
    if param("response_type") != Some("code") {
        return refuse(
            "unsupported_response_type",
            "only the authorization code flow is supported",
        );
    }
    let challenge = param("code_challenge").filter(|c| c.len() == 43);
    let (Some(code_challenge), Some("S256")) = (challenge, param("code_challenge_method")) else {
        return refuse(
            "invalid_request",
            "PKCE with code_challenge_method=S256 is required",
        );
    };
    let scope = param("scope").unwrap_or("openid");
    if !scope.split(' ').any(|s| s == "openid") {
        return refuse("invalid_scope", "the openid scope is required");
    }
    let login_id = idp.grants.start_login(AuthorizeRequest {
        client_id: idp.client.id.clone(),
        redirect_uri: redirect_uri.to_owned(),
        state: state.map(str::to_owned),
        scope: scope.to_owned(),
        code_challenge: code_challenge.to_owned(),
        nonce: param("nonce").map(str::to_owned),
    });
    login_form(StatusCode::OK, &login_id, "", None)
}

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    username: String,
    password: String,
}

/// The caller's address, where the server knows it (not in tests that call
/// the router directly).
pub struct ClientAddress(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip()),
        ))
    }
}

/// 429 with `Retry-After`, as the login form so the person can try later.
fn slowed_down(login_id: &str, username: &str, slowed: Slowed) -> Response {
    let seconds = slowed.retry_after.as_secs().max(1);
    let minutes = seconds.div_ceil(60);
    let message = if seconds < 60 {
        "Too many sign-ins at once. Wait a moment, then try again.".to_owned()
    } else {
        format!(
            "Too many wrong passwords. Try again in {minutes} minute{}.",
            if minutes == 1 { "" } else { "s" }
        )
    };
    let mut response = login_form(
        StatusCode::TOO_MANY_REQUESTS,
        login_id,
        username,
        Some(&message),
    );
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_str(&seconds.to_string()).unwrap_or(HeaderValue::from_static("60")),
    );
    response
}

async fn login(
    State(idp): Idp,
    ClientAddress(address): ClientAddress,
    form: Result<axum::Form<LoginForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let expired = || {
        error_page(
            StatusCode::BAD_REQUEST,
            "This sign-in page has expired",
            "Go back to Shoebox and choose Sign in again.",
        )
    };
    let Ok(axum::Form(form)) = form else {
        return expired();
    };
    if idp.grants.pending_login(&form.login).is_none() {
        return expired();
    }
    if let Err(slowed) = idp.brakes.admit(&form.username, address) {
        tracing::warn!("sign-in slowed down after wrong passwords");
        return slowed_down(&form.login, &form.username, slowed);
    }
    let slot = match idp.brakes.check_slot().await {
        Ok(slot) => slot,
        Err(slowed) => return slowed_down(&form.login, &form.username, slowed),
    };
    // argon2 is deliberately slow: keep it off the async workers.
    let checker = idp.clone();
    let (username, password) = (form.username.clone(), form.password);
    let checked =
        tokio::task::spawn_blocking(move || checker.users.check_password(&username, &password))
            .await;
    drop(slot);
    let user = match checked {
        Ok(Ok(user)) => user,
        Ok(Err(error)) => {
            tracing::error!(%error, "cannot read the users");
            return error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sign-in is broken",
                "Shoebox cannot read its list of users. Its owner should look at the server's log.",
            );
        }
        Err(_) => {
            return error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sign-in is broken",
                "Try again.",
            );
        }
    };
    let Some(user) = user else {
        tracing::info!("wrong username or password");
        idp.brakes.failed(&form.username, address);
        return login_form(
            StatusCode::UNAUTHORIZED,
            &form.login,
            &form.username,
            Some("Wrong username or password."),
        );
    };
    idp.brakes.succeeded(&form.username);
    let Some(request) = idp.grants.finish_login(&form.login) else {
        return expired();
    };
    let (redirect_uri, state) = (request.redirect_uri.clone(), request.state.clone());
    let code = idp.grants.issue_code(CodeGrant {
        request,
        sub: user.sub,
        auth_time: tokens::now(),
    });
    redirect_with(
        &redirect_uri,
        &[("code", Some(&code)), ("state", state.as_deref())],
    )
}

/// An RFC 6749 error answer from the token endpoint.
fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    tracing::info!(error, description, "token request refused");
    (
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response()
}

/// A failure of ours at the token or revocation endpoint: logged with its cause,
/// answered as RFC 6749's `server_error` without it.
fn server_error(what: &'static str, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(%error, "{what}");
    oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", what)
}

fn invalid_grant(description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", description)
}

/// RFC 7636: 43 to 128 characters of `[A-Za-z0-9-._~]`.
fn well_formed_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

async fn token(State(idp): Idp, body: String) -> Response {
    let Ok(params) = serde_urlencoded::from_str::<Params>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the body must be form-encoded",
        );
    };
    let param = |key: &str| {
        params
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let client_id = param("client_id").unwrap_or_default();
    if client_id != idp.client.id {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client_id",
        );
    }
    match param("grant_type") {
        Some("authorization_code") => {
            let Some(grant) = param("code").and_then(|code| idp.grants.redeem_code(code)) else {
                return invalid_grant("the code is unknown, already used or expired");
            };
            if grant.request.client_id != client_id {
                return invalid_grant("the code was issued to another client");
            }
            if param("redirect_uri") != Some(grant.request.redirect_uri.as_str()) {
                return invalid_grant("redirect_uri differs from the authorization request");
            }
            let verified = param("code_verifier").is_some_and(|v| {
                well_formed_verifier(v) && s256(v) == grant.request.code_challenge
            });
            if !verified {
                return invalid_grant("the PKCE code_verifier does not match");
            }
            let session = Session {
                issuer: idp.issuer(),
                client_id,
                scope: &grant.request.scope,
                auth_time: grant.auth_time,
                nonce: grant.request.nonce.as_deref(),
            };
            let refresh = RefreshRecord {
                sub: grant.sub.clone(),
                client_id: client_id.to_owned(),
                scope: grant.request.scope.clone(),
                auth_time: grant.auth_time,
                expires_at: 0,
            };
            issue_tokens(&idp, &grant.sub, &session, Some(refresh))
        }
        Some("refresh_token") => {
            let Some(record) =
                param("refresh_token").and_then(|t| idp.refresh_tokens.find(t, client_id))
            else {
                return invalid_grant("the refresh token is unknown, revoked or expired");
            };
            let session = Session {
                issuer: idp.issuer(),
                client_id,
                scope: &record.scope,
                auth_time: record.auth_time,
                nonce: None,
            };
            issue_tokens(&idp, &record.sub, &session, None)
        }
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code or refresh_token",
        ),
    }
}

fn issue_tokens(
    idp: &IdentityProvider,
    sub: &str,
    session: &Session<'_>,
    refresh: Option<RefreshRecord>,
) -> Response {
    let user = match idp.users.find_by_sub(sub) {
        Ok(Some(user)) => user,
        Ok(None) => return invalid_grant("the user no longer exists"),
        Err(error) => {
            return server_error("cannot read the users", &error);
        }
    };
    let (access_token, id_token) = match tokens::mint(&idp.key, &user, session) {
        Ok(pair) => pair,
        Err(error) => {
            return server_error("cannot sign tokens", &error);
        }
    };
    let mut body = json!({
        "access_token": access_token, "id_token": id_token,
        "token_type": "Bearer", "expires_in": ACCESS_TTL.as_secs(),
    });
    if let Some(record) = refresh {
        match idp.refresh_tokens.issue(record) {
            Ok(token) => body["refresh_token"] = json!(token),
            Err(error) => {
                return server_error("cannot store a refresh token", &error);
            }
        }
    }
    (
        [
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::PRAGMA, HeaderValue::from_static("no-cache")),
        ],
        Json(body),
    )
        .into_response()
}

#[derive(Deserialize)]
struct AccessClaims {
    sub: String,
    token_use: String,
}

async fn user_info(State(idp): Idp, headers: HeaderMap) -> Response {
    let unauthorized = || {
        (
            StatusCode::UNAUTHORIZED,
            [(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            )],
            Json(json!({ "error": "invalid_token" })),
        )
            .into_response()
    };
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return unauthorized();
    };
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[idp.issuer()]);
    validation.validate_aud = false;
    let Ok(data) = decode::<AccessClaims>(token, idp.key.decoding(), &validation) else {
        return unauthorized();
    };
    if data.claims.token_use != "access" {
        return unauthorized();
    }
    match idp.users.find_by_sub(&data.claims.sub) {
        Ok(Some(user)) => Json(json!({
            "sub": user.sub, "username": user.username,
            "email": user.email, "email_verified": true,
        }))
        .into_response(),
        _ => unauthorized(),
    }
}

async fn revoke(State(idp): Idp, body: String) -> Response {
    let params = serde_urlencoded::from_str::<Params>(&body).unwrap_or_default();
    if params.get("client_id").map(String::as_str) != Some(idp.client.id.as_str()) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client_id",
        );
    }
    if let Some(token) = params.get("token")
        && let Err(error) = idp.refresh_tokens.revoke(token, &idp.client.id)
    {
        return server_error("cannot revoke a refresh token", &error);
    }
    // RFC 7009: unknown tokens are not an error.
    StatusCode::OK.into_response()
}

async fn logout(State(idp): Idp, Query(params): Query<Params>) -> Response {
    let param = |key: &str| params.get(key).map(String::as_str);
    let known_client = param("client_id") == Some(idp.client.id.as_str());
    match param("logout_uri") {
        Some(uri) if known_client && idp.client.logout_uris.iter().any(|u| u == uri) => {
            Redirect::to(uri).into_response()
        }
        _ => error_page(
            StatusCode::BAD_REQUEST,
            "You are signed out",
            "This sign-out link names an app or address this Shoebox does not know, so it goes nowhere else.",
        ),
    }
}
