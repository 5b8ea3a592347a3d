//! The lightbox's download: the original for its owner and for a link that
//! shows the location; a large copy (no metadata) for a link that keeps the
//! location private; nothing where the link allows no downloads.

use api_types::photo::Photo;
use leptos::prelude::*;

use crate::api::ApiError;

#[component]
pub fn DownloadButton(details: LocalResource<Result<Photo, ApiError>>) -> impl IntoView {
    move || {
        details.get().and_then(Result::ok).and_then(|photo| {
            match (photo.original_url, photo.download_url) {
                (Some(url), _) => Some(
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
                (None, Some(url)) => Some(
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
                (None, None) => None,
            }
        })
    }
}
