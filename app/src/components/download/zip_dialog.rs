//! The question before a zip: what will be in it (and how much, where that
//! is known), whether to sort it into `YYYY/MM/` folders, and the button
//! that starts it. The zip itself runs in the app's [`ZipState`].

use leptos::{html, prelude::*};

use super::zip_toast::{ZipRequest, ZipState};
use crate::{api::Api, download::source::ZipSource};

#[component]
pub fn ZipDialog(
    /// Whether it is open.
    open: RwSignal<bool>,
    /// What it holds, in a sentence: "The originals of 3 photos, as they
    /// were uploaded."
    #[prop(into)]
    what: Signal<String>,
    /// Where from, read when the button is pressed.
    #[prop(into)]
    source: Signal<ZipSource>,
    /// The zip's name, `.zip` included.
    #[prop(into)]
    name: Signal<String>,
    /// How many files and bytes in all, where known.
    #[prop(into)]
    total: Signal<(Option<usize>, Option<u64>)>,
    /// A choice of what it holds, above the folders' (a month or its year).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let zip = expect_context::<ZipState>();
    let dialog = NodeRef::<html::Dialog>::new();
    let heading_id = crate::components::unique_id("zip-title");
    let labelled_by = heading_id.clone();
    let folders = RwSignal::new(false);
    crate::components::modal_while(dialog, open, || {});
    let start = move |_| {
        open.set(false);
        zip.start(
            api,
            ZipRequest {
                source: source.get_untracked(),
                folders: folders.get_untracked(),
                name: name.get_untracked(),
                total: total.get_untracked(),
            },
        );
    };
    view! {
        <dialog
            class="confirm-dialog"
            node_ref=dialog
            on:close=move |_| open.set(false)
            aria-labelledby=labelled_by
        >
            <h2 id=heading_id>"Download as one zip"</h2>
            <p>{move || what.get()} " They are saved as one file while they download."</p>
            {children.map(|children| children())}
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || folders.get()
                    on:change=move |event| folders.set(event_target_checked(&event))
                />
                <span>"Sort into folders by year and month"</span>
            </label>
            <div class="confirm-actions">
                <button class="button" type="button" on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
                <button
                    class="button primary"
                    type="button"
                    autofocus
                    disabled=move || zip.is_running()
                    on:click=start
                >
                    "Download zip"
                </button>
            </div>
        </dialog>
    }
}
