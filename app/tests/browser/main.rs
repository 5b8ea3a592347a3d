//! The SPA in a real browser (headless Chromium through wasm-bindgen-test-runner).
//! - `api_retries`: the API client asking again when the API says when to.
//! - `config`: loading `/config.json` over real `fetch`, and the error screen a
//!   person sees when it is broken.
//! - `photo_pool`: the worker pool's handling of answers, crashes and hangs.
//! - `sign_in`: starting a sign-in when the browser's randomness fails.
#![cfg(target_arch = "wasm32")]

mod api_retries;
mod config;
mod photo_pool;
mod sign_in;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A URL the browser can `fetch` that answers `body` with `content_type`.
pub fn blob_url(body: &str, content_type: &str) -> String {
    let parts = js_sys::Array::of1(&body.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).expect("blob");
    web_sys::Url::create_object_url_with_blob(&blob).expect("blob URL")
}

pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .expect("setTimeout");
    });
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .expect("timer");
}
