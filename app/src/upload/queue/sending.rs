//! Sending a file's parts: each whole file (a small original, a preview) or
//! piece of an original to its presigned PUT, a piece signed first when no
//! fresh URL is at hand; and the upload in parts noted for a reload, or given
//! up when the file is let go before its commit.

use leptos::{prelude::*, task::spawn_local};

use super::{
    Job, PROGRESS_EVERY_MS, Uploads,
    steps::{self, Outgoing},
};
use crate::{
    browser,
    upload::{
        machine::{Event, Failure, Key},
        persisted,
        transfer::Abort,
    },
};

impl Uploads {
    /// Keeps the file's upload id with the file, for a reload to resume it.
    pub(super) fn note_upload(&self, key: Key, upload_id: String) {
        let kept = self
            .work
            .try_with_value(|work| work.queue.kept_as(key).map(str::to_owned))
            .flatten();
        if let Some(kept) = kept {
            persisted::note_upload(&kept, &upload_id);
        }
    }

    /// A file let go of before its upload in parts was committed (cancelled,
    /// or failed for good): the store drops the parts it holds.
    pub(super) fn give_up(&self, job: Job) {
        let (Some(upload), Some(photo)) = (job.upload, job.photo) else {
            return;
        };
        let Some(api) = self.work.try_with_value(|work| work.api) else {
            return;
        };
        spawn_local(async move {
            // Best effort: the store's own rule drops it after a day anyway.
            if let Err(error) = api.abort_upload(&photo.id, &upload.upload_id).await {
                leptos::logging::warn!("upload queue: could not give up an upload: {error}");
            }
        });
    }

    pub(super) fn send(&self, key: Key, part: usize, retry: u32) {
        // The abort is taken now, not after the pause: if the file is let go
        // of meanwhile, this one is aborted and the part never leaves.
        let Some(Some((outgoing, abort))) = self.work.try_with_value(|work| {
            let job = work.queue.handle(key)?;
            Some((job.parts.get(part)?.clone(), job.abort.clone()))
        }) else {
            return;
        };
        let this = *self;
        spawn_local(async move {
            steps::pause(retry).await;
            // The browser reports every few kilobytes: at loopback speed that is
            // thousands of redraws a second, which slowed the sending itself. The
            // rows move ten times a second; a part's end is its own event.
            let last_shown = std::cell::Cell::new(f64::NEG_INFINITY);
            let progress = move |sent: f64| {
                let now = browser::performance_now();
                if now - last_shown.get() < PROGRESS_EVERY_MS {
                    return;
                }
                last_shown.set(now);
                this.drive(Event::Progress {
                    key,
                    part,
                    sent: sent as u64,
                });
            };
            let sent = match outgoing {
                Outgoing::Whole { target, body } => {
                    steps::send(&target, &body, progress, &abort).await
                }
                Outgoing::Piece { number } => this.send_piece(key, number, progress, &abort).await,
            };
            match sent {
                Ok(()) => this.drive(Event::Uploaded { key, part }),
                Err(Some(failure)) => this.drive(Event::PartFailed { key, part, failure }),
                Err(None) => {}
            }
        });
    }

    /// Sends piece `number` of the original, signing it (and the next few)
    /// first when no fresh URL is at hand.
    async fn send_piece(
        &self,
        key: Key,
        number: u32,
        progress: impl Fn(f64) + 'static,
        abort: &Abort,
    ) -> Result<(), Option<Failure>> {
        let now = browser::now_ms();
        // Only what this piece needs: not the upload's whole map of URLs.
        let Some(Some((api, file, photo_id, upload_id, plan, fresh))) =
            self.work.try_with_value(|work| {
                let job = work.queue.handle(key)?;
                let upload = job.upload.as_ref()?;
                Some((
                    work.api,
                    job.file.clone(),
                    job.photo.as_ref()?.id.clone(),
                    upload.upload_id.clone(),
                    upload.plan,
                    upload
                        .fresh_target(number, now)
                        .ok_or_else(|| upload.batch_from(number)),
                ))
            })
        else {
            return Err(None);
        };
        let target = match fresh {
            Ok(target) => target,
            Err(batch) => {
                let signed = steps::sign(api, &photo_id, &upload_id, plan.bytes, batch).await?;
                let target = signed
                    .iter()
                    .find(|(signed, _)| *signed == number)
                    .map(|(_, target)| target.clone());
                self.with_job(key, |job| {
                    if let Some(upload) = &mut job.upload {
                        upload.remember(signed, now);
                    }
                });
                target.ok_or_else(|| {
                    Some(Failure::Interrupted(
                        "The server did not sign a part of this file.".into(),
                    ))
                })?
            }
        };
        let body = steps::piece(&file, &plan, number).ok_or_else(|| {
            Some(Failure::Final(
                "This file changed while it was sent.".into(),
            ))
        })?;
        let sent = steps::send_piece(&target, &body, progress, abort).await;
        if sent.is_err() {
            self.with_job(key, |job| {
                if let Some(upload) = &mut job.upload {
                    upload.forget(number);
                }
            });
        }
        sent
    }
}
