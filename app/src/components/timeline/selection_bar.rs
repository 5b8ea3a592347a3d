//! The bar that replaces the header while photos are selected: how many, and
//! what can be done with them all at once: download their originals, or delete
//! them (after a confirmation), with progress and a count of any that failed.

use futures::{StreamExt, stream};
use leptos::{ev, prelude::*, task::spawn_local};
use wasm_bindgen::JsCast;

use crate::{
    api::Api,
    components::confirm_dialog::ConfirmDialog,
    timeline::{TimelineStore, selection::Selection},
};

/// Deletes sent at once.
const PARALLEL_DELETES: usize = 4;

#[component]
pub fn SelectionBar() -> impl IntoView {
    let selection = expect_context::<Selection>();
    let store = expect_context::<TimelineStore>();
    let api = expect_context::<Api>();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);

    let escape = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" && selection.is_active() && !confirming.get_untracked() {
            selection.clear();
        }
    });
    on_cleanup(move || escape.remove());

    let delete = move || {
        let ids = selection.ids();
        let total = ids.len();
        problem.set(None);
        spawn_local(async move {
            let mut done = 0;
            let mut failed: Vec<String> = Vec::new();
            let mut results = stream::iter(ids)
                .map(|id| async move { (api.delete_photo(&id).await, id) })
                .buffer_unordered(PARALLEL_DELETES);
            busy.set(Some(format!("Deleting 0 of {total}…")));
            while let Some((result, id)) = results.next().await {
                match result {
                    Ok(()) => {
                        store.remove(&id);
                        selection.remove(&id);
                    }
                    Err(error) => failed.push(error.user_message()),
                }
                done += 1;
                busy.set(Some(format!("Deleting {done} of {total}…")));
            }
            busy.set(None);
            store.refresh();
            if let Some(why) = failed.first() {
                problem.set(Some(format!(
                    "{} of {total} could not be deleted and are still selected. {why}",
                    failed.len()
                )));
            }
        });
    };

    let download = move |_| {
        let ids = selection.ids();
        let total = ids.len();
        problem.set(None);
        spawn_local(async move {
            let mut failed = 0;
            for (at, id) in ids.iter().enumerate() {
                busy.set(Some(format!("Downloading {} of {total}…", at + 1)));
                match api.photo(id).await {
                    Ok(photo) => match photo.original_url {
                        Some(url) => save(&url, &photo.filename),
                        None => failed += 1,
                    },
                    Err(_) => failed += 1,
                }
                // Browsers drop downloads started in the same instant.
                pause(250).await;
            }
            busy.set(None);
            if failed > 0 {
                problem.set(Some(format!(
                    "{failed} of {total} could not be downloaded. Try again."
                )));
            }
        });
    };

    let count = move || selection.count();
    view! {
        <Show when=move || selection.is_active()>
            <div class="selection-bar" role="toolbar" aria-label="Selected photos" data-testid="selection-bar">
                <button class="button icon" type="button" aria-label="Clear the selection" on:click=move |_| selection.clear()>
                    "✕"
                </button>
                <span class="selection-count">
                    {move || match count() {
                        1 => "1 selected".to_owned(),
                        n => format!("{n} selected"),
                    }}
                </span>
                {move || busy.get().map(|what| view! { <span class="selection-busy" aria-live="polite">{what}</span> })}
                {move || problem.get().map(|why| view! { <span class="selection-problem" role="alert">{why}</span> })}
                <div class="selection-actions">
                    <button class="button" type="button" disabled=move || busy.with(Option::is_some) on:click=download>
                        "Download"
                    </button>
                    <button
                        class="button danger"
                        type="button"
                        disabled=move || busy.with(Option::is_some)
                        on:click=move |_| confirming.set(true)
                    >
                        "Delete"
                    </button>
                </div>
                <ConfirmDialog
                    open=confirming
                    title=Signal::derive(move || match count() {
                        1 => "Delete 1 photo?".to_owned(),
                        n => format!("Delete {n} photos?"),
                    })
                    message="They are removed from Shoebox with their originals. This cannot be undone.".to_owned()
                    confirm="Delete".to_owned()
                    on_confirm=move |_| delete()
                />
            </div>
        </Show>
    }
}

/// Saves `url` as a download (the store answers it as an attachment).
fn save(url: &str, filename: &str) {
    let Some(link) = document()
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    link.set_href(url);
    link.set_download(filename);
    link.click();
}

/// Waits `ms` milliseconds (a browser timer).
async fn pause(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
