//! Asks for an original back from Glacier Deep Archive: the two speeds S3
//! offers, each with its wait and what it costs for this photo, then
//! `POST /photos/{id}/restore`. The photo as the API then answers it
//! (restoring, ready about when) goes to `on_restored`.

use api_types::photo::{Photo, RestoreOption, RestoreTierName};
use leptos::{html, prelude::*, task::spawn_local};

use crate::{api::Api, components::problem_line::ProblemLine, timeline::labels};

fn label(option: &RestoreOption) -> String {
    let speed = match option.tier {
        RestoreTierName::Standard => "Standard",
        RestoreTierName::Bulk => "Bulk",
    };
    format!(
        "{speed}: ready within {} hours, {}",
        option.hours,
        labels::usd(option.usd)
    )
}

#[component]
pub fn RestoreDialog(
    open: RwSignal<bool>,
    #[prop(into)] photo_id: Signal<String>,
    #[prop(into)] options: Signal<Vec<RestoreOption>>,
    #[prop(into)] on_restored: Callback<Photo>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let dialog = NodeRef::<html::Dialog>::new();
    let heading_id = crate::components::unique_id("restore-dialog-heading");
    let labelled_by = heading_id.clone();
    // Bulk is an eighth of the price: the default for a photo that can wait.
    let chosen = RwSignal::new(RestoreTierName::Bulk);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    crate::components::modal_while(dialog, open, move || problem.set(None));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        problem.set(None);
        let (id, tier) = (photo_id.get_untracked(), chosen.get_untracked());
        spawn_local(async move {
            match api.restore_original(&id, tier).await {
                Ok(photo) => {
                    open.set(false);
                    on_restored.run(photo);
                }
                Err(error) => problem.set(Some(format!(
                    "The restore was not asked for. {}",
                    error.user_message()
                ))),
            }
            busy.set(false);
        });
    };
    view! {
        <dialog
            class="confirm-dialog"
            node_ref=dialog
            on:close=move |_| open.set(false)
            aria-labelledby=labelled_by
            data-testid="restore-dialog"
        >
            <form on:submit=submit>
                <h2 id=heading_id>"Restore the original"</h2>
                <p>
                    "This photo's original is kept in deep archive, where storage costs least. "
                    "It takes some hours to bring back; then it can be downloaded for 7 days."
                </p>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|option| {
                            let tier = option.tier;
                            view! {
                                <label class="check">
                                    <input
                                        type="radio"
                                        name="restore-tier"
                                        prop:checked=move || chosen.get() == tier
                                        on:change=move |_| chosen.set(tier)
                                    />
                                    <span>{label(&option)}</span>
                                </label>
                            }
                        })
                        .collect_view()
                }}
                <ProblemLine problem />
                <div class="confirm-actions">
                    <button class="button" type="button" on:click=move |_| open.set(false)>
                        "Cancel"
                    </button>
                    <button class="button primary" type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Asking…" } else { "Restore" }}
                    </button>
                </div>
            </form>
        </dialog>
    }
}
