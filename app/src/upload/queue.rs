//! [`Uploads`]: the upload queue in the browser. What runs, what comes next and
//! when a failure is tried again are the state machine's rules
//! ([`super::machine`]); this is its edge. It holds the files, the photo pool
//! and the requests in flight, carries out the machine's commands ([`steps`]),
//! feeds what they answer back to it, and shows its rows as signals.

mod in_parts;
mod sending;
mod steps;

pub(crate) use steps::prepare;

use api_types::{UploadConfig, upload::OriginalTarget};
use in_parts::InParts;
use leptos::{prelude::*, task::spawn_local};
use steps::Outgoing;

use super::{
    Ended, ImportedFile,
    machine::{Command, Event, Key, Limits, NewFile, Queue},
    persisted,
    rows::{Row, RowState, Summary},
    transfer::{Abort, NETWORK_RETRIES},
};
use crate::{
    api::Api,
    browser,
    photos::{PhotoPool, PoolOptions, ProcessedPhoto},
};

/// How often a part in flight updates its row.
const PROGRESS_EVERY_MS: f64 = 100.0;

#[derive(Clone, Copy)]
pub struct Uploads {
    /// The machine's rows, as last published.
    rows: RwSignal<Vec<Row>>,
    /// Counts photos committed on this page, so the gallery can show them.
    committed: RwSignal<u32>,
    skipped: RwSignal<usize>,
    work: StoredValue<Work, LocalStorage>,
}

struct Work {
    api: Api,
    /// Started with the first file: it starts workers.
    pool: Option<PhotoPool>,
    /// Whose queue this is (the signed-in user's id): files are kept for them.
    owner: Option<String>,
    resumed: bool,
    queue: Queue<Job>,
}

/// The browser's side of one file, held by the machine while it may run.
struct Job {
    file: web_sys::File,
    /// What the pool made of it, once prepared.
    photo: Option<ProcessedPhoto>,
    /// The original's upload in parts, once the API has started it; the id
    /// alone when it comes from before a reload, to be resumed. Gone once
    /// committed: a file let go of with one still here gives it up.
    upload: Option<InParts>,
    resume: Option<String>,
    /// Brought in by an import: what it knew, and whom to tell the end.
    import: Option<ImportedFile>,
    /// Each part, as the machine numbers them.
    parts: Vec<Outgoing>,
    abort: Abort,
    /// When its parts started leaving, for the transfer's measure.
    sending_since: f64,
}

impl Job {
    fn new(file: web_sys::File, resume: Option<String>) -> Job {
        Job {
            file,
            photo: None,
            upload: None,
            resume,
            import: None,
            parts: Vec::new(),
            abort: Abort::default(),
            sending_since: 0.0,
        }
    }

    /// The upload in parts to continue, if this file began one.
    fn resumable(&self) -> Option<String> {
        self.upload
            .as_ref()
            .map(|upload| upload.upload_id.clone())
            .or_else(|| self.resume.clone())
    }
}

impl Uploads {
    pub fn new(api: Api, config: &UploadConfig) -> Uploads {
        let limits = Limits {
            concurrency: config.concurrency as usize,
            max_original_bytes: config.max_original_bytes,
            attempts: NETWORK_RETRIES.attempts,
        };
        Uploads {
            rows: RwSignal::new(Vec::new()),
            committed: RwSignal::new(0),
            skipped: RwSignal::new(0),
            work: StoredValue::new_local(Work {
                api,
                pool: None,
                owner: None,
                resumed: false,
                queue: Queue::new(limits),
            }),
        }
    }

    pub fn rows(&self) -> Vec<Row> {
        self.rows.get()
    }

    /// How many photos this page has committed (reactive).
    pub fn committed(&self) -> u32 {
        self.committed.get()
    }

    /// Queues `files`; files over the deployment's limit fail at once. Each is
    /// kept in IndexedDB until it is done, so a reload resumes it.
    pub fn add(&self, files: Vec<web_sys::File>) {
        let signed_in = self.work.with_value(|work| work.owner.is_some());
        let files = files
            .into_iter()
            .map(|file| NewFile {
                name: file.name(),
                bytes: file.size() as u64,
                // Without randomness the file still uploads; it is only not
                // kept for after a reload.
                kept_as: signed_in
                    .then(|| browser::random_bytes::<16>().ok().map(hex::encode))
                    .flatten(),
                handle: Job::new(file, None),
            })
            .collect();
        self.drive(Event::Added {
            files,
            now_ms: browser::now_ms(),
        });
    }

