//! Dropping photos anywhere on the page queues them; folders are walked for the
//! files inside. While something is dragged over, the page says where it goes.

use leptos::{ev, prelude::*};
use wasm_bindgen::{JsCast, closure::Closure};
use wasm_bindgen_futures::JsFuture;

use crate::upload::Uploads;

#[component]
pub fn DropTarget() -> impl IntoView {
    let uploads = expect_context::<Uploads>();
    let dragging = RwSignal::new(false);
    let carries_files = |event: &ev::DragEvent| {
        event
            .data_transfer()
            .is_some_and(|transfer| transfer.types().includes(&"Files".into(), 0))
    };
    let over = window_event_listener(ev::dragover, move |event| {
        if carries_files(&event) {
            event.prevent_default();
            dragging.set(true);
        }
    });
    let leave = window_event_listener(ev::dragleave, move |event| {
        // Leaving the window, not moving between elements.
        if event.related_target().is_none() {
            dragging.set(false);
        }
    });
    let drop = window_event_listener(ev::drop, move |event| {
        dragging.set(false);
        let Some(transfer) = event.data_transfer() else {
            return;
        };
        event.prevent_default();
        let entries: Vec<web_sys::FileSystemEntry> = {
            let items = transfer.items();
            (0..items.length())
                .filter_map(|index| items.get(index))
                .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
                .collect()
        };
        if entries.is_empty() {
            if let Some(list) = transfer.files() {
                uploads.add(super::upload_button::files_of(&list));
            }
            return;
        }
        // Entries must be taken during the event; reading them can wait.
        leptos::task::spawn_local(async move {
            for entry in entries {
                if entry.is_directory() {
                    uploads.add_from_folder(files_in(entry).await);
                } else {
                    uploads.add(files_in(entry).await);
                }
            }
        });
    });
    on_cleanup(move || {
        over.remove();
        leave.remove();
        drop.remove();
    });
    view! {
        <div class="drop-overlay" class:visible=move || dragging.get() aria-hidden="true">
            <p>"Drop photos or folders to back them up"</p>
        </div>
    }
}

/// Every file at or below `entry` (a file, or a folder walked depth-first).
async fn files_in(entry: web_sys::FileSystemEntry) -> Vec<web_sys::File> {
    let mut files = Vec::new();
    let mut pending = vec![entry];
    while let Some(entry) = pending.pop() {
        if entry.is_file() {
            let entry: web_sys::FileSystemFileEntry = entry.unchecked_into();
            if let Some(file) = file_of(&entry).await {
                files.push(file);
            }
        } else if entry.is_directory() {
            let directory: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            pending.extend(children(&directory).await);
        }
    }
    files
}

async fn file_of(entry: &web_sys::FileSystemFileEntry) -> Option<web_sys::File> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let resolve = Closure::once_into_js(move |file: web_sys::File| {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &file);
        });
        let reject = Closure::once_into_js(move |error: wasm_bindgen::JsValue| {
            let _ = reject.call1(&wasm_bindgen::JsValue::NULL, &error);
        });
        entry.file_with_callback_and_callback(resolve.unchecked_ref(), reject.unchecked_ref());
    });
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}

/// A folder's entries; `readEntries` answers in batches until an empty one.
async fn children(directory: &web_sys::FileSystemDirectoryEntry) -> Vec<web_sys::FileSystemEntry> {
    let reader = directory.create_reader();
    let mut entries = Vec::new();
    loop {
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            let resolve = Closure::once_into_js(move |batch: js_sys::Array| {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &batch);
            });
            let reject = Closure::once_into_js(move |error: wasm_bindgen::JsValue| {
                let _ = reject.call1(&wasm_bindgen::JsValue::NULL, &error);
            });
            let _ = reader.read_entries_with_callback_and_callback(
                resolve.unchecked_ref(),
                reject.unchecked_ref(),
            );
        });
        let Ok(batch) = JsFuture::from(promise).await else {
            break;
        };
        let batch: js_sys::Array = batch.unchecked_into();
        if batch.length() == 0 {
            break;
        }
        entries.extend(
            batch
                .iter()
                .map(|entry| entry.unchecked_into::<web_sys::FileSystemEntry>()),
        );
    }
    entries
}
