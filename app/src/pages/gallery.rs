//! `/` (and `/photo/{id}` over it): the photo timeline. Visitors get a welcome; a
//! signed-in user gets every photo, newest first, in a timeline sized from the
//! counts and filled as it scrolls. New uploads show up as they are committed.

use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::{
    api::Api,
    auth::Auth,
    components::timeline::{selection_bar::SelectionBar, timeline_view::TimelineView},
    pwa::Pwa,
    timeline::{Source, Status, TimelineStore, selection::Selection},
    upload::Uploads,
};

/// How long after the last commit of a burst the counts are fetched again: a
/// batch of 500 uploads asks once or twice, not 500 times.
const REFRESH_AFTER_COMMITS_MS: i32 = 1500;

#[component]
pub fn Gallery() -> impl IntoView {
    let auth = expect_context::<Auth>();
    move || {
        if auth.user().is_some() {
            view! { <Timeline /> }.into_any()
        } else {
            view! {
                <section class="empty-state" aria-labelledby="welcome-title">
                    <div class="empty-illustration" aria-hidden="true"></div>
                    <h1 id="welcome-title">"Your photos, on storage you own"</h1>
                    <p>"Sign in to back up and see your photos."</p>
                    <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                        "Sign in"
                    </button>
                </section>
            }
            .into_any()
        }
    }
}

#[component]
fn Timeline() -> impl IntoView {
    let api = expect_context::<Api>();
    let uploads = expect_context::<Uploads>();
    let store = TimelineStore::new(api, Source::Library);
    provide_context(store);
    provide_context(Selection::new());
    store.refresh();
    // Commits arrive in bursts: refresh once the burst pauses.
    let pending = StoredValue::new(None::<leptos::leptos_dom::helpers::TimeoutHandle>);
    // A new session (another tab signed in again) builds a new timeline: the
    // old one's timer must not refresh a store that is gone.
    on_cleanup(move || {
        if let Some(Some(handle)) = pending.try_get_value() {
            handle.clear();
        }
    });
    Effect::new(move |first: Option<()>| {
        uploads.committed();
        if first.is_none() {
            return;
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || store.refresh(),
            std::time::Duration::from_millis(REFRESH_AFTER_COMMITS_MS as u64),
        )
        .ok();
        pending.set_value(handle);
    });
    // Back online: what failed while the network was gone loads now.
    let pwa = expect_context::<Pwa>();
    Effect::new(move |was_online: Option<bool>| {
        let online = pwa.online();
        if was_online == Some(false) && online {
            store.recover();
        }
        online
    });
    // Memos, so the timeline is built once, not again whenever a month loads.
    let status = Memo::new(move |_| store.status());
    let empty = Memo::new(move |_| store.months().with(Vec::is_empty));
    let body = move || {
        match status.get() {
        Status::Loading => view! {
            <p class="splash" aria-busy="true">
                "Loading your photos…"
            </p>
        }.into_any(),
        Status::Failed(error) => view! {
            <section class="notice-card" role="alert">
                <h1>"Your photos could not be loaded"</h1>
                <p>{error.user_message()}</p>
                <button class="button primary" type="button" on:click=move |_| store.refresh()>
                    "Try again"
                </button>
            </section>
        }
        .into_any(),
        Status::Ready if empty.get() => view! {
            <section class="empty-state" aria-labelledby="empty-title">
                <div class="empty-illustration" aria-hidden="true"></div>
                <h1 id="empty-title">"No photos yet"</h1>
                <p>
                    "Photos you back up to Shoebox appear here, newest first. Use Upload, or drop photos or folders anywhere on this page."
                </p>
            </section>
        }
        .into_any(),
        Status::Ready => view! {
            <h1 class="visually-hidden">"Your photos"</h1>
            <SelectionBar />
            <TimelineView />
        }
        .into_any(),
    }
    };
    view! {
        {body}
        <Outlet />
    }
}
