//! Previews the bucket lost, made again (`api_types::previews`): when
//! `verify --repair` found a photo's thumbnail or web view gone, the next
//! time its owner opens Shoebox this fetches the original, makes the
//! previews as the upload did (the photo worker; a video's poster frame),
//! and sends the lost ones to where they were. Runs once a session, in the
//! background, a photo at a time; a photo that fails is left for the next
//! session.

use api_types::previews::{MadePreviews, PreviewFile, WantedPhoto};
use wasm_bindgen::JsCast;

use crate::{
    api::Api,
    photos::{PhotoPool, PoolOptions},
    upload::{
        prepare,
        transfer::{self, Abort},
    },
};

/// Makes again every lost preview the API asks for: how many photos were
/// mended.
pub async fn make_again(api: Api) -> usize {
    let mut pool: Option<PhotoPool> = None;
    let mut mended = 0;
    loop {
        let wanted = match api.wanted_previews().await {
            Ok(wanted) => wanted.items,
            Err(error) => {
                leptos::logging::warn!("cannot ask which previews are lost: {error:?}");
                break;
            }
        };
        if wanted.is_empty() {
            break;
        }
        let pool = pool.get_or_insert_with(|| PhotoPool::new(PoolOptions::for_this_device()));
        let mut progressed = false;
        for photo in wanted {
            match one(&api, pool, &photo).await {
                Ok(()) => {
                    mended += 1;
                    progressed = true;
                }
                Err(why) => {
                    leptos::logging::warn!("previews of {} not made again: {why}", photo.id)
                }
            }
        }
        // Every one failed: the next session tries again.
        if !progressed {
            break;
        }
    }
    mended
}

async fn one(api: &Api, pool: &PhotoPool, wanted: &WantedPhoto) -> Result<(), String> {
    let file = original(wanted).await?;
    let photo = prepare(pool, file)
        .await
        .map_err(|error| error.to_string())?;
    if photo.id != wanted.id {
        return Err("the original's bytes are not the photo's".into());
    }
    let previews = photo
        .previews
        .ok_or_else(|| photo.no_preview.unwrap_or_else(|| "no previews".into()))?;
    let pick = |wanted: &Option<String>, blob: &web_sys::Blob| {
        wanted.as_ref().map(|content_type| {
            if blob.type_() == *content_type {
                Ok((
                    PreviewFile {
                        bytes: blob.size() as u64,
                        content_type: content_type.clone(),
                    },
                    blob.clone(),
                ))
            } else {
                Err(format!(
                    "this browser makes {}, not {content_type}",
                    blob.type_()
                ))
            }
        })
    };
    let thumb = pick(&wanted.thumb, &previews.thumb.blob).transpose()?;
    let web = pick(&wanted.web, &previews.web.blob).transpose()?;
    let made = MadePreviews {
        thumb: thumb.as_ref().map(|(file, _)| file.clone()),
        web: web.as_ref().map(|(file, _)| file.clone()),
    };
    let targets = api
        .preview_targets(&wanted.id, &made)
        .await
        .map_err(|error| error.user_message())?;
    let abort = Abort::default();
    for (target, made) in [(&targets.thumb, &thumb), (&targets.web, &web)] {
        if let (Some(target), Some((_, blob))) = (target, made) {
            transfer::put(target, blob, |_| {}, &abort)
                .await
                .map_err(|error| error.to_string())?;
        }
    }
    api.previews_done(&wanted.id, &made)
        .await
        .map_err(|error| error.user_message())
}

/// The original, fetched from the store, as the `File` the upload had. It
/// stays a `Blob` the browser holds (on disk when large), never copied into
/// the wasm heap: a 4 GB video is read in slices, as at upload.
async fn original(wanted: &WantedPhoto) -> Result<web_sys::File, String> {
    let response = gloo_net::http::Request::get(&wanted.original_url)
        .send()
        .await
        .map_err(|error| error.to_string())?;
    if !response.ok() {
        return Err(format!("the store answered {}", response.status()));
    }
    let blob = web_sys::Response::from(response)
        .blob()
        .map_err(|error| crate::browser::describe(&error))?;
    let blob: web_sys::Blob = wasm_bindgen_futures::JsFuture::from(blob)
        .await
        .map_err(|error| crate::browser::describe(&error))?
        .unchecked_into::<web_sys::Blob>();
    let options = web_sys::FilePropertyBag::new();
    options.set_type(&wanted.content_type);
    web_sys::File::new_with_blob_sequence_and_options(
        &js_sys::Array::of1(&blob),
        &wanted.filename,
        &options,
    )
    .map_err(|error| crate::browser::describe(&error))
}
