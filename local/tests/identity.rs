//! The built-in identity provider as the SPA, a user and an attacker meet it: the
//! authorization code flow with PKCE, the refusals that keep codes and tokens out of
//! the wrong hands, refresh and revocation, logout, and keys and sessions that
//! survive a restart.

use std::{collections::HashMap, path::Path};

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header, jwk::JwkSet};
use local::identity::NewUser;
use rand::RngCore;
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::{Answer, send};
use tempfile::TempDir;
use tower::ServiceExt;

mod support;

const ISSUER: &str = "http://127.0.0.1:8080";
const CLIENT_ID: &str = "shoebox-local";
const REDIRECT_URI: &str = "http://127.0.0.1:8080/auth/callback";
const LOCALHOST_REDIRECT_URI: &str = "http://localhost:8080/auth/callback";
const LOGOUT_URI: &str = "http://127.0.0.1:8080/";
const STATE: &str = "state-from-the-app/+=&?";
const NONCE: &str = "nonce-from-the-app";

// ---------------------------------------------------------------------------
// A Shoebox on disk, and its router.
// ---------------------------------------------------------------------------

/// The directories one Shoebox lives in; dropping it removes them.
struct Dirs {
    dist: TempDir,
    data: TempDir,
}

impl Dirs {
    fn new() -> Dirs {
        let dist = tempfile::tempdir().expect("dist tempdir");
        std::fs::write(
            dist.path().join("index.html"),
            "<!DOCTYPE html><title>Shoebox</title>",
        )
        .expect("index.html");
        let data = tempfile::tempdir().expect("data tempdir");
        Dirs { dist, data }
    }

    /// Starts the stack on these directories, as one run of the server does.
    fn open(&self) -> (Router, Option<NewUser>) {
        open_stack(self.dist.path(), self.data.path())
    }
}

fn open_stack(dist: &Path, data: &Path) -> (Router, Option<NewUser>) {
    let dist = local::spa::Dist::open(dist).expect("dist");
    let (storage, _, _) = local::Storage::open(data, "http://127.0.0.1:8081").expect("storage");
    let (stack, first_user) =
        local::built_in_identity(dist, data, ISSUER, storage).expect("identity provider");
    (local::app(stack), first_user)
}

/// A fresh Shoebox and its first user, whose password is known only here.
fn fresh_shoebox() -> (Dirs, Router, NewUser) {
    let dirs = Dirs::new();
    let (app, first_user) = dirs.open();
    let user = first_user.expect("a first run makes the first user");
    assert_eq!(user.username, "me");
    (dirs, app, user)
}

// ---------------------------------------------------------------------------
// HTTP.
// ---------------------------------------------------------------------------

async fn get(app: &Router, path: &str) -> Answer {
    let request = Request::get(path).body(Body::empty()).expect("request");
    send(app, request).await
}

async fn get_with_bearer(app: &Router, path: &str, token: &str) -> Answer {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("request");
    send(app, request).await
}

async fn post_form(app: &Router, path: &str, fields: &[(&str, &str)]) -> Answer {
    let body = serde_urlencoded::to_string(fields).expect("form");
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    send(app, request).await
}

/// The query parameters of a redirect's `Location`.
fn query_of(location: &str) -> HashMap<String, String> {
    let (_, query) = location
        .split_once('?')
        .unwrap_or_else(|| panic!("no query in {location}"));
    serde_urlencoded::from_str(query).expect("form-encoded query")
}

/// The address a redirect goes to, without its query.
fn target_of(location: &str) -> &str {
    location
        .split_once('?')
        .map_or(location, |(target, _)| target)
}

// ---------------------------------------------------------------------------
// The authorization code flow, step by step.
// ---------------------------------------------------------------------------

/// An RFC 7636 verifier and its S256 challenge.
struct Pkce {
    verifier: String,
    challenge: String,
}

impl Pkce {
    fn new() -> Pkce {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let verifier = URL_SAFE_NO_PAD.encode(bytes);
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        assert_eq!(challenge.len(), 43);
        Pkce {
            verifier,
            challenge,
        }
    }
}

