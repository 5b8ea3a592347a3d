//! Notices about the app itself, under the header: a new version is ready (and
//! a button to take it), the network is gone (and what still works), photos
//! shared to the app wait for someone to sign in (once someone has,
//! `shared_photos.rs` asks them).

use leptos::prelude::*;

use crate::{auth::Auth, components::albums::add_to_album::photo_count, pwa::Pwa};

#[component]
pub fn AppNotices() -> impl IntoView {
    let pwa = expect_context::<Pwa>();
    let auth = expect_context::<Auth>();
    view! {
        <Show when=move || pwa.update_waiting()>
            <div class="app-notice" role="status" data-testid="update-available">
                <span>"A new version of Shoebox is ready."</span>
                <button class="button primary" type="button" on:click=move |_| pwa.take_update()>
                    "Reload"
                </button>
            </div>
        </Show>
        <Show when=move || !pwa.online()>
            <div class="app-notice offline" role="status" data-testid="offline">
                <span>
                    "You are offline. Shoebox shows what this device has kept; uploads wait for the network."
                </span>
            </div>
        </Show>
        <Show when=move || { pwa.shared_waiting() > 0 && auth.user().is_none() }>
            <div class="app-notice" role="status" data-testid="shared-waiting">
                <span>
                    {move || {
                        format!(
                            "{} shared to Shoebox. Sign in to choose whether to back them up.",
                            photo_count(pwa.shared_waiting() as u32),
                        )
                    }}
                </span>
                <button class="button primary" type="button" on:click=move |_| auth.sign_in()>
                    "Sign in"
                </button>
            </div>
        </Show>
    }
}