    /// Queues files an import brought in (extracted from a Takeout), each with
    /// what the import knew of it and whom to tell when it ends. They are not
    /// kept in IndexedDB: the import resumes itself, and copying gigabytes
    /// there is what it must not do.
    pub fn add_imported(&self, files: Vec<(web_sys::File, ImportedFile)>) {
        let files = files
            .into_iter()
            .map(|(file, import)| NewFile {
                name: file.name(),
                bytes: file.size() as u64,
                kept_as: None,
                handle: Job {
                    import: Some(import),
                    ..Job::new(file, None)
                },
            })
            .collect();
        self.drive(Event::Added {
            files,
            now_ms: browser::now_ms(),
        });
    }

    /// Queues the photos among a folder's files; the rest are counted as
    /// skipped, not failed.
    pub fn add_from_folder(&self, files: Vec<web_sys::File>) {
        let (photos, skipped) = super::photo_files::photos_in_folder(files);
        if skipped > 0 {
            self.drive(Event::Skipped(skipped));
        }
        self.add(photos);
    }

    /// The signed-in user's files left from before a reload, once per page.
    pub fn resume(&self, owner: String) {
        let first = self.work.try_update_value(|work| {
            work.owner = Some(owner.clone());
            !std::mem::replace(&mut work.resumed, true)
        });
        if first != Some(true) {
            return;
        }
        let this = *self;
        spawn_local(async move {
            let kept = persisted::kept_for(&owner).await;
            if kept.is_empty() {
                return;
            }
            let files = kept
                .into_iter()
                .map(|kept| NewFile {
                    name: kept.file.name(),
                    bytes: kept.file.size() as u64,
                    kept_as: Some(kept.id),
                    handle: Job::new(kept.file, kept.upload),
                })
                .collect();
            this.drive(Event::Resumed {
                files,
                now_ms: browser::now_ms(),
            });
        });
    }

    /// Stops one file: taken off the queue, or its transfers aborted.
    pub fn cancel(&self, key: u64) {
        self.drive(Event::Cancel { key });
    }

    /// Queues a file that failed for a reason that may have passed.
    pub fn retry(&self, key: u64) {
        self.drive(Event::Retry { key });
    }

    pub fn cancel_all(&self) {
        self.drive(Event::CancelAll);
    }

    /// Removes finished rows from the panel.
    pub fn clear_finished(&self) {
        self.drive(Event::ClearFinished);
    }

    pub fn summary(&self) -> Summary {
        // The machine is not reactive; what it publishes is.
        self.rows.track();
        self.skipped.track();
        self.work
            .with_value(|work| work.queue.summary(browser::now_ms()))
    }

    /// Tells the machine what happened, shows what it now looks like, and
    /// does what it asks.
    fn drive(&self, event: Event<Job>) {
        let Some(commands) = self.work.try_update_value(|work| work.queue.on(event)) else {
            return;
        };
        self.publish();
        let mut to_keep = Vec::new();
        for command in commands {
            match command {
                Command::Keep { key, id } => to_keep.push((key, id)),
                command => self.perform(command),
            }
        }
        self.keep(to_keep);
    }

    fn publish(&self) {
        let Some((rows, skipped)) = self
            .work
            .try_with_value(|work| (work.queue.rows(), work.queue.skipped()))
        else {
            return;
        };
        self.rows.maybe_update(|shown| {
            let changed = *shown != rows;
            if changed {
                *shown = rows;
            }
            changed
        });
        if self.skipped.get_untracked() != skipped {
            self.skipped.set(skipped);
        }
    }

    fn perform(&self, command: Command<Job>) {
        let this = *self;
        match command {
            Command::Prepare { key } => self.prepare(key),
            Command::Ask { key, retry } => spawn_local(async move {
                steps::pause(retry).await;
                this.ask(key).await;
            }),
            Command::Send { key, part, retry } => self.send(key, part, retry),
            Command::Commit { key, retry } => {
                if retry == 0
                    && let Some(Some(since)) = self
                        .work
                        .try_with_value(|work| work.queue.handle(key).map(|job| job.sending_since))
                {
                    browser::measure("shoebox:transfer", since);
                }
                spawn_local(async move {
                    steps::pause(retry).await;
                    this.commit(key).await;
                });
            }
            Command::Abort { key } => {
                let abort = self
                    .work
                    .try_with_value(|work| work.queue.handle(key).map(|job| job.abort.clone()));
                if let Some(Some(abort)) = abort {
                    abort.abort();
                }
            }
            Command::Release { key, handle } => {
                handle.abort.abort();
                self.tell_import(key, &handle);
                self.give_up(handle);
            }
            Command::Keep { key, id } => self.keep(vec![(key, id)]),
            Command::Forget { id } => spawn_local(async move { persisted::forget(&id).await }),
            Command::CountCommitted { .. } => self.committed.update(|count| *count += 1),
        }
    }

