//! "Upload" and "Folder": file pickers for photos (several at once) and for a
//! whole folder, subfolders included.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::upload::{Uploads, photo_files};

#[component]
pub fn UploadButton() -> impl IntoView {
    let uploads = expect_context::<Uploads>();
    let picked = move |event: leptos::ev::Event| {
        if let Some(files) = take_files(&event) {
            uploads.add(files);
        }
    };
    let picked_folder = move |event: leptos::ev::Event| {
        if let Some(files) = take_files(&event) {
            uploads.add_from_folder(files);
        }
    };
    view! {
        <label class="button primary upload-button">
            "Upload"
            <input
                class="visually-hidden"
                type="file"
                multiple
                accept=photo_files::accept_attribute()
                data-testid="upload-input"
                on:change=picked
            />
        </label>
        // Phones have no folders to pick; the class hides it on touch screens.
        <label
            class="button upload-button upload-folder-button"
            title="Back up a folder and the folders in it"
        >
            "Folder"
            <input
                class="visually-hidden"
                type="file"
                prop:webkitdirectory=true
                data-testid="upload-folder-input"
                on:change=picked_folder
            />
        </label>
    }
}

/// The files an `<input type=file>` holds, cleared so the same ones can be
/// picked again (to retry after a failure).
pub fn take_files(event: &leptos::ev::Event) -> Option<Vec<web_sys::File>> {
    let input = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let files = input.files().map(|list| files_of(&list));
    input.set_value("");
    files
}

pub fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length())
        .filter_map(|index| list.item(index))
        .collect()
}
