//! The top bar: the app's name, the sections (photos, albums, shared links;
//! a tab bar at the bottom of a phone's screen, within thumb reach), and the
//! account area (who is signed in, sign in and out).

use leptos::prelude::*;
use leptos_router::components::A;

use crate::{api::Api, auth::Auth, components::upload::upload_button::UploadButton};

#[component]
pub fn Header() -> impl IntoView {
    let auth = expect_context::<Auth>();
    let api = expect_context::<Api>();
    // The name comes from the API, which proves it accepts our token; the id
    // token's username shows until it answers.
    let me = LocalResource::new(move || {
        let signed_in = auth.user().is_some();
        async move { if signed_in { api.me().await.ok() } else { None } }
    });
    let account = move || match auth.user() {
        Some(_) if auth.is_expired() => view! {
            <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                "Sign in again"
            </button>
        }
        .into_any(),
        Some(user) => {
            let fallback = user.username.clone();
            let name = move || {
                me.get()
                    .flatten()
                    .map_or_else(|| fallback.clone(), |me| me.name)
            };
            view! {
                <UploadButton />
                <span class="account-name" data-testid="account-name">
                    {name}
                </span>
                <button class="button" type="button" on:click=move |_| auth.sign_out()>
                    "Sign out"
                </button>
            }
            .into_any()
        }
        None => view! {
            <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                "Sign in"
            </button>
        }
        .into_any(),
    };
    view! {
        <header class="app-header">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                "Shoebox"
            </A>
            <Show when=move || auth.user().is_some()>
                <nav class="sections" aria-label="Sections">
                    <A href="/" exact=true>
                        "Photos"
                    </A>
                    <A href="/albums">"Albums"</A>
                    <A href="/shared">"Shared"</A>
                    <A href="/import">"Import"</A>
                </nav>
            </Show>
            <nav class="account" aria-label="Account">
                {account}
            </nav>
        </header>
    }
}
