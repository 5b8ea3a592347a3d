//! One presigned PUT, by `XMLHttpRequest` because it reports upload progress as
//! bytes leave (fetch does not), and can be aborted. The retry policy for PUTs
//! lives here too, so every caller retries the same way.

use std::{cell::RefCell, rc::Rc};

use api_types::upload::UploadTarget;
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::JsFuture;

use crate::browser;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TransferError {
    /// No answer: offline, the connection dropped, the store is down.
    #[error("the connection failed")]
    Network,
    /// The store answered with an error; `code` is S3's (`AccessDenied`, ...).
    #[error("the store answered {status} {code}")]
    Status { status: u16, code: String },
    #[error("cancelled")]
    Cancelled,
}

impl TransferError {
    pub fn is_transient(&self) -> bool {
        match self {
            TransferError::Network => true,
            // 409: S3's ConditionalRequestConflict, another write of the same
            // key still under way.
            TransferError::Status { status, .. } => {
                *status >= 500 || *status == 429 || *status == 409
            }
            TransferError::Cancelled => false,
        }
    }
}

/// How often and how patiently a request (a PUT, or a call to the API) is
/// retried: network errors and 5xx only,
/// four tries in all, waiting 1, 2 and 4 seconds (plus jitter, so a batch that
/// failed together does not retry in lockstep).
pub struct RetryPolicy {
    pub attempts: u32,
    pub first_delay_ms: i32,
}

pub const NETWORK_RETRIES: RetryPolicy = RetryPolicy {
    attempts: 4,
    first_delay_ms: 1_000,
};

impl RetryPolicy {
    pub fn delay_ms(&self, attempt: u32) -> i32 {
        let base = self.first_delay_ms.saturating_mul(1 << attempt.min(10));
        // Jitter only spreads retries out; without randomness there is none.
        let jitter = browser::random_bytes::<1>().map_or(0, |[byte]| i32::from(byte) * base / 1024);
        base + jitter
    }
}

/// Lets the queue abort a photo's requests in flight, and any it would send next.
#[derive(Clone, Default)]
pub struct Abort(Rc<RefCell<AbortState>>);

#[derive(Default)]
struct AbortState {
    aborted: bool,
    in_flight: Vec<web_sys::XmlHttpRequest>,
}

impl Abort {
    pub fn abort(&self) {
        let requests = {
            let mut state = self.0.borrow_mut();
            state.aborted = true;
            std::mem::take(&mut state.in_flight)
        };
        for request in requests {
            let _ = request.abort();
        }
    }

    pub fn is_aborted(&self) -> bool {
        self.0.borrow().aborted
    }
}

/// PUTs `body` to `target`, calling `progress(sent)` as bytes leave.
pub async fn put(
    target: &UploadTarget,
    body: &web_sys::Blob,
    progress: impl Fn(f64) + 'static,
    abort: &Abort,
) -> Result<(), TransferError> {
    if abort.is_aborted() {
        return Err(TransferError::Cancelled);
    }
    let request = web_sys::XmlHttpRequest::new().map_err(|_| TransferError::Network)?;
    request
        .open(&target.method, &target.url)
        .map_err(|_| TransferError::Network)?;
    for (name, value) in &target.headers {
        // The browser sets Content-Length from the body (and refuses to be told).
        if !name.eq_ignore_ascii_case("content-length") {
            request
                .set_request_header(name, value)
                .map_err(|_| TransferError::Network)?;
        }
    }
    let on_progress =
        Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |event: web_sys::ProgressEvent| {
            progress(event.loaded());
        });
    if let Ok(upload) = request.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let finished = js_sys::Promise::new(&mut |resolve, _| {
        request.set_onloadend(Some(&resolve));
    });
    abort.0.borrow_mut().in_flight.push(request.clone());
    request
        .send_with_opt_blob(Some(body))
        .map_err(|_| TransferError::Network)?;
    let _ = JsFuture::from(finished).await;
    abort
        .0
        .borrow_mut()
        .in_flight
        .retain(|other| !js_sys::Object::is(other, &request));
    drop(on_progress);
    let status = request.status().unwrap_or(0);
    match status {
        200..=299 => Ok(()),
        // Every PUT is signed `If-None-Match: *`: the store already holds this
        // file (an earlier try whose answer was lost, or another device's
        // upload), and it is never overwritten. The commit checks its size.
        412 => Ok(()),
        _ if abort.is_aborted() => Err(TransferError::Cancelled),
        0 => Err(TransferError::Network),
        status => {
            let text = request.response_text().ok().flatten().unwrap_or_default();
            let code = text
                .split("<Code>")
                .nth(1)
                .and_then(|rest| rest.split("</Code>").next())
                .unwrap_or_default()
                .to_owned();
            Err(TransferError::Status { status, code })
        }
    }
}
