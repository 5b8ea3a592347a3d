//! Start-up: loading `/config.json` over real `fetch`, and the error screen a
//! person sees when it is broken.

use super::{blob_url, sleep_ms};
use app::{config, error::ConfigError};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

pub const VALID: &str = r#"{ "api_base": "/api",
  "auth": { "issuer": "http://127.0.0.1:8080", "authorize_url": "http://127.0.0.1:8080/oauth2/authorize",
            "token_url": "http://127.0.0.1:8080/oauth2/token", "logout_url": "http://127.0.0.1:8080/logout",
            "client_id": "shoebox-local", "scopes": ["openid","email","profile"], "redirect_path": "/auth/callback" },
  "upload": { "max_original_bytes": 209715200, "concurrency": 4 } }"#;

/// Waits up to five seconds for `element`'s text to contain `needle`.
async fn wait_for_text(element: &web_sys::HtmlElement, needle: &str) -> String {
    for _ in 0..100 {
        let text = element.inner_text();
        if text.contains(needle) {
            return text;
        }
        sleep_ms(50).await;
    }
    panic!(
        "never saw {needle:?}; the page says: {}",
        element.inner_text()
    );
}

fn fresh_container() -> web_sys::HtmlElement {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let element = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&element)
        .expect("append");
    element.dyn_into().expect("HtmlElement")
}

#[wasm_bindgen_test]
async fn a_valid_config_loads_over_fetch() {
    let loaded = config::load(&blob_url(VALID, "application/json"))
        .await
        .expect("loads");
    assert_eq!(loaded.api_base, "/api");
    assert_eq!(loaded.upload.concurrency, 4);
}

#[wasm_bindgen_test]
async fn a_missing_config_is_reported_with_its_status() {
    let error = config::load("/no-such-config.json").await.expect_err("404");
    assert!(
        matches!(error, ConfigError::Status { status: 404, .. }),
        "{error:?}"
    );
    assert!(error.user_message().contains("missing its settings file"));
}

#[wasm_bindgen_test]
async fn an_unreachable_server_is_transient() {
    // Port 9 (discard) is closed on loopback: the fetch itself fails.
    let error = config::load("http://127.0.0.1:9/config.json")
        .await
        .expect_err("unreachable");
    assert!(matches!(error, ConfigError::Unreachable(_)), "{error:?}");
    assert!(error.is_transient());
}

#[wasm_bindgen_test]
async fn a_config_with_a_bad_value_names_the_field() {
    let broken = VALID.replace(r#""concurrency": 4"#, r#""concurrency": 0"#);
    let error = config::load(&blob_url(&broken, "application/json"))
        .await
        .expect_err("invalid");
    match error {
        ConfigError::Invalid(problem) => assert_eq!(problem.field, "upload.concurrency"),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_broken_config_shows_the_error_screen_not_a_blank_page() {
    let container = fresh_container();
    let url = blob_url("<html>oops</html>", "text/html");
    let _handle = leptos::mount::mount_to(container.clone(), move || {
        view! { <app::app::App config_url=url.clone() /> }
    });
    let text = wait_for_text(&container, "Shoebox can't start").await;
    assert!(
        text.contains("settings file (config.json) is broken"),
        "{text}"
    );
    let retry = container
        .query_selector("button")
        .expect("query")
        .expect("a retry button");
    assert_eq!(retry.text_content().as_deref(), Some("Try again"));
}

#[wasm_bindgen_test]
fn the_sign_in_goes_straight_to_the_one_provider_when_the_config_names_it() {
    let mut config: api_types::RuntimeConfig = serde_json::from_str(VALID).expect("config");
    let param = |url: &str, name: &str| {
        web_sys::Url::new(url)
            .expect("url")
            .search_params()
            .get(name)
    };
    let url = app::auth::flow::authorize_url(&config.auth, "st", "no", "ch");
    assert_eq!(param(&url, "code_challenge").as_deref(), Some("ch"));
    assert_eq!(
        param(&url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(param(&url, "state").as_deref(), Some("st"));
    assert_eq!(
        param(&url, "identity_provider"),
        None,
        "the built-in provider has no chooser"
    );

    config.auth.identity_provider = Some("Google".into());
    let url = app::auth::flow::authorize_url(&config.auth, "st", "no", "ch");
    assert_eq!(
        param(&url, "identity_provider").as_deref(),
        Some("Google"),
        "Cognito's Hosted UI skips its one-button page"
    );
}
