//! Bearer token verification: the table of tokens an attacker or a confused client
//! might send, each answered exactly as expected, plus the JWKS cache's behaviour.

use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use api_types::{ErrorBody, Me};
use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use http_body_util::BodyExt;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use lambda_index::{
    ApiState,
    auth::{AuthError, KeyTiming, TokenVerifier, User, verifier::LEEWAY},
};
use serde_json::{Value, json};
use tower::ServiceExt;

mod support;
use support::{
    CLIENT, FixedJwks, ISSUER_KEY, ISSUER_PUBLIC, KID, OTHER_KEY, access_claims, identity, jwks,
    now, sign, sign_with, verifier_with,
};

fn with(mut claims: Value, key: &str, value: Value) -> Value {
    claims[key] = value;
    claims
}

fn unsigned(header: &Value, claims: &Value) -> String {
    let part = |value: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).expect("json"));
    format!("{}.{}.", part(header), part(claims))
}

#[tokio::test]
async fn the_token_table() {
    let valid = access_claims();
    let tampered = {
        let token = sign(&valid);
        let mut parts: Vec<&str> = token.split('.').collect();
        let evil = URL_SAFE_NO_PAD.encode(
            serde_json::to_vec(&with(valid.clone(), "sub", json!("someone-else"))).expect("json"),
        );
        parts[1] = &evil;
        parts.join(".")
    };
    let hs256_with_public_key = {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(KID.to_owned());
        encode(&header, &valid, &EncodingKey::from_secret(ISSUER_PUBLIC)).expect("signs")
    };
    let id_token = sign(&with(
        with(valid.clone(), "token_use", json!("id")),
        "aud",
        json!(CLIENT),
    ));

    let table: Vec<(&str, String, Result<User, AuthError>)> = vec![
        (
            "valid",
            sign(&valid),
            Ok(User {
                id: "0b5e7c1a-user".into(),
                name: "alice".into(),
            }),
        ),
        (
            "alg none",
            unsigned(&json!({"alg": "none", "typ": "JWT", "kid": KID}), &valid),
            Err(AuthError::Malformed),
        ),
        (
            "HS256 signed with the RSA public key",
            hs256_with_public_key,
            Err(AuthError::Algorithm("HS256".into())),
        ),
        (
            "wrong issuer",
            sign(&with(valid.clone(), "iss", json!("https://evil.example"))),
            Err(AuthError::Invalid("InvalidIssuer".into())),
        ),
        (
            "wrong client",
            sign(&with(valid.clone(), "client_id", json!("another-app"))),
            Err(AuthError::WrongClient),
        ),
        (
            "id token where an access token is required",
            id_token,
            Err(AuthError::WrongTokenUse(Some("id".into()))),
        ),
        (
            "expired",
            sign(&with(valid.clone(), "exp", json!(now() - 120))),
            Err(AuthError::Invalid("ExpiredSignature".into())),
        ),
        (
            "expired within the leeway",
            sign(&with(valid.clone(), "exp", json!(now() - 10))),
            Ok(User {
                id: "0b5e7c1a-user".into(),
                name: "alice".into(),
            }),
        ),
        (
            "not yet valid",
            sign(&with(valid.clone(), "nbf", json!(now() + 600))),
            Err(AuthError::Invalid("ImmatureSignature".into())),
        ),
        (
            "unknown kid",
            sign_with(&valid, Some("rotated-away"), ISSUER_KEY),
            Err(AuthError::UnknownKey("rotated-away".into())),
        ),
        (
            "no kid",
            sign_with(&valid, None, ISSUER_KEY),
            Err(AuthError::NoKeyId),
        ),
        (
            "signed by another key under the issuer's kid",
            sign_with(&valid, Some(KID), OTHER_KEY),
            Err(AuthError::Invalid("InvalidSignature".into())),
        ),
        (
            "tampered payload",
            tampered,
            Err(AuthError::Invalid("InvalidSignature".into())),
        ),
        ("garbage", "not.a.jwt".to_owned(), Err(AuthError::Malformed)),
        ("empty", String::new(), Err(AuthError::Malformed)),
        (
            "no token_use",
            sign(
                &valid
                    .as_object()
                    .map(|claims| {
                        let mut claims = claims.clone();
                        claims.remove("token_use");
                        Value::Object(claims)
                    })
                    .expect("object"),
            ),
            Err(AuthError::WrongTokenUse(None)),
        ),
    ];

    for (case, token, expected) in table {
        // A fresh verifier per case: the back-off of one case must not shape the next.
        let verifier = verifier_with(jwks(true));
        let got = verifier.verify(&token).await;
        assert_eq!(got, expected, "case: {case}");
    }
}

