//! `/shared`: every link the user has made, newest first: which album, when it
//! was made and until when it works, whether originals can be downloaded; with
//! copy, the phone's share sheet, and revoke (after a confirmation).

use api_types::album::Share;
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::Api,
    browser,
    components::{confirm_dialog::ConfirmDialog, problem_line::ProblemLine},
    pages::signed_in::SignedIn,
    timeline::labels,
};

#[component]
pub fn SharedLinks() -> impl IntoView {
    view! {
        <SignedIn what="your shared links">
            <LinkList />
        </SignedIn>
    }
}

#[component]
fn LinkList() -> impl IntoView {
    let api = expect_context::<Api>();
    let links = LocalResource::new(move || async move { api.shares().await });
    let revoking = RwSignal::new(None::<Share>);
    let confirming = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<String>);
    let revoke = move |_| {
        let Some(share) = revoking.get_untracked() else {
            return;
        };
        spawn_local(async move {
            match api.revoke_share(&share.token).await {
                Ok(()) => links.refetch(),
                Err(error) => problem.set(Some(format!(
                    "The link still works. {}",
                    error.user_message()
                ))),
            }
        });
    };
    let row = move |share: Share| {
        let (url, title, token) = (
            share.url.clone(),
            share.album_title.clone(),
            share.token.clone(),
        );
        let copy = {
            let (url, token) = (url.clone(), token.clone());
            move |_| {
                let (url, token) = (url.clone(), token.clone());
                spawn_local(async move {
                    if browser::copy_text(&url).await {
                        copied.set(Some(token));
                    } else {
                        problem.set(Some("The link could not be copied.".into()));
                    }
                });
            }
        };
        let share_sheet = {
            let (url, title) = (url.clone(), title.clone());
            move |_| {
                let (url, title) = (url.clone(), title.clone());
                spawn_local(async move {
                    browser::share_link(&title, &url).await;
                });
            }
        };
        let is_copied = {
            let token = token.clone();
            move || copied.with(|copied| copied.as_ref() == Some(&token))
        };
        let terms = format!(
            "Made {}. {}{}",
            labels::day(share.created_at.get(..10).unwrap_or_default()),
            match (&share.expires_at, share.expired) {
                (Some(_), true) => "Expired.".to_owned(),
                (Some(at), false) => format!(
                    "Works until {}.",
                    labels::day(at.get(..10).unwrap_or_default())
                ),
                (None, _) => "Works until turned off.".to_owned(),
            },
            crate::components::albums::share_dialog::link_terms(
                share.allow_download,
                share.show_location
            ),
        );
        let chosen = share.clone();
        view! {
            <li class="share-row" class:expired=share.expired data-testid="share-row">
                <div class="share-info">
                    <a class="share-album" href=format!("/albums/{}", share.album_id)>
                        {title.clone()}
                    </a>
                    <span class="share-url">{url.clone()}</span>
                    <span class="share-terms">{terms}</span>
                </div>
                <div class="share-actions">
                    {browser::can_share()
                        .then(|| {
                            view! {
                                <button class="button" type="button" on:click=share_sheet>
                                    "Share…"
                                </button>
                            }
                        })} <button class="button" type="button" on:click=copy>
                        {move || if is_copied() { "Copied ✓" } else { "Copy link" }}
                    </button>
                    <button
                        class="button danger"
                        type="button"
                        on:click=move |_| {
                            revoking.set(Some(chosen.clone()));
                            confirming.set(true);
                        }
                    >
                        "Turn off"
                    </button>
                </div>
            </li>
        }
    };
    let list = move || match links.get() {
        None => view! {
            <p class="splash" aria-busy="true">
                "Loading your links…"
            </p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <section class="notice-card" role="alert">
                <h2>"Your links could not be loaded"</h2>
                <p>{error.user_message()}</p>
                <button class="button primary" type="button" on:click=move |_| links.refetch()>
                    "Try again"
                </button>
            </section>
        }
        .into_any(),
        Some(Ok(list)) if list.items.is_empty() => view! {
            <section class="empty-state">
                <p>"No shared links. Open an album and choose Share to make one."</p>
            </section>
        }
        .into_any(),
        Some(Ok(list)) => {
            view! { <ul class="share-list">{list.items.into_iter().map(row).collect_view()}</ul> }
                .into_any()
        }
    };
    view! {
        <section class="page-section">
            <header class="page-head">
                <h1>"Shared links"</h1>
            </header>
            <ProblemLine problem />
            {list}
        </section>
        <ConfirmDialog
            open=confirming
            title=Signal::derive(move || {
                revoking
                    .with(|share| {
                        format!(
                            "Turn off the link to “{}”?",
                            share.as_ref().map(|s| s.album_title.as_str()).unwrap_or_default(),
                        )
                    })
            })
            message="Anyone who opens it will see “This link is not available”. The album stays as it is."
                .to_owned()
            confirm="Turn off".to_owned()
            on_confirm=revoke
        />
    }
}