/// What the SPA sends to `/oauth2/authorize`, as (name, value) pairs.
fn authorize_params<'a>(pkce: &'a Pkce, redirect_uri: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", redirect_uri),
        ("state", STATE),
        ("nonce", NONCE),
        ("scope", "openid email profile"),
        ("code_challenge", &pkce.challenge),
        ("code_challenge_method", "S256"),
    ]
}

/// `params` with `name` replaced by `value`, or removed when `value` is `None`.
fn with_param<'a>(
    mut params: Vec<(&'a str, &'a str)>,
    name: &'a str,
    value: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    params.retain(|(key, _)| *key != name);
    if let Some(value) = value {
        params.push((name, value));
    }
    params
}

async fn authorize(app: &Router, params: &[(&str, &str)]) -> Answer {
    let query = serde_urlencoded::to_string(params).expect("query");
    get(app, &format!("/oauth2/authorize?{query}")).await
}

/// The login transaction id in the login form.
fn login_id(form: &Answer) -> String {
    const MARKER: &str = "<input type=\"hidden\" name=\"login\" value=\"";
    let html = form.text();
    let start = html
        .find(MARKER)
        .unwrap_or_else(|| panic!("no login field in {html}"))
        + MARKER.len();
    let end = html[start..].find('"').expect("end of the login value") + start;
    html[start..end].to_owned()
}

/// Opens the login page for a good authorization request; the login id.
async fn start_login(app: &Router, pkce: &Pkce, redirect_uri: &str) -> String {
    let form = authorize(app, &authorize_params(pkce, redirect_uri)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.text());
    assert!(
        form.header(header::CONTENT_TYPE)
            .is_some_and(|kind| kind.starts_with("text/html"))
    );
    login_id(&form)
}

async fn submit_login(app: &Router, login: &str, username: &str, password: &str) -> Answer {
    post_form(
        app,
        "/login",
        &[
            ("login", login),
            ("username", username),
            ("password", password),
        ],
    )
    .await
}

/// Authorize and sign in as `user`; the redirect's query (`code`, `state`).
async fn sign_in_at(
    app: &Router,
    user: &NewUser,
    pkce: &Pkce,
    redirect_uri: &str,
) -> HashMap<String, String> {
    let login = start_login(app, pkce, redirect_uri).await;
    let answer = submit_login(app, &login, &user.username, &user.password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
    let location = answer.location().expect("a redirect back to the app");
    assert_eq!(target_of(location), redirect_uri);
    query_of(location)
}

/// Sign in at the usual address; the authorization code.
async fn code_for(app: &Router, user: &NewUser, pkce: &Pkce) -> String {
    let query = sign_in_at(app, user, pkce, REDIRECT_URI).await;
    query.get("code").expect("a code").clone()
}

async fn exchange_code(
    app: &Router,
    code: &str,
    verifier: Option<&str>,
    redirect_uri: Option<&str>,
) -> Answer {
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("client_id", CLIENT_ID),
        ("code", code),
    ];
    if let Some(redirect_uri) = redirect_uri {
        fields.push(("redirect_uri", redirect_uri));
    }
    if let Some(verifier) = verifier {
        fields.push(("code_verifier", verifier));
    }
    post_form(app, "/oauth2/token", &fields).await
}