#[tokio::test]
async fn keys_are_fetched_once_and_unknown_kids_cannot_hammer_the_issuer() {
    let source = jwks(true);
    let verifier = verifier_with(source.clone());
    for _ in 0..5 {
        verifier
            .verify(&sign(&access_claims()))
            .await
            .expect("valid");
    }
    assert_eq!(
        source.fetches.load(Ordering::SeqCst),
        1,
        "cached after the first fetch"
    );

    for n in 0..20 {
        let forged = sign_with(&access_claims(), Some(&format!("forged-{n}")), ISSUER_KEY);
        assert!(matches!(
            verifier.verify(&forged).await,
            Err(AuthError::UnknownKey(_))
        ));
    }
    assert_eq!(
        source.fetches.load(Ordering::SeqCst),
        1,
        "no re-fetch inside the back-off"
    );
}

#[tokio::test]
async fn an_unknown_kid_on_a_cold_cache_fetches_once() {
    let source = jwks(true);
    let verifier = verifier_with(source.clone());
    let rotated = sign_with(&access_claims(), Some("new-key"), ISSUER_KEY);
    assert_eq!(
        verifier.verify(&rotated).await,
        Err(AuthError::UnknownKey("new-key".into()))
    );
    assert_eq!(
        verifier.verify(&rotated).await,
        Err(AuthError::UnknownKey("new-key".into()))
    );
    assert_eq!(source.fetches.load(Ordering::SeqCst), 1);
}

async fn call_me(
    state: ApiState,
    authorization: Option<&str>,
) -> (StatusCode, Option<String>, Vec<u8>) {
    let mut request = Request::get("/api/me");
    if let Some(value) = authorization {
        request = request.header(header::AUTHORIZATION, value);
    }
    let response = lambda_index::router(state)
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    let challenge = response
        .headers()
        .get(header::WWW_AUTHENTICATE)
        .map(|value| value.to_str().expect("ascii").to_owned());
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, challenge, body)
}

fn state(source: Arc<FixedJwks>) -> ApiState {
    support::state(verifier_with(source))
}

#[tokio::test]
async fn me_answers_the_verified_user() {
    let token = sign(&access_claims());
    let (status, _, body) = call_me(state(jwks(true)), Some(&format!("Bearer {token}"))).await;
    assert_eq!(status, StatusCode::OK);
    let me: Me = serde_json::from_slice(&body).expect("me");
    assert_eq!(
        me,
        Me {
            id: "0b5e7c1a-user".into(),
            name: "alice".into()
        }
    );
}

