//! The I/O behind the machine's commands, one try each: preparing a file in the
//! photo pool, asking the API, sending one part, committing. Each answers in
//! the machine's terms: a [`Failure`] says whether the step may be tried again,
//! and the machine decides whether it is.

use api_types::upload::{UploadAnswer, UploadRequest, UploadTarget, UploadTargets};

use crate::{
    api::{Api, ApiError},
    browser,
    photos::{PhotoPool, ProcessedPhoto},
    upload::{
        bodies::{commit_body, upload_file},
        machine::Failure,
        transfer::{self, Abort, NETWORK_RETRIES, TransferError},
    },
};

/// What the API said to do with a photo.
pub enum Answer {
    Exists,
    Upload(Box<UploadTargets>),
}

/// Waits before the `retry`-th retry of a step (none before a first try).
pub async fn pause(retry: u32) {
    if let Some(earlier) = retry.checked_sub(1) {
        browser::sleep_ms(NETWORK_RETRIES.delay_ms(earlier)).await;
    }
}

/// Hashes the file and makes its previews.
pub async fn prepare(pool: &PhotoPool, file: web_sys::File) -> Result<ProcessedPhoto, Failure> {
    let started = browser::performance_now();
    let processed = pool.process(file).await;
    browser::measure("shoebox:prepare", started);
    // The pipeline's refusals are about the file: trying again changes nothing.
    processed.map_err(|error| Failure::Final(error.user_message()))
}

/// `POST /uploads` for one photo.
pub async fn ask(
    api: Api,
    file: &web_sys::File,
    photo: &ProcessedPhoto,
) -> Result<Answer, Failure> {
    let request = UploadRequest {
        files: vec![upload_file(file, photo)],
    };
    let started = browser::performance_now();
    let answer = api.uploads(&request).await;
    browser::measure("shoebox:presign", started);
    match answer.map_err(api_failure)?.files.into_iter().next() {
        None => Err(Failure::Interrupted(
            "The server did not answer for this file.".into(),
        )),
        Some(UploadAnswer::Exists { .. }) => Ok(Answer::Exists),
        Some(UploadAnswer::Refused { error, .. }) => Err(Failure::Final(error.message)),
        Some(UploadAnswer::Upload { targets, .. }) => Ok(Answer::Upload(Box::new(targets))),
    }
}

/// The photo's parts, in the order the machine numbers them: the original,
/// then the previews when both were made and signed.
pub fn parts(
    file: &web_sys::File,
    photo: &ProcessedPhoto,
    targets: &UploadTargets,
) -> Vec<(UploadTarget, web_sys::Blob)> {
    let mut parts = vec![(targets.original.clone(), file.clone().into())];
    if let (Some(previews), Some(thumb), Some(web)) =
        (&photo.previews, &targets.thumb, &targets.web)
    {
        parts.push((thumb.clone(), previews.thumb.blob.clone()));
        parts.push((web.clone(), previews.web.blob.clone()));
    }
    parts
}

/// PUTs one part. `Err(None)`: it was aborted, as the machine asked.
pub async fn send(
    target: &UploadTarget,
    body: &web_sys::Blob,
    progress: impl Fn(f64) + 'static,
    abort: &Abort,
) -> Result<(), Option<Failure>> {
    transfer::put(target, body, progress, abort)
        .await
        .map_err(transfer_failure)
}

/// `POST /photos` for one photo whose parts are all in the store.
pub async fn commit(
    api: Api,
    file: &web_sys::File,
    photo: &ProcessedPhoto,
    original: &UploadTarget,
) -> Result<(), Failure> {
    let body = commit_body(file, photo, original);
    let started = browser::performance_now();
    let committed = api.commit(&body).await;
    browser::measure("shoebox:commit", started);
    committed.map(drop).map_err(api_failure)
}

/// Every API failure may pass: a moment for the network and 5xx, later for
/// the rest (the session, say), when the person retries or reloads.
fn api_failure(error: ApiError) -> Failure {
    let words = error.user_message();
    if error.is_transient() {
        Failure::Transient(words)
    } else {
        Failure::Interrupted(words)
    }
}

fn transfer_failure(error: TransferError) -> Option<Failure> {
    let words = match &error {
        TransferError::Cancelled => return None,
        TransferError::Network => "The upload kept failing; check your connection. It will be tried again when you reload.".to_owned(),
        // A refusal that is not transient is most likely an upload URL that
        // expired while the photo waited: asking again signs a new one.
        TransferError::Status { status, code } => format!(
            "The photo store refused the upload ({status} {code}). It will be tried again when you reload."
        ),
    };
    Some(if error.is_transient() {
        Failure::Transient(words)
    } else {
        Failure::Interrupted(words)
    })
}
