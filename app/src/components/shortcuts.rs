//! `?` anywhere (but in a text field): the keyboard shortcuts, in a dialog
//! that Escape closes.

use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;

/// Every shortcut, as the dialog lists it.
const SHORTCUTS: [(&str, &str); 9] = [
    ("?", "Show these shortcuts"),
    ("← →", "Newer and older photo"),
    ("Esc", "Close the photo, or let go of the selection"),
    ("i", "Show or hide the photo's details"),
    ("f", "Add to favorites, or remove"),
    (
        "Delete",
        "Move to the trash (in the trash: delete for good)",
    ),
    ("Shift + D", "Download the original"),
    ("Space", "Play or pause a video"),
    ("Shift + click", "Select every photo between"),
];

#[component]
pub fn Shortcuts() -> impl IntoView {
    let open = RwSignal::new(false);
    let dialog = NodeRef::<html::Dialog>::new();
    crate::components::modal_while(dialog, open, || {});
    let keys = window_event_listener(ev::keydown, move |event| {
        if event.key() != "?" || event.ctrl_key() || event.meta_key() || typing(&event) {
            return;
        }
        event.prevent_default();
        open.set(true);
    });
    on_cleanup(move || keys.remove());
    view! {
        <dialog
            class="confirm-dialog shortcuts-dialog"
            node_ref=dialog
            on:close=move |_| open.set(false)
            aria-labelledby="shortcuts-title"
        >
            <h2 id="shortcuts-title">"Keyboard shortcuts"</h2>
            <dl class="shortcuts">
                {SHORTCUTS
                    .iter()
                    .map(|(keys, what)| {
                        view! {
                            <dt>
                                <kbd>{*keys}</kbd>
                            </dt>
                            <dd>{*what}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
            <div class="confirm-actions">
                <button class="button" type="button" autofocus on:click=move |_| open.set(false)>
                    "Close"
                </button>
            </div>
        </dialog>
    }
}

/// Whether the key went to a field being typed in.
fn typing(event: &ev::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element.has_attribute("contenteditable")
        })
}
