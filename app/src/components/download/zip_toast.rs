//! A zip on its way ([`ZipState`], one for the app, given as context) and the
//! note that follows it: which file, how much, how long is left, and Cancel;
//! then how it ended. It stands apart from the page that started it, so
//! clearing a selection or leaving the album does not hide it.

use std::time::Duration;

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::Api,
    browser::now_ms,
    download::{
        progress_label,
        source::{Feed, ZipSource},
        zip::{ZipDownload, ZipEvent},
    },
};

/// How long the note stays after the zip is done.
const DONE_MS: u64 = 12_000;

/// What to zip: where from, in folders or not, what to call it, and how
/// many files and bytes in all where known ahead.
#[derive(Debug, Clone, PartialEq)]
pub struct ZipRequest {
    pub source: ZipSource,
    pub folders: bool,
    pub name: String,
    pub total: (Option<usize>, Option<u64>),
}

/// The app's zip: what the note says, and the zip on its way.
#[derive(Clone, Copy)]
pub struct ZipState {
    said: RwSignal<Option<String>>,
    running: RwSignal<bool>,
    zip: StoredValue<Option<ZipDownload>, LocalStorage>,
}

impl ZipState {
    pub fn new() -> ZipState {
        ZipState {
            said: RwSignal::new(None),
            running: RwSignal::new(false),
            zip: StoredValue::new_local(None),
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.get()
    }

    /// Starts `request`, unless a zip is on its way already (one at a time).
    pub fn start(self, api: Api, request: ZipRequest) {
        if self.running.get_untracked() {
            return;
        }
        self.running.set(true);
        self.said.set(Some("Preparing the zip…".to_owned()));
        spawn_local(async move {
            if let Err(why) = self.run(api, request).await {
                self.finish(why);
            }
        });
    }

    async fn run(self, api: Api, request: ZipRequest) -> Result<(), String> {
        let feed = Feed::new(api, request.source, request.folders);
        let left_out = feed.left_out();
        let started = now_ms();
        let total = request.total;
        let saved_as = request.name.clone();
        let zip = ZipDownload::start(&request.name, feed, move |event| match event {
            ZipEvent::Progress { files, bytes, .. } => {
                let seconds = (now_ms() - started) / 1000.0;
                self.said
                    .set(Some(progress_label(files, bytes, total, seconds)));
            }
            ZipEvent::Done { files, missing, .. } => {
                let mut said = format!("Saved {files} as “{saved_as}”.");
                if !missing.is_empty() {
                    said.push_str(&format!(
                        " {} could not be downloaded: MISSING.txt in the zip names them.",
                        missing.len()
                    ));
                }
                match left_out.get() {
                    0 => {}
                    n => said.push_str(&format!(" {n} could not be included here.")),
                }
                self.finish(said);
            }
            ZipEvent::Failed { message } if message == "cancelled" => {
                self.finish("The zip was cancelled.".to_owned());
            }
            ZipEvent::Failed { message } => {
                self.finish(format!("The zip stopped: {message} Try again."));
            }
            ZipEvent::Ready | ZipEvent::More => {}
        })
        .await
        .map_err(|error| error.to_string())?;
        self.zip.set_value(Some(zip));
        Ok(())
    }

    fn finish(self, said: String) {
        self.running.set(false);
        self.said.set(Some(said.clone()));
        // Let go later: the frame that holds the download goes with it.
        set_timeout(
            move || {
                if !self.running.get_untracked() {
                    self.zip.set_value(None);
                }
                if self.said.get_untracked().as_deref() == Some(said.as_str()) {
                    self.said.set(None);
                }
            },
            Duration::from_millis(DONE_MS),
        );
    }

    fn cancel(self) {
        self.zip.with_value(|zip| {
            if let Some(zip) = zip {
                zip.cancel();
            }
        });
    }
}

impl Default for ZipState {
    fn default() -> Self {
        ZipState::new()
    }
}

#[component]
pub fn ZipToast() -> impl IntoView {
    let state = expect_context::<ZipState>();
    move || {
        state.said.get().map(|said| {
            view! {
                <div class="toast zip-toast" role="status" data-testid="zip-note">
                    <span>{said}</span>
                    <Show when=move || state.running.get()>
                        <button class="button" type="button" on:click=move |_| state.cancel()>
                            "Cancel"
                        </button>
                    </Show>
                </div>
            }
        })
    }
}
