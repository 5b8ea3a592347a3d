//! One zip of many originals, built by the service worker (`app/sw-zip.js`)
//! as they stream in, so neither the page nor the worker holds the archive:
//! the page opens a `MessageChannel` to it, waits until it is ready, then
//! opens `/zip/{id}/{name}` in a hidden frame, whose answer the browser saves
//! as a download. The worker asks for the list a part at a time ("more"),
//! which the page answers from its [`Feed`]; what the worker says of the zip
//! comes back on the same channel ([`ZipEvent`]); [`ZipDownload::cancel`]
//! stops it.

use std::{cell::RefCell, rc::Rc};

use futures::channel::oneshot;
use leptos::{
    prelude::{document, window},
    task::spawn_local,
};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

use super::source::Feed;
use crate::browser::{describe, random_bytes};

/// One original to put in the zip.
#[derive(Debug, Clone, Serialize)]
pub struct ZipFile {
    pub url: String,
    /// Its name in the zip (already unique: [`super::names::unique`]).
    pub name: String,
    /// Its size, when known (a share link's web views come without): the
    /// zip holds the original to it.
    pub bytes: Option<u64>,
    /// RFC 3339: its date in the zip.
    pub modified: String,
    /// Why it is not in the zip but named in its `MISSING.txt` instead (an
    /// original in deep archive); the worker fetches nothing for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<String>,
}

/// What the service worker says of a zip.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ZipEvent {
    Ready,
    /// The worker wants the next part of the list.
    More,
    /// `files` done and `bytes` sent so far; `missing` left out.
    Progress {
        files: usize,
        bytes: u64,
        missing: usize,
    },
    /// The whole zip is written; `missing` names the originals left out
    /// (and MISSING.txt in the zip says the same).
    Done {
        files: usize,
        bytes: u64,
        missing: Vec<String>,
    },
    /// It stopped: "cancelled", or why.
    Failed {
        message: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    #[error(
        "Downloading as one zip needs the app's offline helper, which starts after the first \
         visit. Reload the page and try again."
    )]
    NoServiceWorker,
    #[error("The download could not start: {0}")]
    Browser(String),
}

impl From<JsValue> for ZipError {
    fn from(error: JsValue) -> Self {
        ZipError::Browser(describe(&error))
    }
}

/// A zip on its way: keeps the channel (and its listener) alive.
pub struct ZipDownload {
    port: web_sys::MessagePort,
    frame: web_sys::HtmlIFrameElement,
    _listener: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

impl ZipDownload {
    /// Starts the zip `name` of what `feed` lists; `on_event` hears how it
    /// goes.
    pub async fn start(
        name: &str,
        feed: Feed,
        on_event: impl Fn(ZipEvent) + 'static,
    ) -> Result<ZipDownload, ZipError> {
        let worker = window()
            .navigator()
            .service_worker()
            .controller()
            .ok_or(ZipError::NoServiceWorker)?;
        let id: String = random_bytes::<16>()
            .map_err(|error| ZipError::Browser(error.to_string()))?
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let channel = web_sys::MessageChannel::new()?;
        let port = channel.port1();
        let feed = Rc::new(RefCell::new(Some(feed)));
        let (ready_tx, ready_rx) = oneshot::channel();
        let ready_tx = RefCell::new(Some(ready_tx));
        let answering = port.clone();
        let listener = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
            move |message: web_sys::MessageEvent| {
                let Some(text) = message.data().as_string() else {
                    return;
                };
                let Ok(event) = serde_json::from_str::<ZipEvent>(&text) else {
                    return;
                };
                match event {
                    ZipEvent::Ready => {
                        if let Some(ready) = ready_tx.borrow_mut().take() {
                            let _ = ready.send(());
                        }
                    }
                    ZipEvent::More => spawn_local(answer(feed.clone(), answering.clone())),
                    event => on_event(event),
                }
            },
        );
        port.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        let request = serde_json::json!({ "type": "zip", "id": id, "name": name });
        let request = js_sys::JSON::parse(&request.to_string())?;
        worker.post_message_with_transferable(&request, &js_sys::Array::of1(&channel.port2()))?;
        ready_rx
            .await
            .map_err(|_| ZipError::Browser("the offline helper did not answer".to_owned()))?;
        let frame: web_sys::HtmlIFrameElement = document()
            .create_element("iframe")?
            .dyn_into()
            .map_err(|_| ZipError::Browser("no frame".to_owned()))?;
        frame.set_hidden(true);
        frame.set_src(&format!("/zip/{id}/{}", js_sys::encode_uri_component(name)));
        document()
            .body()
            .ok_or_else(|| ZipError::Browser("no page".to_owned()))?
            .append_child(&frame)?;
        Ok(ZipDownload {
            port,
            frame,
            _listener: listener,
        })
    }

    /// Stops the zip: the worker stops fetching and the download fails.
    pub fn cancel(&self) {
        let _ = self.port.post_message(&JsValue::from_str("cancel"));
    }
}

impl Drop for ZipDownload {
    fn drop(&mut self) {
        self.port.close();
        self.frame.remove();
    }
}

/// Answers the worker's "more" with the feed's next part, or why there is
/// none (the zip then stops and says so).
async fn answer(feed: Rc<RefCell<Option<Feed>>>, port: web_sys::MessagePort) {
    // The worker asks again only after an answer: the feed is never shared.
    let Some(mut taken) = feed.borrow_mut().take() else {
        return;
    };
    let reply = match taken.next().await {
        Ok((files, last)) => serde_json::json!({ "type": "files", "files": files, "last": last }),
        Err(error) => serde_json::json!({ "type": "error", "message": error.user_message() }),
    };
    *feed.borrow_mut() = Some(taken);
    let _ = port.post_message(&JsValue::from_str(&reply.to_string()));
}
