//! [`Uploads`]: the upload queue. Its rows are a signal the panel renders; the
//! files, the pool and the requests in flight stay on this thread beside it.

use std::{
    cell::RefCell,
    collections::{HashMap, HashSet, VecDeque},
    future::Future,
    rc::Rc,
};

use api_types::{
    UploadConfig,
    upload::{UploadAnswer, UploadRequest, UploadTarget},
};
use leptos::prelude::*;

use super::{
    bodies::{commit_body, upload_file},
    persisted,
    rows::{Batch, Row, RowState, Summary},
    transfer::{self, Abort, NETWORK_RETRIES, RetryPolicy, TransferError},
};
use crate::{
    api::{Api, ApiError},
    browser,
    photos::{PhotoPool, PoolOptions},
};

#[derive(Clone, Copy)]
pub struct Uploads {
    rows: RwSignal<Vec<Row>>,
    /// Counts photos committed on this page, so the gallery can show them.
    committed: RwSignal<u32>,
    skipped: RwSignal<usize>,
    work: StoredValue<Work, LocalStorage>,
}

struct Work {
    api: Api,
    pool: Option<PhotoPool>,
    concurrency: usize,
    max_original_bytes: u64,
    running: usize,
    waiting: VecDeque<u64>,
    files: HashMap<u64, web_sys::File>,
    aborts: HashMap<u64, Abort>,
    cancelled: HashSet<u64>,
    next_key: u64,
    /// Whose queue this is (the signed-in user's id), and each file's entry in
    /// IndexedDB, so a reload can resume it.
    owner: Option<String>,
    kept: HashMap<u64, String>,
    resumed: bool,
    /// When the current batch started, and how many bytes were sent in it.
    started_ms: Option<f64>,
    sent_in_batch: f64,
}

