//! A motion photo's clip, over its still: played once when the photo opens,
//! and again from the Motion button. The clip is the original's last bytes
//! (`PhotoDetails::motion`), fetched with one ranged GET through the photo's
//! `play_url` and played from a blob URL, muted, like the phone plays it.

use api_types::photo::MotionVideo;
use gloo_net::http::Request;
use leptos::prelude::*;

#[component]
pub fn MotionClip(play_url: String, motion: MotionVideo) -> impl IntoView {
    let clip = LocalResource::new(move || {
        let url = play_url.clone();
        let motion = motion.clone();
        async move { fetch_clip(&url, &motion).await }
    });
    let playing = RwSignal::new(true);
    let source = Memo::new(move |_| clip.get().and_then(Result::ok));
    Effect::new(move |previous: Option<Option<String>>| {
        let current = source.get();
        if let Some(Some(old)) = previous
            && Some(&old) != current.as_ref()
        {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
        current
    });
    let video = NodeRef::<leptos::html::Video>::new();
    on_cleanup(move || {
        // A clip still loading would fail on a revoked URL (and say so in the
        // console): stop the element first, then let the blob go.
        if let Some(element) = video.try_get_untracked().flatten() {
            let _ = element.remove_attribute("src");
            element.load();
        }
        if let Some(Some(url)) = source.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    view! {
        <Show when=move || playing.get() && source.with(Option::is_some)>
            <video
                node_ref=video
                class="lightbox-motion"
                src=move || source.get().unwrap_or_default()
                autoplay=true
                muted=true
                playsinline=true
                data-testid="motion-clip"
                on:ended=move |_| playing.set(false)
            ></video>
        </Show>
        <button
            class="motion-button"
            type="button"
            aria-pressed=move || playing.get().to_string()
            disabled=move || source.with(Option::is_none)
            // Not the stage's: it would take the pointer, and the click with it.
            on:pointerdown=move |event| event.stop_propagation()
            on:click=move |event| {
                event.stop_propagation();
                playing.set(true);
            }
        >
            "Motion"
        </button>
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
