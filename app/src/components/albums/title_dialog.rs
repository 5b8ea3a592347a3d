//! Asks for an album's title: for a new album, or to rename one.

use leptos::{html, prelude::*};

#[component]
pub fn TitleDialog(
    open: RwSignal<bool>,
    #[prop(into)] heading: String,
    /// The title to start from ("" for a new album).
    #[prop(into)]
    initial: Signal<String>,
    /// The button that goes ahead ("Create", "Rename").
    #[prop(into)]
    confirm: String,
    /// Called with the trimmed title; answers why it failed, if it did.
    #[prop(into)]
    on_confirm: Callback<String>,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let heading_id = crate::components::unique_id("title-dialog-heading");
    let labelled_by = heading_id.clone();
    let input = NodeRef::<html::Input>::new();
    let title = RwSignal::new(String::new());
    Effect::new(move |_| {
        let Some(dialog) = dialog.get() else { return };
        if open.get() {
            title.set(initial.get_untracked());
            if !dialog.open() {
                let _ = dialog.show_modal();
            }
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
                input.select();
            }
        } else if dialog.open() {
            dialog.close();
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen = title.get_untracked().trim().to_owned();
        if !chosen.is_empty() {
            open.set(false);
            on_confirm.run(chosen);
        }
    };
    view! {
        <dialog
            class="confirm-dialog"
            node_ref=dialog
            on:close=move |_| open.set(false)
            aria-labelledby=labelled_by
        >
            <form on:submit=submit>
                <h2 id=heading_id>{heading}</h2>
                <label class="field">
                    <span>"Title"</span>
                    <input
                        node_ref=input
                        type="text"
                        maxlength="200"
                        required
                        placeholder="Summer in Lisbon"
                        prop:value=move || title.get()
                        on:input=move |event| title.set(event_target_value(&event))
                    />
                </label>
                <div class="confirm-actions">
                    <button class="button" type="button" on:click=move |_| open.set(false)>
                        "Cancel"
                    </button>
                    <button
                        class="button primary"
                        type="submit"
                        disabled=move || title.with(|t| t.trim().is_empty())
                    >
                        {confirm}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
