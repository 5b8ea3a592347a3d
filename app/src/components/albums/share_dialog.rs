//! Makes a share link to an album: for how long, whether its visitors may
//! download the photos, and whether they see where the photos were taken;
//! then the link to copy or hand to the phone's share sheet. An original holds
//! where it was taken, so only a link that shows the location downloads
//! originals; one that keeps it private downloads large copies without it.

use api_types::album::{NewShare, Share};
use leptos::{html, prelude::*, task::spawn_local};

use crate::{api::Api, browser, components::problem_line::ProblemLine};

/// The choices of how long a link works, in days (`None`: until revoked).
const EXPIRIES: [(&str, Option<u32>); 4] = [
    ("Until I turn it off", None),
    ("1 day", Some(1)),
    ("7 days", Some(7)),
    ("30 days", Some(30)),
];

#[component]
pub fn ShareDialog(
    open: RwSignal<bool>,
    #[prop(into)] album_id: Signal<String>,
    #[prop(into)] album_title: Signal<String>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let dialog = NodeRef::<html::Dialog>::new();
    let heading_id = crate::components::unique_id("share-dialog-heading");
    let labelled_by = heading_id.clone();
    let days = RwSignal::new(None::<u32>);
    let allow_download = RwSignal::new(false);
    let show_location = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let made = RwSignal::new(None::<Share>);
    let problem = RwSignal::new(None::<String>);
    let copied = RwSignal::new(false);
    crate::components::modal_while(dialog, open, move || {
        made.set(None);
        problem.set(None);
        copied.set(false);
    });

    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        problem.set(None);
        let share = NewShare {
            expires_at: days.get_untracked().map(|days| {
                let at =
                    js_sys::Date::new(&(browser::now_ms() + f64::from(days) * 86_400_000.0).into());
                String::from(at.to_iso_string())
            }),
            allow_download: allow_download.get_untracked(),
            show_location: show_location.get_untracked(),
        };
        let album = album_id.get_untracked();
        spawn_local(async move {
            match api.share_album(&album, &share).await {
                Ok(share) => made.set(Some(share)),
                Err(error) => problem.set(Some(format!(
                    "The link was not made. {}",
                    error.user_message()
                ))),
            }
            busy.set(false);
        });
    };
    let copy = move |_| {
        let Some(url) = made.with_untracked(|made| made.as_ref().map(|share| share.url.clone()))
        else {
            return;
        };
        spawn_local(async move {
            if browser::copy_text(&url).await {
                copied.set(true);
            } else {
                problem.set(Some(
                    "The link could not be copied; select it and copy it yourself.".into(),
                ));
            }
        });
    };
    let share_sheet = move |_| {
        let Some(url) = made.with_untracked(|made| made.as_ref().map(|share| share.url.clone()))
        else {
            return;
        };
        let title = album_title.get_untracked();
        spawn_local(async move {
            browser::share_link(&title, &url).await;
        });
    };

    let form = move || {
        view! {
            <form on:submit=create>
                <label class="field">
                    <span>"The link works"</span>
                    <select on:change=move |event| {
                        let chosen = event_target_value(&event);
                        days.set(chosen.parse().ok());
                    }>
                        {EXPIRIES
                            .iter()
                            .map(|(label, days)| {
                                let value = days.map(|d| d.to_string()).unwrap_or_default();
                                view! { <option value=value>{*label}</option> }
                            })
                            .collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || allow_download.get()
                        on:change=move |event| allow_download.set(event_target_checked(&event))
                    />
                    <span>"Let people with the link download the photos"</span>
                </label>
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || show_location.get()
                        on:change=move |event| show_location.set(event_target_checked(&event))
                    />
                    <span>"Show where the photos were taken"</span>
                </label>
                <p class="hint" data-testid="share-terms">
                    "Anyone with the link sees this album's photos, without signing in, and nothing else of yours. "
                    {move || match (allow_download.get(), show_location.get()) {
                        (true, true) => {
                            "They can download the originals, which hold where each photo was taken."
                        }
                        (true, false) => {
                            "They can download large copies (up to 2048 pixels) without where the photos were taken; originals hold it, so they stay private."
                        }
                        (false, true) => "They see where each photo was taken.",
                        (false, false) => "Not where the photos were taken.",
                    }}
                </p>
                <div class="confirm-actions">
                    <button class="button" type="button" on:click=move |_| open.set(false)>
                        "Cancel"
                    </button>
                    <button class="button primary" type="submit" disabled=move || busy.get()>
                        {move || if busy.get() { "Making the link…" } else { "Create link" }}
                    </button>
                </div>
            </form>
        }
    };
    let result = move |share: Share| {
        view! {
            <label class="field">
                <span>"Send this link"</span>
                <input
                    type="text"
                    readonly
                    prop:value=share.url.clone()
                    data-testid="share-url"
                    on:focus=move |event| {
                        use wasm_bindgen::JsCast;
                        if let Some(input) = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                        {
                            input.select();
                        }
                    }
                />
            </label>
            <p class="hint">
                {match &share.expires_at {
                    Some(at) => {
                        format!(
                            "It stops working on {}.",
                            crate::timeline::labels::day(at.get(..10).unwrap_or_default()),
                        )
                    }
                    None => "It works until you turn it off in Shared links.".to_owned(),
                }} {link_terms(share.allow_download, share.show_location)}
            </p>
            <div class="confirm-actions">
                {browser::can_share()
                    .then(|| {
                        view! {
                            <button class="button" type="button" on:click=share_sheet>
                                "Share…"
                            </button>
                        }
                    })} <button class="button" type="button" on:click=copy>
                    {move || if copied.get() { "Copied ✓" } else { "Copy link" }}
                </button>
                <button class="button primary" type="button" on:click=move |_| open.set(false)>
                    "Done"
                </button>
            </div>
        }
    };
    view! {
        <dialog
            class="confirm-dialog share-dialog"
            node_ref=dialog
            on:close=move |_| open.set(false)
            aria-labelledby=labelled_by
        >
            <h2 id=heading_id>{move || format!("Share “{}”", album_title.get())}</h2>
            <ProblemLine problem />
            {move || match made.get() {
                Some(share) => result(share).into_any(),
                None => form().into_any(),
            }}
        </dialog>
    }
}

/// What a link lets its visitors do beyond looking, for the dialog and the
/// list of links: a leading space, or nothing.
pub fn link_terms(allow_download: bool, show_location: bool) -> &'static str {
    match (allow_download, show_location) {
        (true, true) => " Originals can be downloaded, with where they were taken.",
        (true, false) => " Large copies can be downloaded, without where they were taken.",
        (false, true) => " Shows where the photos were taken.",
        (false, false) => "",
    }
}
