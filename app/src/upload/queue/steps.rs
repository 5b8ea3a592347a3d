//! The I/O behind the machine's commands, one try each: preparing a file in the
//! photo pool, asking the API, sending one part, committing. Each answers in
//! the machine's terms: a [`Failure`] says whether the step may be tried again,
//! and the machine decides whether it is.

use api_types::upload::{
    OriginalTarget, UploadAnswer, UploadRequest, UploadTarget, UploadTargets,
    parts::{PartPlan, SignParts},
};

use crate::{
    api::{Api, ApiError},
    browser,
    photos::{PhotoPool, ProcessedPhoto, poster},
    upload::{
        ImportedFile,
        bodies::{commit_body, upload_file},
        machine::{Failure, PlannedPart},
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

/// Hashes the file and makes its previews: a video's from its poster frame,
/// where this browser can decode it (without, it still backs up).
pub async fn prepare(pool: &PhotoPool, file: web_sys::File) -> Result<ProcessedPhoto, Failure> {
    let started = browser::performance_now();
    let processed = pool.process(file.clone()).await;
    browser::measure("shoebox:prepare", started);
    // The pipeline's refusals are about the file: trying again changes nothing.
    let mut photo = processed.map_err(|error| Failure::Final(error.user_message()))?;
    if photo.video.is_some() && photo.previews.is_none() {
        let started = browser::performance_now();
        match poster::frame(&file).await {
            Ok(frame) => match pool.poster(frame).await {
                Ok(previews) => {
                    photo.previews = Some(previews);
                    photo.no_preview = None;
                }
                Err(error) => leptos::logging::warn!("no poster for a video: {error}"),
            },
            Err(error) => leptos::logging::log!("no poster for a video: {error}"),
        }
        browser::measure("shoebox:poster", started);
    }
    Ok(photo)
}

/// `POST /uploads` for one photo; `resume` names the upload in parts an
/// earlier try began.
pub async fn ask(
    api: Api,
    file: &web_sys::File,
    photo: &ProcessedPhoto,
    resume: Option<String>,
) -> Result<Answer, Failure> {
    let request = UploadRequest {
        files: vec![upload_file(file, photo, resume)],
        in_parts: true,
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

/// One of the parts the machine numbers: where its bytes come from and go.
#[derive(Clone)]
pub enum Outgoing {
    /// A whole file (an original under the multipart threshold, a preview).
    Whole {
        target: UploadTarget,
        body: web_sys::Blob,
    },
    /// Part `number` of the original's upload in parts, signed when it is
    /// about to leave ([`InParts`]).
    Piece { number: u32 },
}

/// The photo's parts, in the order the machine numbers them (the original,
/// whole or in pieces, then the previews when both were made and signed),
/// with the sizes and the pieces already stored that the machine is told.
pub fn outgoing(
    file: &web_sys::File,
    photo: &ProcessedPhoto,
    targets: &UploadTargets,
) -> (Vec<Outgoing>, Vec<PlannedPart>) {
    let mut parts = Vec::new();
    let mut planned = Vec::new();
    match &targets.original {
        OriginalTarget::Whole(target) => {
            parts.push(Outgoing::Whole {
                target: target.clone(),
                body: file.clone().into(),
            });
            planned.push(PlannedPart::to_send(file.size() as u64));
        }
        OriginalTarget::InParts(upload) => {
            for number in 1..=upload.plan.parts {
                let (_, bytes) = upload.plan.part(number).unwrap_or_default();
                parts.push(Outgoing::Piece { number });
                planned.push(PlannedPart {
                    bytes,
                    already_stored: upload.stored.contains(&number),
                });
            }
        }
    }
    if let (Some(previews), Some(thumb), Some(web)) =
        (&photo.previews, &targets.thumb, &targets.web)
    {
        for (target, blob) in [(thumb, &previews.thumb.blob), (web, &previews.web.blob)] {
            parts.push(Outgoing::Whole {
                target: target.clone(),
                body: blob.clone(),
            });
            planned.push(PlannedPart::to_send(blob.size() as u64));
        }
    }
    (parts, planned)
}

/// Presigned PUTs for `numbers` of the photo's upload in parts (`bytes`: the
/// original's size, which the plan follows).
pub async fn sign(
    api: Api,
    photo_id: &str,
    upload_id: &str,
    bytes: u64,
    numbers: Vec<u32>,
) -> Result<Vec<(u32, UploadTarget)>, Failure> {
    let request = SignParts {
        upload_id: upload_id.to_owned(),
        bytes,
        numbers,
    };
    let signed = api
        .sign_parts(photo_id, &request)
        .await
        .map_err(api_failure)?;
    Ok(signed
        .parts
        .into_iter()
        .map(|part| (part.number, part.target))
        .collect())
}

/// The bytes of part `number` of `file`, as a slice the browser reads from
/// disk as it sends (never the whole file in memory).
pub fn piece(file: &web_sys::File, plan: &PartPlan, number: u32) -> Option<web_sys::Blob> {
    let (start, length) = plan.part(number)?;
    file.slice_with_f64_and_f64(start as f64, (start + length) as f64)
        .ok()
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
    upload_id: Option<String>,
    import: Option<&ImportedFile>,
) -> Result<(), Failure> {
    let mut body = commit_body(file, photo, upload_id);
    if let Some(import) = import {
        import.apply(&mut body.details);
    }
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

/// PUTs one piece of an original sent in parts. A refusal (its URL expired
/// while it waited for a retry) may pass: the piece is signed again.
pub async fn send_piece(
    target: &UploadTarget,
    body: &web_sys::Blob,
    progress: impl Fn(f64) + 'static,
    abort: &Abort,
) -> Result<(), Option<Failure>> {
    match transfer::put(target, body, progress, abort).await {
        Err(TransferError::Status { status: 403, .. }) => Err(Some(Failure::Transient(
            "The store refused a part; it is signed again and resent.".into(),
        ))),
        other => other.map_err(transfer_failure),
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