    /// Tells the import a file of its came to its end.
    fn tell_import(&self, key: Key, job: &Job) {
        let Some(import) = &job.import else {
            return;
        };
        let Some(Some(row)) = self.work.try_with_value(|work| work.queue.row(key)) else {
            return;
        };
        let id = job.photo.as_ref().map(|photo| photo.id.clone());
        let ended = match (row.state, id) {
            (RowState::Done, Some(id)) => Ended::Stored { id, new: true },
            (RowState::Duplicate, Some(id)) => Ended::Stored { id, new: false },
            (RowState::Failed(reason), _) => Ended::Failed(reason),
            (RowState::Cancelled, _) => Ended::Failed("cancelled".to_owned()),
            (state, _) => Ended::Failed(format!("ended {state:?}")),
        };
        (import.on_end)(ended);
        self.drive(Event::Clear { key });
    }

    /// Keeps files in IndexedDB one after another, so they resume in order.
    fn keep(&self, files: Vec<(Key, String)>) {
        let Some((Some(owner), files)) = self.work.try_with_value(|work| {
            let files: Vec<(String, web_sys::File)> = files
                .into_iter()
                .filter_map(|(key, id)| Some((id, work.queue.handle(key)?.file.clone())))
                .collect();
            (work.owner.clone(), files)
        }) else {
            return;
        };
        if files.is_empty() {
            return;
        }
        spawn_local(async move {
            for (id, file) in files {
                persisted::keep(&owner, &id, &file).await;
            }
        });
    }

    fn prepare(&self, key: Key) {
        let started = self.work.try_update_value(|work| {
            let pool = work
                .pool
                .get_or_insert_with(|| PhotoPool::new(PoolOptions::for_this_device()))
                .clone();
            let job = work.queue.handle_mut(key)?;
            // A new run: an abort from the last one is behind it.
            job.abort = Abort::default();
            Some((job.file.clone(), pool))
        });
        let Some(Some((file, pool))) = started else {
            return;
        };
        let this = *self;
        spawn_local(async move {
            let event = match steps::prepare(&pool, file).await {
                Ok(photo) => {
                    let photo_id = photo.id.clone();
                    this.with_job(key, |job| job.photo = Some(photo));
                    Event::Prepared { key, photo_id }
                }
                Err(failure) => Event::Failed { key, failure },
            };
            this.drive(event);
        });
    }

    async fn ask(&self, key: Key) {
        // The machine asks only once the photo is prepared; no job means it
        // was let go of meanwhile.
        let Some(Some((api, file, photo, resume))) = self.work.try_with_value(|work| {
            let job = work.queue.handle(key)?;
            Some((
                work.api,
                job.file.clone(),
                job.photo.clone()?,
                job.resumable(),
            ))
        }) else {
            return;
        };
        let event = match steps::ask(api, &file, &photo, resume.clone()).await {
            Ok(steps::Answer::Exists) => Event::AnsweredExists { key },
            Ok(steps::Answer::Upload(targets)) => {
                let (parts, planned) = steps::outgoing(&file, &photo, &targets);
                let upload = match &targets.original {
                    OriginalTarget::InParts(upload) => Some(InParts::new(upload)),
                    OriginalTarget::Whole(_) => None,
                };
                if let Some(upload) = &upload
                    && resume.as_deref() != Some(upload.upload_id.as_str())
                {
                    self.note_upload(key, upload.upload_id.clone());
                }
                self.with_job(key, |job| {
                    job.upload = upload;
                    job.parts = parts;
                    job.sending_since = browser::performance_now();
                });
                Event::AnsweredUpload {
                    key,
                    parts: planned,
                }
            }
            Err(failure) => Event::Failed { key, failure },
        };
        self.drive(event);
    }

    async fn commit(&self, key: Key) {
        let Some(Some((api, file, photo, upload_id, import))) = self.work.try_with_value(|work| {
            let job = work.queue.handle(key)?;
            Some((
                work.api,
                job.file.clone(),
                job.photo.clone()?,
                job.upload.as_ref().map(|upload| upload.upload_id.clone()),
                job.import.clone(),
            ))
        }) else {
            return;
        };
        let event = match steps::commit(api, &file, &photo, upload_id, import.as_ref()).await {
            Ok(()) => {
                // Finished: nothing left to give up when the file is let go.
                self.with_job(key, |job| job.upload = None);
                Event::Committed { key }
            }
            Err(failure) => Event::Failed { key, failure },
        };
        self.drive(event);
    }

    fn with_job(&self, key: Key, change: impl FnOnce(&mut Job)) {
        self.work.try_update_value(|work| {
            if let Some(job) = work.queue.handle_mut(key) {
                change(job);
            }
        });
    }
}