async fn refresh(app: &Router, refresh_token: &str) -> Answer {
    post_form(
        app,
        "/oauth2/token",
        &[
            ("grant_type", "refresh_token"),
            ("client_id", CLIENT_ID),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

/// The tokens of a successful token answer.
struct Tokens {
    access: String,
    id: String,
    refresh: Option<String>,
}

fn tokens_of(answer: &Answer) -> Tokens {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    assert_eq!(answer.header(header::CACHE_CONTROL), Some("no-store"));
    let body = answer.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let field = |name: &str| body[name].as_str().map(str::to_owned);
    Tokens {
        access: field("access_token").expect("an access token"),
        id: field("id_token").expect("an id token"),
        refresh: field("refresh_token"),
    }
}

/// The whole flow: sign in and exchange the code, as the SPA does.
async fn sign_in_for_tokens(app: &Router, user: &NewUser) -> Tokens {
    let pkce = Pkce::new();
    let code = code_for(app, user, &pkce).await;
    let answer = exchange_code(app, &code, Some(&pkce.verifier), Some(REDIRECT_URI)).await;
    tokens_of(&answer)
}

/// A JWT's payload, read without checking its signature.
fn unverified_claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).expect("a JWT has a payload");
    let bytes = URL_SAFE_NO_PAD.decode(payload).expect("base64url payload");
    serde_json::from_slice(&bytes).expect("JSON claims")
}

fn kid_of(jwt: &str) -> String {
    decode_header(jwt)
        .expect("a JWT header")
        .kid
        .expect("the token names its key")
}

async fn published_keys(app: &Router) -> JwkSet {
    let answer = get(app, "/.well-known/jwks.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    serde_json::from_slice(&answer.body).expect("a JWK set")
}

/// `/api/me` for `token`: the status, and the body when it is 200.
async fn who_am_i(app: &Router, token: &str) -> (StatusCode, Value) {
    let answer = get_with_bearer(app, "/api/me", token).await;
    let body = if answer.status == StatusCode::OK {
        answer.json()
    } else {
        Value::Null
    };
    (answer.status, body)
}

fn assert_invalid_grant(answer: &Answer) {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text());
    assert_eq!(answer.oauth_error(), "invalid_grant");
    assert!(answer.json()["access_token"].is_null());
}

/// A dead-end page: 400, HTML, and no redirect anywhere.
fn assert_dead_end(answer: &Answer, what: &str) {
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{what}");
    assert_eq!(answer.location(), None, "{what}");
    assert!(
        answer
            .header(header::CONTENT_TYPE)
            .is_some_and(|kind| kind.starts_with("text/html")),
        "{what}"
    );
    assert!(
        !answer.text().contains("name=\"login\""),
        "{what}: no login form"
    );
}

// ---------------------------------------------------------------------------
// The happy path.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn signing_in_with_password_and_pkce_gives_tokens_the_api_accepts() {
    let (_dirs, app, user) = fresh_shoebox();
    let pkce = Pkce::new();

    let redirect = sign_in_at(&app, &user, &pkce, REDIRECT_URI).await;
    assert_eq!(redirect.get("state").map(String::as_str), Some(STATE));
    let code = redirect.get("code").expect("a code");

    let answer = exchange_code(&app, code, Some(&pkce.verifier), Some(REDIRECT_URI)).await;
    let tokens = tokens_of(&answer);
    assert!(
        tokens.refresh.is_some(),
        "the first grant keeps the user in"
    );

    let (status, me) = who_am_i(&app, &tokens.access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["name"], "me");
    let sub = me["id"].as_str().expect("an id").to_owned();

    let info = get_with_bearer(&app, "/oauth2/userInfo", &tokens.access).await;
    assert_eq!(info.status, StatusCode::OK);
    let info = info.json();
    assert_eq!(info["sub"], sub.as_str());
    assert_eq!(info["username"], "me");
    assert_eq!(info["email"], "me@localhost");

    // The id token checks out against the published keys, with Cognito's claims.
    let keys = published_keys(&app).await;
    let kid = kid_of(&tokens.id);
    let jwk = keys.find(&kid).expect("the id token's key is published");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[CLIENT_ID]);
    let id = decode::<Value>(
        &tokens.id,
        &DecodingKey::from_jwk(jwk).expect("an RSA key"),
        &validation,
    )
    .expect("the id token is signed by the published key")
    .claims;
    assert_eq!(id["nonce"], NONCE);
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "me");
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(unverified_claims(&tokens.access)["token_use"], "access");
}

