//! The lightbox's download: the original for its owner and for a link that
//! shows the location; a large copy (no metadata) for a link that keeps the
//! location private; nothing where the link allows no downloads. An original
//! in deep archive is restored first ([`RestoreDialog`]), and says when it
//! will be ready meanwhile.

use api_types::photo::{ArchivedOriginal, Photo};
use leptos::prelude::*;

use super::restore_dialog::RestoreDialog;
use crate::{api::ApiError, timeline::labels};

/// "Wed 9 Dec, 17:40" for an RFC 3339 time, on this device's clock.
fn local_moment(rfc3339: &str) -> String {
    let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if at.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    labels::moment(
        at.get_day(),
        at.get_date(),
        at.get_month() + 1,
        at.get_hours(),
        at.get_minutes(),
    )
}

#[component]
pub fn DownloadButton(details: LocalResource<Result<Photo, ApiError>>) -> impl IntoView {
    // The photo as the restore answered it, until another photo is shown.
    let restored = RwSignal::new(None::<Photo>);
    let photo = move || {
        let shown = details.get().and_then(Result::ok)?;
        Some(
            restored
                .get()
                .filter(|restored| restored.id == shown.id)
                .unwrap_or(shown),
        )
    };
    let asking = RwSignal::new(false);
    let options = Signal::derive(move || match photo().and_then(|photo| photo.archived) {
        Some(ArchivedOriginal::Archived { options }) => options,
        _ => Vec::new(),
    });
    let photo_id = Signal::derive(move || photo().map(|photo| photo.id).unwrap_or_default());
    let button = move || {
        photo().and_then(
            |photo| match (photo.archived, photo.original_url, photo.download_url) {
                (Some(ArchivedOriginal::Archived { .. }), _, _) => Some(
                    view! {
                        <button
                            class="button"
                            type="button"
                            data-testid="restore-original"
                            on:click=move |_| asking.set(true)
                        >
                            "Restore original"
                        </button>
                    }
                    .into_any(),
                ),
                (Some(ArchivedOriginal::Restoring { ready_about }), _, _) => Some(
                    view! {
                        <span class="lightbox-note" data-testid="restoring-original" role="status">
                            {match ready_about {
                                Some(at) => format!("Restoring, ready about {}", local_moment(&at)),
                                None => "Restoring the original".to_owned(),
                            }}
                        </span>
                    }
                    .into_any(),
                ),
                (None, Some(url), _) => Some(
                    view! {
                        <a
                            class="button"
                            href=url
                            download=photo.details.filename
                            data-testid="download-original"
                        >
                            "Download"
                        </a>
                    }
                    .into_any(),
                ),
                (None, None, Some(url)) => Some(
                    view! {
                        <a
                            class="button"
                            href=url
                            download=""
                            data-testid="download-copy"
                            title="A large copy, without where it was taken"
                        >
                            "Download"
                        </a>
                    }
                    .into_any(),
                ),
                (None, None, None) => None,
            },
        )
    };
    view! {
        {button}
        <RestoreDialog
            open=asking
            photo_id
            options
            on_restored=move |photo: Photo| restored.set(Some(photo))
        />
    }
}
