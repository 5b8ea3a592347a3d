//! The API client when the API cannot check the token (its sign-in service
//! is down): a 503 that says when to come back is asked again, and the person
//! stays signed in. `fetch` is replaced for one path, so no server is needed.

use api_types::Me;
use app::{
    api::{Api, ApiError},
    auth::{
        Auth,
        session::{Session, SessionUser},
    },
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// Answers `{base}/me` with `failures` 503s (with `Retry-After: 1` when
/// `says_when`), then the user; counts the calls in `window.__meCalls`.
fn fake_me(base: &str, failures: u32, says_when: bool) {
    let install = js_sys::Function::new_with_args(
        "base, failures, saysWhen",
        r#"
        window.__realFetch = window.__realFetch || window.fetch;
        window.__meCalls = 0;
        window.fetch = async (input, init) => {
          const url = typeof input === 'string' ? input : input.url;
          if (!url.includes(base + '/me')) return window.__realFetch(input, init);
          window.__meCalls += 1;
          if (window.__meCalls <= failures) {
            const headers = { 'Content-Type': 'application/json' };
            if (saysWhen) headers['Retry-After'] = '1';
            const body = { error: { code: 'auth_unavailable', message: 'Sign-in cannot be checked right now. Try again in a moment.' } };
            return new Response(JSON.stringify(body), { status: 503, headers });
          }
          return new Response(JSON.stringify({ id: 'sub-1', name: 'me' }), { status: 200, headers: { 'Content-Type': 'application/json' } });
        };
        "#,
    );
    install
        .call3(
            &JsValue::NULL,
            &base.into(),
            &failures.into(),
            &says_when.into(),
        )
        .expect("fetch replaced");
}

fn calls() -> u32 {
    let window = web_sys::window().expect("window");
    js_sys::Reflect::get(&window, &"__meCalls".into())
        .ok()
        .and_then(|calls| calls.as_f64())
        .unwrap_or_default() as u32
}

fn restore_fetch() {
    let window = web_sys::window().expect("window");
    if let Ok(real) = js_sys::Reflect::get(&window, &"__realFetch".into())
        && !real.is_undefined()
    {
        let _ = js_sys::Reflect::set(&window, &"fetch".into(), &real);
    }
    Session::clear();
}

fn signed_in_api(base: &str) -> (Api, Auth) {
    // `Auth` keeps the session fresh on Leptos's executor, which mounting
    // the app would have started; this test mounts nothing.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let config: api_types::RuntimeConfig =
        serde_json::from_str(super::config::VALID).expect("config");
    Session {
        access_token: "an-access-token".into(),
        id_token: "an-id-token".into(),
        refresh_token: None,
        expires_at_ms: js_sys::Date::now() + 3_600_000.0,
        user: SessionUser {
            sub: "sub-1".into(),
            username: "me".into(),
            email: None,
        },
    }
    .save();
    let auth = Auth::new(config.auth);
    (Api::new(base.to_owned(), auth), auth)
}

/// Before this change the first 503 was the answer: an error on the page.
#[wasm_bindgen_test]
async fn a_503_that_says_when_is_asked_again_and_the_person_stays_signed_in() {
    fake_me("/api-retries-a", 2, true);
    let (api, auth) = signed_in_api("/api-retries-a");
    let me = api.me().await;
    let made = calls();
    restore_fetch();
    assert_eq!(
        me,
        Ok(Me {
            id: "sub-1".into(),
            name: "me".into()
        })
    );
    assert_eq!(made, 3, "two 503s, then the answer");
    assert!(auth.user().is_some(), "still signed in");
}

#[wasm_bindgen_test]
async fn a_503_that_does_not_say_when_is_an_error_at_once_and_not_a_sign_out() {
    fake_me("/api-retries-b", 5, false);
    let (api, auth) = signed_in_api("/api-retries-b");
    let me = api.me().await;
    let made = calls();
    restore_fetch();
    assert!(
        matches!(me, Err(ApiError::Server { status: 503, .. })),
        "{me:?}"
    );
    assert_eq!(made, 1);
    assert!(auth.user().is_some(), "a 503 never signs out");
}