#[tokio::test]
async fn the_localhost_alias_is_sent_to_the_one_registered_origin() {
    let (_dirs, app, _user) = fresh_shoebox();
    for path in [
        "/",
        "/photo/abc?x=1",
        "/oauth2/authorize?client_id=shoebox-local&state=s",
    ] {
        let response = app
            .clone()
            .oneshot(
                Request::get(path)
                    .header(header::HOST, "localhost:8080")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await
            .expect("infallible");
        assert_eq!(response.status(), StatusCode::PERMANENT_REDIRECT, "{path}");
        assert_eq!(
            response.headers()[header::LOCATION],
            format!("http://127.0.0.1:8080{path}").as_str(),
            "{path}"
        );
    }
    // The alias is not a place the provider sends codes to.
    let pkce = Pkce::new();
    let answer = authorize(&app, &authorize_params(&pkce, LOCALHOST_REDIRECT_URI)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(answer.headers.get(header::LOCATION).is_none());
}

/// DNS rebinding: a page at `evil.example`, whose name now resolves to this
/// machine, reads the app and its API as same-origin. On main before this
/// change, such a request was answered 200.
#[tokio::test]
async fn a_request_for_any_other_host_is_refused() {
    let (_dirs, app, user) = fresh_shoebox();
    let tokens = sign_in_for_tokens(&app, &user).await;
    let with_host = |path: &str, host: &str| {
        Request::get(path)
            .header(header::HOST, host)
            .header(header::AUTHORIZATION, format!("Bearer {}", tokens.access))
            .body(Body::empty())
            .expect("request")
    };
    for host in [
        "evil.example",
        "evil.example:8080",
        "127.0.0.1:9999",
        "192.168.1.20:8080",
    ] {
        for path in [
            "/",
            "/api/me",
            "/api/photos",
            "/config.json",
            "/oauth2/authorize",
        ] {
            let answer = send(&app, with_host(path, host)).await;
            assert_eq!(
                answer.status,
                StatusCode::MISDIRECTED_REQUEST,
                "{host}{path}"
            );
            assert!(
                answer.text().contains("http://127.0.0.1:8080"),
                "{}",
                answer.text()
            );
        }
    }
    let answer = send(&app, with_host("/api/me", "127.0.0.1:8080")).await;
    assert_eq!(answer.status, StatusCode::OK, "the origin itself");
}

#[tokio::test]
async fn an_id_token_or_a_forged_token_is_not_an_access_token() {
    let (_dirs, app, user) = fresh_shoebox();
    let tokens = sign_in_for_tokens(&app, &user).await;

    assert_eq!(who_am_i(&app, &tokens.id).await.0, StatusCode::UNAUTHORIZED);
    let info = get_with_bearer(&app, "/oauth2/userInfo", &tokens.id).await;
    assert_eq!(info.status, StatusCode::UNAUTHORIZED);

    // The access token's claims, re-signed by nobody: the signature no longer matches.
    let mut parts: Vec<String> = tokens.access.split('.').map(str::to_owned).collect();
    let mut claims = unverified_claims(&tokens.access);
    claims["username"] = Value::from("someone-else");
    parts[1] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).expect("claims"));
    let forged = parts.join(".");
    assert_eq!(who_am_i(&app, &forged).await.0, StatusCode::UNAUTHORIZED);
    let info = get_with_bearer(&app, "/oauth2/userInfo", &forged).await;
    assert_eq!(info.status, StatusCode::UNAUTHORIZED);

    let anonymous = get(&app, "/oauth2/userInfo").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn discovery_and_jwks_describe_this_provider() {
    let (_dirs, app, _user) = fresh_shoebox();
    let discovery = get(&app, "/.well-known/openid-configuration").await;
    assert_eq!(discovery.status, StatusCode::OK);
    let discovery = discovery.json();
    assert_eq!(discovery["issuer"], ISSUER);
    assert_eq!(
        discovery["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        discovery["jwks_uri"],
        "http://127.0.0.1:8080/.well-known/jwks.json"
    );

    let jwks = get(&app, "/.well-known/jwks.json").await;
    assert_eq!(jwks.status, StatusCode::OK);
    let keys = jwks.json()["keys"].as_array().expect("keys").clone();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["kty"], "RSA");
    assert_eq!(keys[0]["alg"], "RS256");
    assert!(keys[0]["kid"].as_str().is_some_and(|kid| !kid.is_empty()));
    assert!(keys[0].get("d").is_none(), "never the private key");
}

// ---------------------------------------------------------------------------
// Refusals at the token endpoint.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_wrong_pkce_verifier_is_refused_and_burns_the_code() {
    let (_dirs, app, user) = fresh_shoebox();
    let pkce = Pkce::new();
    let code = code_for(&app, &user, &pkce).await;

    let someone_elses = Pkce::new();
    let wrong = exchange_code(
        &app,
        &code,
        Some(&someone_elses.verifier),
        Some(REDIRECT_URI),
    )
    .await;
    assert_invalid_grant(&wrong);

    // Whoever guessed wrong has spent the code: the right verifier is too late.
    let late = exchange_code(&app, &code, Some(&pkce.verifier), Some(REDIRECT_URI)).await;
    assert_invalid_grant(&late);
}

