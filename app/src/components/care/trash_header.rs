//! What the trash says above its photos: how long they stay, and "Empty
//! trash", which asks first and then deletes every photo in it for good, a
//! chunk at a time, with progress and what could not be deleted.

use api_types::care::{PhotoChange, TRASH_DAYS, ViewName};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{Api, ApiError},
    care,
    components::confirm_dialog::ConfirmDialog,
    timeline::TimelineStore,
};

#[component]
pub fn TrashHeader() -> impl IntoView {
    let store = expect_context::<TimelineStore>();
    let api = expect_context::<Api>();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let empty = move |()| {
        problem.set(None);
        busy.set(Some("Finding the photos in the trash…".to_owned()));
        spawn_local(async move {
            let ids = match every_id(api).await {
                Ok(ids) => ids,
                Err(error) => {
                    busy.set(None);
                    problem.set(Some(format!(
                        "The trash was not emptied. {}",
                        error.user_message()
                    )));
                    return;
                }
            };
            let total = ids.len();
            let change = PhotoChange::DeleteForever;
            let applied = care::apply(api, change, ids, |done, total| {
                busy.set(Some(format!("{} {done} of {total}…", care::doing(change))))
            })
            .await;
            busy.set(None);
            problem.set(applied.problem(change, total));
            store.changed(&applied.done, change);
        });
    };
    let count = move || store.views().trash;
    view! {
        <div class="trash-header" data-testid="trash-header">
            <p>
                {format!(
                    "Photos in the trash are deleted for good {TRASH_DAYS} days after they were put there. Until then, restore them to have them back where they were.",
                )}
            </p>
            <button
                class="button danger"
                type="button"
                disabled=move || count() == 0 || busy.with(Option::is_some)
                on:click=move |_| confirming.set(true)
            >
                "Empty trash"
            </button>
            {move || busy.get().map(|what| view! { <span aria-live="polite">{what}</span> })}
            {move || problem.get().map(|why| view! { <span role="alert">{why}</span> })}
            <ConfirmDialog
                open=confirming
                title=Signal::derive(move || care::delete_question(count() as usize))
                message="They are removed from Shoebox with their originals. This cannot be undone."
                    .to_owned()
                confirm="Delete for good".to_owned()
                on_confirm=empty
            />
        </div>
    }
}

/// Every photo in the trash, a page at a time.
async fn every_id(api: Api) -> Result<Vec<String>, ApiError> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = api.view_page(ViewName::Trash, cursor.as_deref()).await?;
        ids.extend(page.items.into_iter().map(|photo| photo.id));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(ids),
        }
    }
}
