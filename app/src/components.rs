//! Components shared by several pages.

pub mod albums;
pub mod app_notices;
pub mod care;
pub mod confirm_dialog;
pub mod download;
pub mod header;
pub mod lightbox;
pub mod moving;
pub mod problem_line;
pub mod session_banner;
pub mod shared_photos;
pub mod shortcuts;
pub mod startup_error;
pub mod timeline;
pub mod upload;

/// An id no other element on the page has, for `aria-labelledby` between
/// parts of one component that can be on a page more than once.
pub fn unique_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Keeps the `<dialog>` at `dialog` shown as a modal while `open` is true
/// (and closes it when it turns false); `on_open` runs each time it opens,
/// before it shows, to start it afresh.
pub fn modal_while(
    dialog: leptos::prelude::NodeRef<leptos::html::Dialog>,
    open: leptos::prelude::RwSignal<bool>,
    on_open: impl Fn() + 'static,
) {
    use leptos::prelude::{Effect, Get};
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if open.get() {
            on_open();
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
        } else if dialog.open() {
            dialog.close();
        }
    });
}