#[tokio::test]
async fn a_missing_pkce_verifier_is_refused() {
    let (_dirs, app, user) = fresh_shoebox();
    let pkce = Pkce::new();
    let code = code_for(&app, &user, &pkce).await;
    let answer = exchange_code(&app, &code, None, Some(REDIRECT_URI)).await;
    assert_invalid_grant(&answer);
}

#[tokio::test]
async fn the_challenge_itself_is_not_a_verifier() {
    let (_dirs, app, user) = fresh_shoebox();
    let pkce = Pkce::new();
    let code = code_for(&app, &user, &pkce).await;
    // What an eavesdropper on the authorize request saw.
    let answer = exchange_code(&app, &code, Some(&pkce.challenge), Some(REDIRECT_URI)).await;
    assert_invalid_grant(&answer);
}

#[tokio::test]
async fn a_code_works_only_once() {
    let (_dirs, app, user) = fresh_shoebox();
    let pkce = Pkce::new();
    let code = code_for(&app, &user, &pkce).await;

    let first = exchange_code(&app, &code, Some(&pkce.verifier), Some(REDIRECT_URI)).await;
    tokens_of(&first);
    let second = exchange_code(&app, &code, Some(&pkce.verifier), Some(REDIRECT_URI)).await;
    assert_invalid_grant(&second);

    let made_up = exchange_code(
        &app,
        "not-a-code-this-server-issued",
        Some(&pkce.verifier),
        Some(REDIRECT_URI),
    )
    .await;
    assert_invalid_grant(&made_up);
}

#[tokio::test]
async fn the_token_request_must_name_the_authorize_requests_redirect_uri() {
    let (_dirs, app, user) = fresh_shoebox();
    for redirect_uri in [Some(LOCALHOST_REDIRECT_URI), None] {
        let pkce = Pkce::new();
        let code = code_for(&app, &user, &pkce).await;
        let answer = exchange_code(&app, &code, Some(&pkce.verifier), redirect_uri).await;
        assert_invalid_grant(&answer);
    }
}

#[tokio::test]
async fn a_code_is_only_for_the_registered_client() {
    let (_dirs, app, user) = fresh_shoebox();
    let pkce = Pkce::new();
    let code = code_for(&app, &user, &pkce).await;
    let answer = post_form(
        &app,
        "/oauth2/token",
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "another-app"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("code_verifier", &pkce.verifier),
        ],
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    assert_eq!(answer.oauth_error(), "invalid_client");
}

// ---------------------------------------------------------------------------
// Refusals at the authorize endpoint.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_unregistered_redirect_uri_gets_a_page_and_no_redirect() {
    let (_dirs, app, _user) = fresh_shoebox();
    let pkce = Pkce::new();
    for attacker in [
        "https://evil.example/auth/callback",
        "http://127.0.0.1:8080.evil.example/auth/callback",
        "http://127.0.0.1:8080/auth/callback/../../evil",
        "http://127.0.0.1:8080/auth/callback?next=https://evil.example",
        "http://127.0.0.1:8080/auth/callback#https://evil.example",
        "http://127.0.0.1:8081/auth/callback",
        "https://127.0.0.1:8080/auth/callback",
        "http://127.0.0.1:8080/",
    ] {
        let params = with_param(
            authorize_params(&pkce, REDIRECT_URI),
            "redirect_uri",
            Some(attacker),
        );
        let answer = authorize(&app, &params).await;
        assert_dead_end(&answer, attacker);
        assert!(
            !answer.text().contains(attacker),
            "{attacker} echoed on the page"
        );
    }
    let missing = with_param(authorize_params(&pkce, REDIRECT_URI), "redirect_uri", None);
    assert_dead_end(&authorize(&app, &missing).await, "no redirect_uri");
}