impl Uploads {
    pub fn new(api: Api, config: &UploadConfig) -> Uploads {
        Uploads {
            rows: RwSignal::new(Vec::new()),
            committed: RwSignal::new(0),
            skipped: RwSignal::new(0),
            work: StoredValue::new_local(Work {
                api,
                pool: None,
                concurrency: config.concurrency.max(1) as usize,
                max_original_bytes: config.max_original_bytes,
                running: 0,
                waiting: VecDeque::new(),
                files: HashMap::new(),
                aborts: HashMap::new(),
                cancelled: HashSet::new(),
                next_key: 0,
                owner: None,
                kept: HashMap::new(),
                resumed: false,
                started_ms: None,
                sent_in_batch: 0.0,
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
        let files = files.into_iter().map(|file| (None, file)).collect();
        self.enqueue(files);
    }

    /// Queues the photos among a folder's files; the rest are counted as
    /// skipped, not failed.
    pub fn add_from_folder(&self, files: Vec<web_sys::File>) {
        let (photos, skipped) = super::photo_files::photos_in_folder(files);
        if skipped > 0 {
            self.skipped.update(|count| *count += skipped);
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
        leptos::task::spawn_local(async move {
            let kept = persisted::kept_for(&owner).await;
            if !kept.is_empty() {
                this.enqueue(
                    kept.into_iter()
                        .map(|kept| (Some(kept.id), kept.file))
                        .collect(),
                );
            }
        });
    }

    fn enqueue(&self, files: Vec<(Option<String>, web_sys::File)>) {
        let max = self.work.with_value(|work| work.max_original_bytes);
        let mut new_rows = Vec::new();
        let mut to_keep = Vec::new();
        self.work.update_value(|work| {
            if work.running == 0 && work.waiting.is_empty() {
                work.started_ms = Some(browser::now_ms());
                work.sent_in_batch = 0.0;
            }
            for (kept_as, file) in files {
                work.next_key += 1;
                let key = work.next_key;
                let bytes = file.size() as u64;
                let state = if bytes > max {
                    RowState::Failed(format!(
                        "This file is {:.0} MB; this Shoebox takes files up to {:.0} MB.",
                        bytes as f64 / 1e6,
                        max as f64 / 1e6
                    ))
                } else {
                    work.files.insert(key, file.clone());
                    work.waiting.push_back(key);
                    match kept_as {
                        Some(id) => {
                            work.kept.insert(key, id);
                        }
                        None => {
                            // Without randomness the file still uploads; it is
                            // only not kept for after a reload.
                            if let (Some(owner), Ok(random)) =
                                (&work.owner, browser::random_bytes::<16>())
                            {
                                let id = hex::encode(random);
                                work.kept.insert(key, id.clone());
                                to_keep.push((owner.clone(), id, file.clone()));
                            }
                        }
                    }
                    RowState::Waiting
                };
                new_rows.push(Row {
                    key,
                    name: file.name(),
                    bytes,
                    upload_bytes: 0,
                    sent: 0,
                    state,
                    retryable: false,
                });
            }
        });
        self.rows.update(|rows| rows.extend(new_rows));
        if !to_keep.is_empty() {
            leptos::task::spawn_local(async move {
                for (owner, id, file) in to_keep {
                    persisted::keep(&owner, &id, &file).await;
                }
            });
        }
        self.pump();
    }

    /// Drops the file's IndexedDB entry: it needs no resuming.
    fn forget(&self, key: u64) {
        if let Some(Some(id)) = self.work.try_update_value(|work| work.kept.remove(&key)) {
            leptos::task::spawn_local(async move { persisted::forget(&id).await });
        }
    }

    /// Stops one file: taken off the queue, or its transfers aborted.
    pub fn cancel(&self, key: u64) {
        let was_waiting = self.work.try_update_value(|work| {
            work.cancelled.insert(key);
            if let Some(abort) = work.aborts.get(&key) {
                abort.abort();
            }
            let before = work.waiting.len();
            work.waiting.retain(|waiting| *waiting != key);
            work.waiting.len() != before
        });
        if was_waiting == Some(true) {
            self.set_state(key, RowState::Cancelled);
            self.forget(key);
        }
    }

    /// Queues a file that failed for a reason that may have passed.
    pub fn retry(&self, key: u64) {
        let queued = self.work.try_update_value(|work| {
            if !work.files.contains_key(&key) || work.waiting.contains(&key) {
                return false;
            }
            work.waiting.push_back(key);
            true
        });
        if queued == Some(true) {
            self.update_row(key, |row| {
                row.state = RowState::Waiting;
                row.retryable = false;
                row.sent = 0;
            });
            self.pump();
        }
    }

    pub fn cancel_all(&self) {
        let open: Vec<u64> = self.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|row| !row.state.is_finished())
                .map(|row| row.key)
                .collect()
        });
        for key in open {
            self.cancel(key);
        }
    }

    /// Removes finished rows from the panel.
    pub fn clear_finished(&self) {
        self.rows
            .update(|rows| rows.retain(|row| !row.state.is_finished()));
        self.skipped.set(0);
    }

    pub fn summary(&self) -> Summary {
        let (started_ms, sent) = self
            .work
            .with_value(|work| (work.started_ms, work.sent_in_batch));
        let batch = Batch { started_ms, sent };
        let skipped = self.skipped.get();
        self.rows
            .with(|rows| Summary::of(rows, skipped, batch, browser::now_ms()))
    }

    /// Starts waiting files while fewer than `concurrency` are in flight.
    fn pump(&self) {
        loop {
            let next = self.work.try_update_value(|work| {
                if work.running >= work.concurrency {
                    return None;
                }
                let key = work.waiting.pop_front()?;
                work.running += 1;
                Some(key)
            });
            let Some(Some(key)) = next else { return };
            let this = *self;
            leptos::task::spawn_local(async move {
                let (state, resumable) = this.upload(key).await;
                if state == RowState::Done {
                    this.committed.update(|count| *count += 1);
                }
                this.update_row(key, |row| {
                    row.state = state;
                    row.retryable = resumable;
                });
                // A file that failed for a reason that may pass (the network,
                // the session) stays kept: Retry, or a reload, tries it again.
                if !resumable {
                    this.forget(key);
                }
                this.work.update_value(|work| {
                    work.running -= 1;
                    if !resumable {
                        work.files.remove(&key);
                    }
                    work.aborts.remove(&key);
                    work.cancelled.remove(&key);
                });
                this.pump();
            });
        }
    }

    fn set_state(&self, key: u64, state: RowState) {
        self.update_row(key, |row| row.state = state);
    }

    fn update_row(&self, key: u64, change: impl FnOnce(&mut Row)) {
        self.rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|row| row.key == key) {
                change(row);
            }
        });
    }

    fn is_cancelled(&self, key: u64) -> bool {
        self.work.with_value(|work| work.cancelled.contains(&key))
    }

    /// One file, start to end: the state it ends in, and whether it is worth
    /// resuming after a reload.
    async fn upload(&self, key: u64) -> (RowState, bool) {
        match self.try_upload(key).await {
            Ok(state) => (state, false),
            Err(Interrupted(why)) => (RowState::Failed(why), true),
        }
    }

    async fn try_upload(&self, key: u64) -> Result<RowState, Interrupted> {
        let Some((file, api, pool)) = self
            .work
            .try_update_value(|work| {
                let pool = work
                    .pool
                    .get_or_insert_with(|| PhotoPool::new(PoolOptions::for_this_device()))
                    .clone();
                Some((work.files.get(&key)?.clone(), work.api, pool))
            })
            .flatten()
        else {
            return Ok(RowState::Cancelled);
        };
        self.set_state(key, RowState::Preparing);
        let started = browser::performance_now();
        let processed = pool.process(file.clone()).await;
        browser::measure("shoebox:prepare", started);
        let photo = match processed {
            Ok(photo) => photo,
            Err(error) => return Ok(RowState::Failed(error.user_message())),
        };
        if self.is_cancelled(key) {
            return Ok(RowState::Cancelled);
        }
        let request = UploadRequest {
            files: vec![upload_file(&file, &photo)],
        };
        let started = browser::performance_now();
        let answer = retry(
            &NETWORK_RETRIES,
            || api.uploads(&request),
            ApiError::is_transient,
        )
        .await;
        browser::measure("shoebox:presign", started);
        let answer = answer.map_err(Interrupted::from)?;
        let targets = match answer.files.into_iter().next() {
            None => {
                return Err(Interrupted(
                    "The server did not answer for this file.".into(),
                ));
            }
            Some(UploadAnswer::Exists { .. }) => return Ok(RowState::Duplicate),
            Some(UploadAnswer::Refused { error, .. }) => {
                return Ok(RowState::Failed(error.message));
            }
            Some(UploadAnswer::Upload { targets, .. }) => targets,
        };
        let mut transfers: Vec<(UploadTarget, web_sys::Blob)> =
            vec![(targets.original.clone(), file.clone().into())];
        if let (Some(previews), Some(thumb), Some(web)) =
            (&photo.previews, targets.thumb, targets.web)
        {
            transfers.push((thumb, previews.thumb.blob.clone()));
            transfers.push((web, previews.web.blob.clone()));
        }
        let upload_bytes = transfers.iter().map(|(_, blob)| blob.size() as u64).sum();
        self.update_row(key, |row| {
            row.upload_bytes = upload_bytes;
            row.state = RowState::Uploading;
        });
        let started = browser::performance_now();
        let sent = self.send_all(key, transfers).await;
        browser::measure("shoebox:transfer", started);
        match sent {
            Ok(()) => {}
            Err(TransferError::Cancelled) => return Ok(RowState::Cancelled),
            Err(TransferError::Network) => {
                return Err(Interrupted(
                    "The upload kept failing; check your connection. It will be tried again when you reload."
                        .into(),
                ));
            }
            // Most likely an upload URL that expired while the photo waited.
            Err(TransferError::Status { status, code }) => {
                return Err(Interrupted(format!(
                    "The photo store refused the upload ({status} {code}). It will be tried again when you reload."
                )));
            }
        }
        if self.is_cancelled(key) {
            return Ok(RowState::Cancelled);
        }
        self.set_state(key, RowState::Committing);
        let commit = commit_body(&file, &photo, &targets.original);
        let started = browser::performance_now();
        let committed = retry(
            &NETWORK_RETRIES,
            || api.commit(&commit),
            ApiError::is_transient,
        )
        .await;
        browser::measure("shoebox:commit", started);
        committed.map_err(Interrupted::from)?;
        Ok(RowState::Done)
    }

    /// The photo's PUTs at once, each retried on its own; progress is their sum.
    async fn send_all(
        &self,
        key: u64,
        transfers: Vec<(UploadTarget, web_sys::Blob)>,
    ) -> Result<(), TransferError> {
        let sent = Rc::new(RefCell::new(vec![0.0; transfers.len()]));
        let abort = Abort::default();
        self.work.update_value(|work| {
            work.aborts.insert(key, abort.clone());
        });
        if self.is_cancelled(key) {
            return Err(TransferError::Cancelled);
        }
        let this = *self;
        let sends = transfers
            .into_iter()
            .enumerate()
            .map(|(index, (target, blob))| {
                let (sent, abort) = (sent.clone(), abort.clone());
                async move {
                    let progress = move |bytes: f64| {
                        let delta = bytes - sent.borrow()[index];
                        sent.borrow_mut()[index] = bytes;
                        let total: f64 = sent.borrow().iter().sum();
                        this.work
                            .update_value(|work| work.sent_in_batch += delta.max(0.0));
                        this.update_row(key, |row| row.sent = total as u64);
                    };
                    let progress = Rc::new(progress);
                    retry(
                        &NETWORK_RETRIES,
                        || {
                            let progress = progress.clone();
                            transfer::put(&target, &blob, move |bytes| progress(bytes), &abort)
                        },
                        TransferError::is_transient,
                    )
                    .await
                }
            });
        futures::future::try_join_all(sends).await.map(drop)
    }
}

/// A file stopped for a reason that may pass (the network, the session, a server
/// error): it fails with these words now and is kept to be tried after a reload.
struct Interrupted(String);

impl From<ApiError> for Interrupted {
    fn from(error: ApiError) -> Self {
        Interrupted(error.user_message())
    }
}

/// Tries `attempt` up to `policy.attempts` times while its error is transient.
async fn retry<T, E, F, Fut>(
    policy: &RetryPolicy,
    mut attempt: F,
    transient: impl Fn(&E) -> bool,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(error) if transient(&error) && tries + 1 < policy.attempts => {
                browser::sleep_ms(policy.delay_ms(tries)).await;
                tries += 1;
            }
            result => return result,
        }
    }
}
