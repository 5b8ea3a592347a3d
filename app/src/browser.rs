//! Thin, typed wrappers over the browser APIs the app uses outside the DOM: clock,
//! timers, randomness, SHA-256, web storage, navigation.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn window() -> web_sys::Window {
    web_sys::window().expect("the app runs in a window")
}

/// Milliseconds since the epoch.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// `performance.now()`: milliseconds since the page started, for measuring.
pub fn performance_now() -> f64 {
    window()
        .performance()
        .map_or(0.0, |performance| performance.now())
}

/// Records a User Timing measure from `start_ms` (a [`performance_now`]) until
/// now, so DevTools and the bench (`cargo xtask bench`) see where time goes.
pub fn measure(name: &str, start_ms: f64) {
    let Some(performance) = window().performance() else {
        return;
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &start_ms.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &performance.now().into());
    if let Ok(measure) = js_sys::Reflect::get(&performance, &"measure".into())
        .and_then(|measure| measure.dyn_into::<js_sys::Function>())
    {
        let _ = measure.call2(&performance, &name.into(), &options);
    }
}

/// Resolves after `ms` milliseconds.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms.max(0));
    });
    let _ = JsFuture::from(promise).await;
}

/// The browser would not give random bytes (no WebCrypto, or it threw).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the browser's secure random numbers are not available: {0}")]
pub struct NoRandomness(pub String);

/// `N` bytes from the browser's CSPRNG. An error when WebCrypto is missing or
/// fails: never zeros, which would make a PKCE verifier or a `state` guessable.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], NoRandomness> {
    let mut bytes = [0u8; N];
    let crypto = window()
        .crypto()
        .map_err(|error| NoRandomness(describe(&error)))?;
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|error| NoRandomness(describe(&error)))?;
    Ok(bytes)
}

/// SHA-256 by the browser's own WebCrypto.
pub async fn sha256(data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let subtle = window().crypto()?.subtle();
    let digest = JsFuture::from(subtle.digest_with_str_and_u8_array("SHA-256", data)?).await?;
    Ok(js_sys::Uint8Array::new(&digest).to_vec())
}

/// One key in localStorage (survives restarts and is shared by tabs) or
/// sessionStorage (this tab only, survives the sign-in redirect).
#[derive(Clone, Copy)]
pub enum Store {
    Local,
    Session,
}

impl Store {
    fn storage(self) -> Option<web_sys::Storage> {
        match self {
            Store::Local => window().local_storage().ok().flatten(),
            Store::Session => window().session_storage().ok().flatten(),
        }
    }

    pub fn get(self, key: &str) -> Option<String> {
        self.storage()?.get_item(key).ok().flatten()
    }

    pub fn set(self, key: &str, value: &str) -> bool {
        self.storage()
            .is_some_and(|storage| storage.set_item(key, value).is_ok())
    }

    pub fn remove(self, key: &str) {
        if let Some(storage) = self.storage() {
            let _ = storage.remove_item(key);
        }
    }
}

/// `scheme://host:port` of this page.
pub fn origin() -> String {
    window().location().origin().unwrap_or_default()
}

/// Path, query and fragment of this page: where to come back to after sign-in.
pub fn current_location() -> String {
    let location = window().location();
    format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default()
    )
}

/// Leaves the app for another page (the identity provider).
pub fn go_to(url: &str) {
    let _ = window().location().assign(url);
}

/// `base?key=value&...`, each value encoded by the browser's own URLSearchParams.
pub fn url_with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{}", form_encode(pairs))
}

/// `application/x-www-form-urlencoded` text for `pairs`.
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let params = web_sys::UrlSearchParams::new().expect("URLSearchParams exists");
    for (key, value) in pairs {
        params.append(key, value);
    }
    params.to_string().into()
}

/// Saves `text` as a download named `name`.
pub fn save_text(name: &str, mime: &str, text: &str) {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&text.into());
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(anchor) = window()
        .document()
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Turns a rejected promise's value into words for logs and error screens.
pub fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

/// Calls `navigator[name](argument)` and waits for the promise it returns:
/// `Err` when the browser lacks it, or it failed (or the user cancelled).
async fn navigator_call(object: &str, name: &str, argument: &JsValue) -> Result<(), JsValue> {
    let navigator: JsValue = window().navigator().into();
    let target = if object.is_empty() {
        navigator
    } else {
        js_sys::Reflect::get(&navigator, &object.into())?
    };
    let function = js_sys::Reflect::get(&target, &name.into())?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| JsValue::from_str("not supported"))?;
    let promise = function
        .call1(&target, argument)?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| JsValue::from_str("no promise"))?;
    JsFuture::from(promise).await.map(drop)
}

/// Puts `text` on the clipboard; `false` if the browser refused.
pub async fn copy_text(text: &str) -> bool {
    navigator_call("clipboard", "writeText", &text.into())
        .await
        .is_ok()
}

/// Whether the system share sheet is there (phones, mostly).
pub fn can_share() -> bool {
    js_sys::Reflect::get(&window().navigator(), &"share".into())
        .is_ok_and(|share| share.is_function())
}

/// Opens the system share sheet with a link; `false` if it could not (or the
/// person closed it).
pub async fn share_link(title: &str, url: &str) -> bool {
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
    let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
    navigator_call("", "share", &data.into()).await.is_ok()
}
