//! Photos shared to the app (the phone's share sheet, through the service
//! worker's share target) wait on this device until the signed-in person
//! chooses: "Back up" puts them in the upload queue, "Cancel" drops them.
//! Any web page can POST files to the share target, so nothing shared is ever
//! uploaded without this question; closing it (Escape) leaves them waiting.

use leptos::{html, prelude::*, task::spawn_local};

use crate::{components::albums::add_to_album::photo_count, pwa::Pwa, upload::Uploads};

/// How many of the shared files are shown as pictures; the rest are counted.
const SHOWN: usize = 12;

/// The question, while photos shared to the app wait.
#[component]
pub fn SharedPhotos() -> impl IntoView {
    let pwa = expect_context::<Pwa>();
    view! {
        <Show when=move || { pwa.shared_waiting() > 0 }>
            <SharedPrompt />
        </Show>
    }
}

/// One shared file as the prompt shows it: its picture where the browser can
/// show it (an object URL, revoked when the prompt goes), else its name.
#[derive(Clone)]
struct Preview {
    name: String,
    url: Option<String>,
}

#[component]
fn SharedPrompt() -> impl IntoView {
    let pwa = expect_context::<Pwa>();
    let uploads = expect_context::<Uploads>();
    let dialog = NodeRef::<html::Dialog>::new();
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let urls = StoredValue::new_local(Vec::<String>::new());
    let previews = LocalResource::new(move || async move {
        let files = crate::upload::persisted::peek_shared().await;
        let total = files.len();
        let shown: Vec<Preview> = files
            .iter()
            .take(SHOWN)
            .map(|file| {
                let is_image = file.type_().starts_with("image/");
                let url = is_image
                    .then(|| web_sys::Url::create_object_url_with_blob(file).ok())
                    .flatten();
                if let Some(url) = &url {
                    urls.update_value(|urls| urls.push(url.clone()));
                }
                Preview {
                    name: file.name(),
                    url,
                }
            })
            .collect();
        (shown, total)
    });
    on_cleanup(move || {
        urls.with_value(|urls| {
            for url in urls {
                let _ = web_sys::Url::revoke_object_url(url);
            }
        });
    });
    Effect::new(move |_| {
        if let Some(dialog) = dialog.get()
            && !dialog.open()
        {
            let _ = dialog.show_modal();
        }
    });
    let close = move || {
        if let Some(dialog) = dialog.get_untracked() {
            dialog.close();
        }
    };
    let back_up = move |_| {
        busy.set(true);
        spawn_local(async move {
            pwa.back_up_shared(uploads).await;
            busy.set(false);
            close();
        });
    };
    let cancel = move |_| {
        busy.set(true);
        spawn_local(async move {
            if pwa.drop_shared().await {
                close();
            } else {
                problem.set(Some(
                    "The shared photos could not be removed from this device. Try again.",
                ));
            }
            busy.set(false);
        });
    };
    let count = move || photo_count(pwa.shared_waiting() as u32);
    view! {
        <dialog
            class="confirm-dialog shared-prompt"
            node_ref=dialog
            data-testid="shared-prompt"
            aria-labelledby="shared-prompt-title"
        >
            <h2 id="shared-prompt-title">
                {move || format!("Back up {} shared to Shoebox?", count())}
            </h2>
            <p>
                "They were shared to Shoebox from another app or page. Nothing is uploaded until you choose Back up."
            </p>
            <ul class="shared-previews">
                {move || {
                    previews
                        .get()
                        .map(|(shown, total)| {
                            let more = total.saturating_sub(shown.len());
                            let items = shown
                                .into_iter()
                                .map(|preview| match preview.url {
                                    Some(url) => {
                                        let name = preview.name.clone();
                                        view! {
                                            <li>
                                                <img src=url alt=name title=preview.name />
                                            </li>
                                        }
                                            .into_any()
                                    }
                                    None => {
                                        let name = preview.name.clone();
                                        view! {
                                            <li class="no-preview" title=name>
                                                <span>{preview.name}</span>
                                            </li>
                                        }
                                            .into_any()
                                    }
                                })
                                .collect_view();
                            view! {
                                {items}
                                <Show when=move || { more > 0 }>
                                    <li class="more">{format!("+{more}")}</li>
                                </Show>
                            }
                        })
                }}
            </ul>
            <Show when=move || problem.get().is_some()>
                <p class="error" role="alert">
                    {move || problem.get()}
                </p>
            </Show>
            <div class="confirm-actions">
                <button
                    class="button"
                    type="button"
                    autofocus
                    disabled=move || busy.get()
                    on:click=cancel
                >
                    "Cancel"
                </button>
                <button
                    class="button primary"
                    type="button"
                    disabled=move || busy.get()
                    on:click=back_up
                >
                    "Back up"
                </button>
            </div>
        </dialog>
    }
}
