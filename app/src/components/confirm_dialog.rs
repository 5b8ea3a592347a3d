//! A modal question before something that cannot be undone: the `<dialog>`
//! element (focus kept inside, Escape cancels), with the destructive choice
//! named for what it does.

use leptos::{html, prelude::*};

#[component]
pub fn ConfirmDialog(
    /// Whether it is open.
    open: RwSignal<bool>,
    #[prop(into)] title: Signal<String>,
    message: String,
    /// The button that goes ahead ("Delete").
    confirm: String,
    #[prop(into)] on_confirm: Callback<()>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let heading_id = crate::components::unique_id("confirm-title");
    let labelled_by = heading_id.clone();
    crate::components::modal_while(dialog, open, || {});
    view! {
        <dialog
            class="confirm-dialog"
            node_ref=dialog
            on:close=move |_| open.set(false)
            aria-labelledby=labelled_by
        >
            <h2 id=heading_id>{title}</h2>
            <p>{message}</p>
            <div class="confirm-actions">
                <button class="button" type="button" autofocus on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
                <button
                    class="button danger"
                    type="button"
                    on:click=move |_| {
                        open.set(false);
                        on_confirm.run(());
                    }
                >
                    {confirm}
                </button>
            </div>
        </dialog>
    }
}