#[tokio::test]
async fn an_unknown_client_gets_a_page_and_no_redirect() {
    let (_dirs, app, _user) = fresh_shoebox();
    let pkce = Pkce::new();
    for client_id in [Some("another-app"), Some(""), None] {
        let params = with_param(
            authorize_params(&pkce, REDIRECT_URI),
            "client_id",
            client_id,
        );
        let answer = authorize(&app, &params).await;
        assert_dead_end(&answer, &format!("client_id {client_id:?}"));
    }
}

#[tokio::test]
async fn a_request_without_s256_pkce_goes_back_to_the_app_as_invalid_request() {
    let (_dirs, app, _user) = fresh_shoebox();
    let pkce = Pkce::new();
    let plain = with_param(
        authorize_params(&pkce, REDIRECT_URI),
        "code_challenge_method",
        Some("plain"),
    );
    let no_method = with_param(
        authorize_params(&pkce, REDIRECT_URI),
        "code_challenge_method",
        None,
    );
    let no_challenge = with_param(
        authorize_params(&pkce, REDIRECT_URI),
        "code_challenge",
        None,
    );
    let short_challenge = with_param(
        authorize_params(&pkce, REDIRECT_URI),
        "code_challenge",
        Some("too-short"),
    );
    for (what, params) in [
        ("plain", plain),
        ("no method", no_method),
        ("no challenge", no_challenge),
        ("short challenge", short_challenge),
    ] {
        let answer = authorize(&app, &params).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{what}");
        let location = answer.location().expect("back to the app");
        assert_eq!(target_of(location), REDIRECT_URI, "{what}");
        let query = query_of(location);
        assert_eq!(
            query.get("error").map(String::as_str),
            Some("invalid_request"),
            "{what}"
        );
        assert_eq!(
            query.get("state").map(String::as_str),
            Some(STATE),
            "{what}"
        );
        assert!(!query.contains_key("code"), "{what}");
    }
}

// ---------------------------------------------------------------------------
// Refusals at the login form.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_wrong_password_is_refused_without_a_code_and_may_be_retried() {
    let (_dirs, app, user) = fresh_shoebox();
    let pkce = Pkce::new();
    let login = start_login(&app, &pkce, REDIRECT_URI).await;

    for (username, password) in [
        ("me", "not the password"),
        ("someone", user.password.as_str()),
        ("me", ""),
    ] {
        let answer = submit_login(&app, &login, username, password).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{username}");
        assert_eq!(answer.location(), None, "{username}");
        let html = answer.text();
        assert!(html.contains("Wrong username or password."), "{html}");
        assert!(!html.contains("code="), "{html}");
        // The form is shown again for another try.
        assert_eq!(login_id(&answer), login);
    }

    let answer = submit_login(&app, &login, &user.username, &user.password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    let location = answer.location().expect("back to the app");
    assert!(query_of(location).contains_key("code"));
}

#[tokio::test]
async fn an_unknown_or_finished_login_transaction_is_refused() {
    let (_dirs, app, user) = fresh_shoebox();
    let unknown = submit_login(&app, "made-up-login-id", &user.username, &user.password).await;
    assert_dead_end(&unknown, "unknown login id");

    let missing_fields = post_form(&app, "/login", &[("username", "me")]).await;
    assert_dead_end(&missing_fields, "no login id");

    // A finished login cannot be replayed for a second code.
    let pkce = Pkce::new();
    let login = start_login(&app, &pkce, REDIRECT_URI).await;
    let first = submit_login(&app, &login, &user.username, &user.password).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let replay = submit_login(&app, &login, &user.username, &user.password).await;
    assert_dead_end(&replay, "replayed login id");
}

