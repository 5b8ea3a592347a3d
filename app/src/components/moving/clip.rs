//! The `<video>` that plays a [`Movement`] while `playing` is true, muted and
//! inline; `playing` turns false when it ends. A motion photo's clip is
//! fetched with one ranged GET (only its bytes) and played from a blob URL; a
//! Live Photo's video streams from its own URL; a copy a share link's visitor
//! asks for streams from the URL the answer gives.

use api_types::photo::MotionVideo;
use gloo_net::http::Request;
use leptos::prelude::*;

use super::Movement;
use crate::api::Api;

#[component]
pub fn MovingClip(
    movement: Movement,
    playing: RwSignal<bool>,
    /// The element's class: where it sits over the picture.
    class: &'static str,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let is_blob = matches!(movement, Movement::InFile { .. });
    let url = match &movement {
        Movement::Live { url } => Some(url.clone()),
        Movement::InFile { .. } | Movement::Asked { .. } => None,
    };
    let clip = LocalResource::new(move || {
        let movement = movement.clone();
        async move {
            match movement {
                Movement::InFile { url, motion } => fetch_clip(&url, &motion).await.map(Some),
                Movement::Live { .. } => Ok(None),
                Movement::Asked { token, id, .. } => api
                    .public_play(&token, &id)
                    .await
                    .map(|answer| Some(answer.play_url))
                    .map_err(|error| error.user_message()),
            }
        }
    });
    let fetched = Memo::new(move |_| clip.get().and_then(Result::ok).flatten());
    let source = Memo::new(move |_| url.clone().or_else(|| fetched.get()));
    let video = NodeRef::<leptos::html::Video>::new();
    on_cleanup(move || {
        // A clip still loading would fail on a revoked URL (and say so in the
        // console): stop the element first, then let the blob go.
        if let Some(element) = video.try_get_untracked().flatten() {
            let _ = element.remove_attribute("src");
            element.load();
        }
        if is_blob && let Some(Some(url)) = fetched.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    view! {
        <Show when=move || playing.get() && source.with(Option::is_some)>
            <video
                node_ref=video
                class=class
                src=move || source.get().unwrap_or_default()
                autoplay=true
                muted=true
                playsinline=true
                data-testid="motion-clip"
                on:ended=move |_| playing.set(false)
            ></video>
        </Show>
    }
}

/// The clip as a blob URL, or why not (the store answered something else).
async fn fetch_clip(url: &str, motion: &MotionVideo) -> Result<String, String> {
    let response = Request::get(url)
        .header("Range", &format!("bytes={}-", motion.start))
        .send()
        .await
        .map_err(|error| error.to_string())?;
    let bytes = response.binary().await.map_err(|error| error.to_string())?;
    let clip = match response.status() {
        206 => bytes,
        // A store that ignored the range sent the whole file.
        200 => bytes
            .get(motion.start as usize..)
            .ok_or("the file is shorter than its clip")?
            .to_vec(),
        status => return Err(format!("the store answered {status}")),
    };
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(clip.as_slice()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("video/mp4");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|error| crate::browser::describe(&error))?;
    web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|error| crate::browser::describe(&error))
}