#[tokio::test]
async fn every_refusal_looks_the_same_to_the_caller() {
    let expired = sign(&with(access_claims(), "exp", json!(now() - 3600)));
    let foreign = sign_with(&access_claims(), Some(KID), OTHER_KEY);
    let mut answers = Vec::new();
    for authorization in [
        None,
        Some("Basic dXNlcjpwYXNz".to_owned()),
        Some("Bearer ".to_owned()),
        Some(format!("Bearer {expired}")),
        Some(format!("Bearer {foreign}")),
        Some("Bearer garbage".to_owned()),
    ] {
        let (status, challenge, body) = call_me(state(jwks(true)), authorization.as_deref()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_eq!(challenge.as_deref(), Some("Bearer error=\"invalid_token\""));
        let error: ErrorBody = serde_json::from_slice(&body).expect("error JSON");
        assert_eq!(error.error.code, "unauthorized");
        answers.push(body);
    }
    answers.dedup();
    assert_eq!(answers.len(), 1, "one and the same body for every refusal");
}

#[tokio::test]
async fn unreachable_keys_are_a_503_not_a_sign_out() {
    let token = sign(&access_claims());
    let (status, challenge, body) =
        call_me(state(jwks(false)), Some(&format!("Bearer {token}"))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(challenge.is_none());
    let error: ErrorBody = serde_json::from_slice(&body).expect("error JSON");
    assert_eq!(error.error.code, "auth_unavailable");
}

#[tokio::test]
async fn a_remembered_token_still_expires() {
    let verifier = verifier_with(jwks(true));
    // Valid only thanks to the leeway, and only for another second.
    let token = sign(&with(
        access_claims(),
        "exp",
        json!(now() - LEEWAY.as_secs() as i64 + 1),
    ));
    assert!(
        verifier.verify(&token).await.is_ok(),
        "valid, and remembered"
    );
    assert!(verifier.verify(&token).await.is_ok(), "from memory");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert!(
        matches!(verifier.verify(&token).await, Err(AuthError::Invalid(_))),
        "remembered or not, an expired token is refused"
    );
    // Another user's token is its own entry, never the first one's user.
    let bob = sign(&with(access_claims(), "sub", json!("bob")));
    assert_eq!(verifier.verify(&bob).await.expect("valid").id, "bob");
}

/// Short times, so the tests can wait them out.
fn quick_timing() -> KeyTiming {
    KeyTiming {
        unknown_kid_interval: Duration::from_millis(200),
        max_age: Duration::from_millis(300),
        first_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(400),
    }
}

/// A fresh token each time (another `jti`), so none comes from the verifier's memory.
fn fresh_token(n: u32) -> String {
    sign(&with(access_claims(), "jti", json!(format!("fresh-{n}"))))
}

/// On main before this change, the second try inside the back-off was a 401:
/// the SPA took it as "signed out".
#[tokio::test]
async fn while_no_key_set_was_ever_fetched_every_token_is_unavailable_never_refused() {
    let source = jwks(false);
    let verifier = TokenVerifier::with_timing(identity(), source.clone(), quick_timing());
    for n in 0..5 {
        assert!(
            matches!(
                verifier.verify(&fresh_token(n)).await,
                Err(AuthError::KeysUnavailable(_))
            ),
            "try {n}"
        );
    }
    assert_eq!(
        source.fetches.load(Ordering::SeqCst),
        1,
        "tries inside the back-off do not fetch"
    );
    source.available.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(150)).await;
    assert!(verifier.verify(&fresh_token(9)).await.is_ok(), "back");
}

#[tokio::test]
async fn failed_fetches_back_off_exponentially() {
    let source = jwks(false);
    let verifier = TokenVerifier::with_timing(identity(), source.clone(), quick_timing());
    let fetches = || source.fetches.load(Ordering::SeqCst);
    let _ = verifier.verify(&fresh_token(0)).await;
    tokio::time::sleep(Duration::from_millis(120)).await;
    let _ = verifier.verify(&fresh_token(1)).await;
    assert_eq!(fetches(), 2, "after the first failure: 100 ms");
    tokio::time::sleep(Duration::from_millis(120)).await;
    let _ = verifier.verify(&fresh_token(2)).await;
    assert_eq!(fetches(), 2, "after the second: 200 ms");
    tokio::time::sleep(Duration::from_millis(120)).await;
    let _ = verifier.verify(&fresh_token(3)).await;
    assert_eq!(fetches(), 3);
}

#[tokio::test]
async fn an_old_key_set_keeps_serving_when_its_refresh_fails() {
    let source = jwks(true);
    let verifier = TokenVerifier::with_timing(identity(), source.clone(), quick_timing());
    verifier.verify(&fresh_token(0)).await.expect("valid");
    source.available.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(350)).await;
    for n in 1..4 {
        assert!(
            verifier.verify(&fresh_token(n)).await.is_ok(),
            "the last good set serves while the issuer is down"
        );
        tokio::task::yield_now().await;
    }
    assert_eq!(
        source.fetches.load(Ordering::SeqCst),
        2,
        "one background refresh, then the back-off"
    );
    let via_router = call_me(
        support::state(verifier),
        Some(&format!("Bearer {}", fresh_token(7))),
    )
    .await;
    assert_eq!(via_router.0, StatusCode::OK);
}

/// On main before this change a key set was kept for ever: a key the issuer
/// withdrew went on verifying tokens.
#[tokio::test]
async fn a_key_the_issuer_withdrew_stops_working_once_the_set_is_old() {
    let source = jwks(true);
    let verifier = TokenVerifier::with_timing(identity(), source.clone(), quick_timing());
    verifier.verify(&fresh_token(0)).await.expect("valid");
    source.withdrawn.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(
        verifier.verify(&fresh_token(1)).await.is_ok(),
        "served from the old set while the refresh runs"
    );
    // Let the background refresh land.
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(10)).await;
        if source.fetches.load(Ordering::SeqCst) == 2 {
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(
        matches!(
            verifier.verify(&fresh_token(2)).await,
            Err(AuthError::UnknownKey(_))
        ),
        "gone from the refreshed set"
    );
}

#[tokio::test]
async fn an_unknown_kid_while_the_issuer_is_down_is_unavailable_not_a_sign_out() {
    let source = jwks(true);
    let verifier = TokenVerifier::with_timing(identity(), source.clone(), quick_timing());
    verifier.verify(&fresh_token(0)).await.expect("valid");
    source.available.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(250)).await;
    let rotated = sign_with(&access_claims(), Some("rotated-in"), ISSUER_KEY);
    let (status, _, _) =
        call_me(support::state(verifier), Some(&format!("Bearer {rotated}"))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}