// ---------------------------------------------------------------------------
// Brakes: wrong passwords, floods.
// ---------------------------------------------------------------------------

/// The stack with the provider in reach, to set its brakes and look inside.
fn fresh_shoebox_with_provider() -> (
    Dirs,
    Router,
    NewUser,
    std::sync::Arc<local::identity::IdentityProvider>,
) {
    let dirs = Dirs::new();
    let dist = local::spa::Dist::open(dirs.dist.path()).expect("dist");
    let (storage, _, _) =
        local::Storage::open(dirs.data.path(), "http://127.0.0.1:8081").expect("storage");
    let (stack, first_user) =
        local::built_in_identity(dist, dirs.data.path(), ISSUER, storage).expect("provider");
    let provider = stack.identity.clone().expect("the built-in provider");
    (
        dirs,
        local::app(stack),
        first_user.expect("first user"),
        provider,
    )
}

fn login_from(address: [u8; 4], login: &str, username: &str, password: &str) -> Request<Body> {
    let body = serde_urlencoded::to_string([
        ("login", login),
        ("username", username),
        ("password", password),
    ])
    .expect("form");
    let mut request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            address, 50_000,
        ))));
    request
}

/// On main before this change, 25 wrong passwords in a burst got 25 × 401
/// and 25 argon2 checks; 1,000 would have run 1,000 (about 19 MiB each).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_wrong_passwords_is_slowed_and_the_right_one_works_after_the_window() {
    use local::identity::brakes::{BrakeLimits, CONCURRENT_CHECKS, QUEUED_CHECKS};
    let (_dirs, app, user, provider) = fresh_shoebox_with_provider();
    let limits = BrakeLimits {
        window: std::time::Duration::from_secs(2),
        per_account: 10,
        per_address: 30,
    };
    provider.brakes().set_limits(limits);
    let pkce = Pkce::new();
    let login = start_login(&app, &pkce, REDIRECT_URI).await;

    let mut burst = tokio::task::JoinSet::new();
    for n in 0..1_000 {
        let app = app.clone();
        let request = login_from([10, 0, 0, 7], &login, "me", &format!("guess-{n}"));
        burst.spawn(async move { send(&app, request).await });
    }
    let (mut refused, mut slowed) = (0, 0);
    while let Some(answer) = burst.join_next().await {
        let answer = answer.expect("joined");
        match answer.status {
            StatusCode::UNAUTHORIZED => refused += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                slowed += 1;
                let wait: u64 = answer
                    .header(header::RETRY_AFTER)
                    .expect("Retry-After")
                    .parse()
                    .expect("seconds");
                assert!((1..=2).contains(&wait), "{wait}");
            }
            other => panic!("{other}: {}", answer.text()),
        }
    }
    assert_eq!(refused + slowed, 1_000);
    let checked = provider.brakes().checks_run();
    assert!(
        checked <= CONCURRENT_CHECKS + QUEUED_CHECKS + limits.per_account as usize,
        "{checked} argon2 checks ran for 1,000 tries"
    );
    assert_eq!(refused, checked, "every check was a wrong password");

    // Locked now, even with the right password, from anywhere...
    let locked = send(
        &app,
        login_from([10, 0, 0, 8], &login, "me", &user.password),
    )
    .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.text().contains("Too many"), "{}", locked.text());
    // ...until the window ends.
    tokio::time::sleep(limits.window + std::time::Duration::from_millis(100)).await;
    let answer = send(
        &app,
        login_from([10, 0, 0, 8], &login, "me", &user.password),
    )
    .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.text());
}

