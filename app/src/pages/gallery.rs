//! `/` (and `/photo/{id}` over it): the photo timeline; `/favorites`,
//! `/archive` and `/trash` (each with `…/photo/{id}`): the other views of the
//! library, laid out alike. Visitors get a welcome; a signed-in user gets the
//! view's photos, newest first, in a timeline sized from the counts and
//! filled as it scrolls. New uploads show up as they are committed.

use api_types::care::ViewName;
use leptos::prelude::*;
use leptos_router::components::Outlet;

use crate::{
    api::Api,
    auth::Auth,
    components::{
        care::{
            trash_header::TrashHeader,
            undo_toast::{UndoToast, UndoToastView},
            view_tabs::ViewTabs,
        },
        timeline::{selection_bar::SelectionBar, timeline_view::TimelineView},
    },
    pwa::Pwa,
    timeline::{Source, Status, TimelineStore, selection::Selection},
    upload::Uploads,
};

/// How long after the last commit of a burst the counts are fetched again: a
/// batch of 500 uploads asks once or twice, not 500 times.
const REFRESH_AFTER_COMMITS_MS: i32 = 1500;

/// The timeline.
#[component]
pub fn Gallery() -> impl IntoView {
    view! { <LibraryView view=ViewName::Timeline /> }
}

#[component]
pub fn Favorites() -> impl IntoView {
    view! { <LibraryView view=ViewName::Favorites /> }
}

#[component]
pub fn Archive() -> impl IntoView {
    view! { <LibraryView view=ViewName::Archive /> }
}

#[component]
pub fn Trash() -> impl IntoView {
    view! { <LibraryView view=ViewName::Trash /> }
}

#[component]
fn LibraryView(view: ViewName) -> impl IntoView {
    let auth = expect_context::<Auth>();
    move || {
        if auth.user().is_some() {
            view! { <Timeline view /> }.into_any()
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
fn Timeline(view: ViewName) -> impl IntoView {
    let api = expect_context::<Api>();
    let uploads = expect_context::<Uploads>();
    let store = TimelineStore::new(api, Source::Library(view));
    provide_context(store);
    provide_context(Selection::new());
    provide_context(UndoToast::new());
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
    let body = move || match status.get() {
        Status::Loading => view! {
            <p class="splash" aria-busy="true">
                "Loading your photos…"
            </p>
        }
        .into_any(),
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
        Status::Ready if empty.get() => {
            let (title, text) = empty_words(view);
            view! {
                <section class="empty-state" aria-labelledby="empty-title">
                    <div class="empty-illustration" aria-hidden="true"></div>
                    <h1 id="empty-title">{title}</h1>
                    <p>{text}</p>
                </section>
            }
            .into_any()
        }
        Status::Ready => view! {
            <h1 class="visually-hidden">{heading(view)}</h1>
            {(view == ViewName::Trash).then(|| view! { <TrashHeader /> })}
            <SelectionBar />
            <TimelineView />
        }
        .into_any(),
    };
    view! {
        <ViewTabs />
        {body}
        <UndoToastView />
        <Outlet />
    }
}

fn heading(view: ViewName) -> &'static str {
    match view {
        ViewName::Timeline => "Your photos",
        ViewName::Favorites => "Favorites",
        ViewName::Archive => "Archive",
        ViewName::Trash => "Trash",
    }
}

/// What an empty view says: its title, and how photos come into it.
fn empty_words(view: ViewName) -> (&'static str, &'static str) {
    match view {
        ViewName::Timeline => (
            "No photos yet",
            "Photos you back up to Shoebox appear here, newest first. Use Upload, or drop photos or folders anywhere on this page.",
        ),
        ViewName::Favorites => (
            "No favorites yet",
            "Press ♥ on a photo (or f in the photo view) to find it here again.",
        ),
        ViewName::Archive => (
            "Nothing archived",
            "Archive screenshots and receipts to keep them out of your timeline. They stay in their albums and in Favorites.",
        ),
        ViewName::Trash => (
            "The trash is empty",
            "Deleted photos wait here for 30 days before they are deleted for good, so you can restore them.",
        ),
    }
}
