//! Downloading a selection as one zip, and the note that follows it while
//! it runs (which file, how much, how long is left, and Cancel) and says how
//! it ended. The note stands apart from the selection bar, so clearing the
//! selection does not hide a zip still on its way.

use api_types::download::MAX_DOWNLOAD_IDS;
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::Api,
    browser::now_ms,
    download::{
        names, progress_label,
        zip::{ZipDownload, ZipEvent, ZipFile},
    },
};

/// How long the note stays after the zip is done.
const DONE_MS: u64 = 12_000;

/// A zip of the selection: what the note says, and the zip on its way.
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

    /// Downloads the originals of `ids` as one zip.
    pub fn start(self, api: Api, ids: Vec<String>) {
        if self.running.get_untracked() {
            return;
        }
        self.running.set(true);
        self.said.set(Some("Preparing the zip…".to_owned()));
        spawn_local(async move {
            if let Err(why) = self.run(api, ids).await {
                self.finish(why);
            }
        });
    }

    async fn run(self, api: Api, ids: Vec<String>) -> Result<(), String> {
        let mut items = Vec::new();
        let mut gone = 0;
        for part in ids.chunks(MAX_DOWNLOAD_IDS) {
            let list = api
                .downloads(part.to_vec())
                .await
                .map_err(|error| format!("The zip could not start. {}", error.user_message()))?;
            gone += list.missing.len();
            items.extend(list.items);
        }
        if items.is_empty() {
            return Err("None of these photos are in your library any more.".to_owned());
        }
        let unique = names::unique(
            &items
                .iter()
                .map(|item| item.filename.clone())
                .collect::<Vec<_>>(),
        );
        let files: Vec<ZipFile> = items
            .into_iter()
            .zip(unique)
            .map(|(item, name)| ZipFile {
                url: item.url,
                name,
                bytes: item.bytes,
                modified: item.taken_at,
            })
            .collect();
        let (total_files, total_bytes) = (files.len(), files.iter().map(|file| file.bytes).sum());
        let started = now_ms();
        let name = format!("Shoebox {total_files} photos.zip");
        let saved_as = name.clone();
        let zip = ZipDownload::start(&name, &files, move |event| match event {
            ZipEvent::Progress { files, bytes, .. } => {
                let seconds = (now_ms() - started) / 1000.0;
                self.said.set(Some(progress_label(
                    files,
                    total_files,
                    bytes,
                    total_bytes,
                    seconds,
                )));
            }
            ZipEvent::Done { files, missing, .. } => {
                let mut said = format!("Saved {files} originals as “{saved_as}”.");
                if !missing.is_empty() {
                    said.push_str(&format!(
                        " {} could not be downloaded: MISSING.txt in the zip names them.",
                        missing.len()
                    ));
                }
                if gone > 0 {
                    said.push_str(&format!(" {gone} were no longer in your library."));
                }
                self.finish(said);
            }
            ZipEvent::Failed { message } if message == "cancelled" => {
                self.finish("The zip was cancelled.".to_owned());
            }
            ZipEvent::Failed { message } => {
                self.finish(format!("The zip stopped: {message}. Try again."));
            }
            ZipEvent::Ready => {}
        })
        .await
        .map_err(|error| error.to_string())?;
        self.zip.set_value(Some(zip));
        Ok(())
    }

    fn finish(self, said: String) {
        self.running.set(false);
        self.said.set(Some(said.clone()));
        // Dropped later: the frame that holds the download goes with it.
        set_timeout(
            move || {
                self.zip.set_value(None);
                if self.said.get_untracked().as_deref() == Some(said.as_str()) {
                    self.said.set(None);
                }
            },
            std::time::Duration::from_millis(DONE_MS),
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
pub fn ZipToast(state: ZipState) -> impl IntoView {
    move || {
        state.said.get().map(|said| {
            view! {
                <div class="toast" role="status" data-testid="zip-note">
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
