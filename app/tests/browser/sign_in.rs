//! Starting a sign-in when the browser's randomness fails: an error the page
//! can show, never a sign-in with a guessable PKCE verifier, `state` or `nonce`.

use app::{
    auth::SignInError,
    browser::{NoRandomness, random_bytes},
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// Makes `crypto.getRandomValues` throw until the guard is dropped.
struct BrokenRandomness(web_sys::Crypto);

impl BrokenRandomness {
    fn new() -> Self {
        let crypto = web_sys::window().expect("window").crypto().expect("crypto");
        let throwing = js_sys::Function::new_no_args("throw new Error('QuotaExceededError')");
        js_sys::Reflect::set(&crypto, &"getRandomValues".into(), &throwing).expect("override");
        Self(crypto)
    }
}

impl Drop for BrokenRandomness {
    fn drop(&mut self) {
        let _ = js_sys::Reflect::delete_property(&self.0, &JsValue::from_str("getRandomValues"));
    }
}

/// On main before this change, the bytes came back as zeros.
#[wasm_bindgen_test]
fn random_bytes_are_an_error_when_webcrypto_fails_never_zeros() {
    let working = random_bytes::<32>().expect("WebCrypto works here");
    assert_ne!(working, [0; 32]);
    let broken = BrokenRandomness::new();
    assert!(matches!(random_bytes::<32>(), Err(NoRandomness(_))));
    drop(broken);
    assert!(random_bytes::<32>().is_ok(), "restored");
}

#[wasm_bindgen_test]
async fn a_sign_in_does_not_start_without_randomness() {
    let config: api_types::RuntimeConfig =
        serde_json::from_str(super::config::VALID).expect("config");
    let session = web_sys::window()
        .expect("window")
        .session_storage()
        .expect("storage")
        .expect("sessionStorage");
    session.clear().expect("clear");
    let broken = BrokenRandomness::new();
    let started = app::auth::flow::begin(&config.auth, "/albums").await;
    drop(broken);
    let error = started.expect_err("no sign-in without randomness");
    assert!(matches!(error, SignInError::NoRandomness(_)), "{error:?}");
    assert!(error.user_message().contains("secret codes"));
    assert_eq!(
        session.length().expect("length"),
        0,
        "nothing was kept for a callback"
    );
}
