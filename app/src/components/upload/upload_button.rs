//! "Upload": a file picker for photos (several at once).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::upload::Uploads;

/// What the picker offers; camera RAW and HEIC have no reliable MIME type in
/// browsers, so their extensions are listed too. Anything else can still be
/// dropped.
const ACCEPT: &str = "image/*,.heic,.heif,.avif,.dng,.cr2,.cr3,.nef,.arw,.raf,.rw2,.orf";

#[component]
pub fn UploadButton() -> impl IntoView {
    let uploads = expect_context::<Uploads>();
    let on_change = move |event: leptos::ev::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        if let Some(list) = input.files() {
            uploads.add(files_of(&list));
        }
        // The same files can be picked again (to retry after a failure).
        input.set_value("");
    };
    view! {
        <label class="button primary upload-button">
            "Upload"
            <input
                class="visually-hidden"
                type="file"
                multiple
                accept=ACCEPT
                data-testid="upload-input"
                on:change=on_change
            />
        </label>
    }
}

pub fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length())
        .filter_map(|index| list.item(index))
        .collect()
}
