//! Checking an id token before believing who it names: RS256 signature against the
//! provider's JWKS (by the browser's WebCrypto, so no RSA code ships in our wasm),
//! then `iss`, `aud`, `exp`, `nonce` and `token_use`.

use api_types::AuthConfig;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use gloo_net::http::Request;
use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::session::SessionUser;
use crate::browser::{describe, now_ms};

/// Clock skew tolerated on `exp`.
const LEEWAY_MS: f64 = 60_000.0;

#[derive(Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    iss: String,
    aud: Value,
    exp: f64,
    sub: String,
    nonce: Option<String>,
    token_use: Option<String>,
    #[serde(rename = "cognito:username")]
    cognito_username: Option<String>,
    preferred_username: Option<String>,
    email: Option<String>,
}

fn decode_part<T: for<'de> Deserialize<'de>>(part: &str, what: &str) -> Result<T, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| format!("the {what} is not base64url"))?;
    serde_json::from_slice(&bytes).map_err(|error| format!("the {what} is not valid: {error}"))
}

/// The user an id token names, if every check passes. `nonce` is the one sent with
/// the authorization request (`None` for a token from a refresh, which has none).
pub async fn verify(
    config: &AuthConfig,
    token: &str,
    nonce: Option<&str>,
) -> Result<SessionUser, String> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header_part, claims_part, signature_part] = parts[..] else {
        return Err("not a JWT".into());
    };
    let header: Header = decode_part(header_part, "header")?;
    if header.alg != "RS256" {
        return Err(format!("algorithm {} is not accepted", header.alg));
    }
    let claims: Claims = decode_part(claims_part, "payload")?;
    if claims.iss != config.issuer {
        return Err("issued by another provider".into());
    }
    let audience_ok = match &claims.aud {
        Value::String(aud) => aud == &config.client_id,
        Value::Array(auds) => auds
            .iter()
            .any(|aud| aud.as_str() == Some(&config.client_id)),
        _ => false,
    };
    if !audience_ok {
        return Err("issued to another app".into());
    }
    if claims.exp * 1000.0 + LEEWAY_MS < now_ms() {
        return Err("expired".into());
    }
    if let Some(expected) = nonce
        && claims.nonce.as_deref() != Some(expected)
    {
        return Err("the nonce does not match this sign-in".into());
    }
    if claims.token_use.as_deref().is_some_and(|use_| use_ != "id") {
        return Err("not an id token".into());
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature_part)
        .map_err(|_| "the signature is not base64url".to_owned())?;
    let signed = format!("{header_part}.{claims_part}");
    let jwk = provider_key(config, header.kid.as_deref()).await?;
    if !rs256_verify(&jwk, signed.as_bytes(), &signature)
        .await
        .map_err(|error| format!("cannot check the signature: {}", describe(&error)))?
    {
        return Err("the signature is not the provider's".into());
    }
    let username = claims
        .cognito_username
        .or(claims.preferred_username)
        .or_else(|| claims.email.clone())
        .unwrap_or_else(|| claims.sub.clone());
    Ok(SessionUser {
        sub: claims.sub,
        username,
        email: claims.email,
    })
}

/// The provider's public key `kid` (the only one, if the token names none).
async fn provider_key(config: &AuthConfig, kid: Option<&str>) -> Result<Value, String> {
    let response = Request::get(&config.jwks_url())
        .send()
        .await
        .map_err(|error| format!("cannot fetch the provider's keys: {error}"))?;
    if !response.ok() {
        return Err(format!(
            "the provider's keys answered {}",
            response.status()
        ));
    }
    let set: Value = response
        .json()
        .await
        .map_err(|error| format!("the provider's keys are not JSON: {error}"))?;
    let keys = set["keys"].as_array().cloned().unwrap_or_default();
    let rsa_keys: Vec<Value> = keys.into_iter().filter(|key| key["kty"] == "RSA").collect();
    match kid {
        Some(kid) => rsa_keys.into_iter().find(|key| key["kid"] == kid),
        None if rsa_keys.len() == 1 => rsa_keys.into_iter().next(),
        None => None,
    }
    .ok_or_else(|| "the provider has no such key".into())
}

async fn rs256_verify(jwk: &Value, signed: &[u8], signature: &[u8]) -> Result<bool, JsValue> {
    let subtle = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .crypto()?
        .subtle();
    let key_data = Object::new();
    for field in ["n", "e"] {
        let value = jwk[field].as_str().unwrap_or_default();
        Reflect::set(&key_data, &field.into(), &value.into())?;
    }
    Reflect::set(&key_data, &"kty".into(), &"RSA".into())?;
    Reflect::set(&key_data, &"alg".into(), &"RS256".into())?;
    let algorithm = Object::new();
    Reflect::set(&algorithm, &"name".into(), &"RSASSA-PKCS1-v1_5".into())?;
    Reflect::set(&algorithm, &"hash".into(), &"SHA-256".into())?;
    let usages = Array::of1(&"verify".into());
    let key = JsFuture::from(
        subtle.import_key_with_object("jwk", &key_data, &algorithm, false, &usages)?,
    )
    .await?
    .dyn_into::<web_sys::CryptoKey>()?;
    let verified = JsFuture::from(
        subtle.verify_with_object_and_buffer_source_and_buffer_source(
            &algorithm,
            &key,
            &Uint8Array::from(signature),
            &Uint8Array::from(signed),
        )?,
    )
    .await?;
    Ok(verified.as_bool() == Some(true))
}