#[tokio::test]
async fn a_flood_of_login_pages_keeps_a_bounded_number_waiting() {
    use local::identity::MAX_PENDING_LOGINS;
    let (_dirs, app, user, provider) = fresh_shoebox_with_provider();
    let pkce = Pkce::new();
    let first = start_login(&app, &pkce, REDIRECT_URI).await;
    for _ in 0..MAX_PENDING_LOGINS + 200 {
        start_login(&app, &pkce, REDIRECT_URI).await;
    }
    assert_eq!(provider.pending_logins(), MAX_PENDING_LOGINS);
    let oldest = submit_login(&app, &first, &user.username, &user.password).await;
    assert_dead_end(&oldest, "the oldest page was forgotten");
    let newest = start_login(&app, &pkce, REDIRECT_URI).await;
    let answer = submit_login(&app, &newest, &user.username, &user.password).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
}

// ---------------------------------------------------------------------------
// Refresh, revoke, logout, restart.
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_refresh_token_gives_new_tokens_until_it_is_revoked() {
    let (_dirs, app, user) = fresh_shoebox();
    let tokens = sign_in_for_tokens(&app, &user).await;
    let refresh_token = tokens.refresh.expect("a refresh token");

    let refreshed = tokens_of(&refresh(&app, &refresh_token).await);
    assert!(refreshed.refresh.is_none(), "the refresh token is kept");
    assert_ne!(refreshed.access, tokens.access);
    let (status, me) = who_am_i(&app, &refreshed.access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["name"], "me");
    let id = unverified_claims(&refreshed.id);
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["aud"], CLIENT_ID);

    // An access token is not a refresh token.
    assert_invalid_grant(&refresh(&app, &tokens.access).await);

    let revoked = post_form(
        &app,
        "/oauth2/revoke",
        &[("token", &refresh_token), ("client_id", CLIENT_ID)],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert_invalid_grant(&refresh(&app, &refresh_token).await);
}

#[tokio::test]
async fn tokens_keys_and_sessions_survive_a_restart() {
    let dirs = Dirs::new();
    let (before, first_user) = dirs.open();
    let user = first_user.expect("the first open makes the first user");
    let tokens = sign_in_for_tokens(&before, &user).await;
    let (status, me_before) = who_am_i(&before, &tokens.access).await;
    assert_eq!(status, StatusCode::OK);
    drop(before);

    let (after, second_user) = dirs.open();
    assert!(
        second_user.is_none(),
        "the password is shown on the first open only"
    );

    let (status, me_after) = who_am_i(&after, &tokens.access).await;
    assert_eq!(status, StatusCode::OK, "the old access token still works");
    assert_eq!(me_after, me_before);

    let keys = published_keys(&after).await;
    assert_eq!(keys.keys.len(), 1);
    assert_eq!(
        keys.keys[0].common.key_id.as_deref(),
        Some(kid_of(&tokens.access).as_str()),
        "the signing key is the same"
    );

    let refresh_token = tokens.refresh.expect("a refresh token");
    let refreshed = tokens_of(&refresh(&after, &refresh_token).await);
    assert_eq!(kid_of(&refreshed.access), kid_of(&tokens.access));

    // The first password still signs in.
    let again = sign_in_for_tokens(&after, &user).await;
    assert_eq!(who_am_i(&after, &again.access).await.0, StatusCode::OK);
}

#[tokio::test]
async fn logout_goes_only_to_registered_addresses() {
    let (_dirs, app, _user) = fresh_shoebox();
    let logout = |client_id: &str, logout_uri: &str| {
        let query =
            serde_urlencoded::to_string([("client_id", client_id), ("logout_uri", logout_uri)])
                .expect("query");
        format!("/logout?{query}")
    };

    let registered = get(&app, &logout(CLIENT_ID, LOGOUT_URI)).await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER);
    assert_eq!(registered.location(), Some(LOGOUT_URI));

    for (client_id, logout_uri) in [
        (CLIENT_ID, "https://evil.example/"),
        (CLIENT_ID, "http://127.0.0.1:8080.evil.example/"),
        (CLIENT_ID, "http://127.0.0.1:8080/elsewhere"),
        ("another-app", LOGOUT_URI),
    ] {
        let answer = get(&app, &logout(client_id, logout_uri)).await;
        assert_dead_end(&answer, &format!("{client_id} {logout_uri}"));
    }
    let bare = get(&app, "/logout").await;
    assert_dead_end(&bare, "no parameters");
}
