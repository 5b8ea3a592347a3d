//! The photo worker pool: one module Web Worker per core, at most four, each
//! running `photo-worker.js` (our wasm pipeline). Files wait in a queue for a free
//! worker. Every way a worker can fail on a file ends as that file's error and
//! never stalls the queue:
//! - the pipeline refuses the file: the worker answers with the reason;
//! - the wasm traps (panic, out of memory): the worker says it is `fatal`, and is
//!   replaced, because its memory can no longer be trusted; when only the HEIC
//!   decoder trapped, the file is still answered (without a preview) and the
//!   worker asks to `retire`, and is replaced all the same;
//! - an uncaught error or a worker that cannot start: its `error` event; replaced;
//! - a file that takes too long (or a worker that silently died): the time limit
//!   terminates the worker; replaced.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use std::time::Duration;

use futures::channel::oneshot;
use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

use super::processed::{self, Answer, PhotoError, Previews, ProcessedPhoto};

/// Where the worker script is served (Trunk copies `app/worker/` there).
pub const WORKER_URL: &str = "/worker/photo-worker.js";

#[derive(Debug, Clone)]
pub struct PoolOptions {
    pub script_url: String,
    pub workers: usize,
    /// A file still not done after this long fails, and its worker is replaced.
    pub time_limit: Duration,
}

impl PoolOptions {
    /// One worker per core, at most four (each can hold a 200 MP photo's pixels),
    /// and a minute per photo, which a slow phone needs for the largest ones.
    pub fn for_this_device() -> PoolOptions {
        let cores = web_sys::window()
            .map(|window| window.navigator().hardware_concurrency())
            .unwrap_or(2.0);
        PoolOptions {
            script_url: WORKER_URL.into(),
            workers: (cores as usize).clamp(1, 4),
            time_limit: Duration::from_secs(60),
        }
    }
}

/// The worker's answer, read by the kind of job that asked.
type Reply = oneshot::Sender<Result<JsValue, PhotoError>>;

/// A cheap handle; clones share the same workers and queue.
#[derive(Clone)]
pub struct PhotoPool(Rc<RefCell<Pool>>);

struct Pool {
    options: PoolOptions,
    slots: Vec<Slot>,
    waiting: VecDeque<Job>,
    next_job: u32,
    me: Weak<RefCell<Pool>>,
}

struct Job {
    id: u32,
    work: Work,
    reply: Reply,
}

/// What a worker is handed.
enum Work {
    /// A file: its id, metadata and previews (or a video's container facts).
    File(web_sys::File),
    /// A video's frame the page drew: previews made from it, as the poster.
    Frame(web_sys::ImageBitmap),
}

impl Work {
    /// Hashing and reading take time with the file's size: a slow phone
    /// hashes some 20 MB a second.
    fn time_limit(&self, base: Duration) -> Duration {
        match self {
            Work::File(file) => base + Duration::from_secs_f64(file.size() / 20e6),
            Work::Frame(_) => base,
        }
    }
}

#[derive(Default)]
struct Slot {
    worker: Option<Running>,
    busy: Option<Busy>,
}

/// A live worker and the handlers that must live as long as it does.
struct Running {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

struct Busy {
    job: u32,
    reply: Reply,
    timer: Option<TimeoutHandle>,
}

impl PhotoPool {
    pub fn new(options: PoolOptions) -> PhotoPool {
        let workers = options.workers.max(1);
        PhotoPool(Rc::new_cyclic(|me| {
            RefCell::new(Pool {
                options,
                slots: (0..workers).map(|_| Slot::default()).collect(),
                waiting: VecDeque::new(),
                next_job: 0,
                me: me.clone(),
            })
        }))
    }

    /// Runs the pipeline on `file` in the next free worker.
    pub async fn process(&self, file: web_sys::File) -> Result<ProcessedPhoto, PhotoError> {
        let answer = self.run(Work::File(file)).await?;
        processed::processed(&answer)
    }

    /// Previews from a video's frame, drawn by the page (workers have no
    /// `<video>`): the poster.
    pub async fn poster(&self, frame: web_sys::ImageBitmap) -> Result<Previews, PhotoError> {
        let answer = self.run(Work::Frame(frame)).await?;
        processed::poster(&answer)
    }

    async fn run(&self, work: Work) -> Result<JsValue, PhotoError> {
        let (reply, answer) = oneshot::channel();
        {
            let mut pool = self.0.borrow_mut();
            pool.next_job = pool.next_job.wrapping_add(1);
            let id = pool.next_job;
            pool.waiting.push_back(Job { id, work, reply });
            pool.dispatch();
        }
        // The sender is only dropped unanswered if the pool itself is dropped.
        answer
            .await
            .unwrap_or_else(|_| Err(PhotoError::Crashed("the page closed the processor".into())))
    }

    /// How many files are waiting or being processed.
    pub fn pending(&self) -> usize {
        let pool = self.0.borrow();
        pool.waiting.len() + pool.slots.iter().filter(|slot| slot.busy.is_some()).count()
    }
}

impl Pool {
    /// Hands waiting files to idle workers, starting workers as needed.
    fn dispatch(&mut self) {
        while let Some(index) = self.slots.iter().position(|slot| slot.busy.is_none()) {
            let Some(job) = self.waiting.pop_front() else {
                return;
            };
            if job.reply.is_canceled() {
                continue;
            }
            if self.slots[index].worker.is_none() {
                match self.start_worker(index) {
                    Ok(running) => self.slots[index].worker = Some(running),
                    Err(why) => {
                        let _ = job.reply.send(Err(PhotoError::NoWorker(why)));
                        continue;
                    }
                }
            }
            let worker = &self.slots[index]
                .worker
                .as_ref()
                .expect("just started")
                .worker;
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"job".into(), &job.id.into());
            let posted = match &job.work {
                Work::File(file) => {
                    let _ = js_sys::Reflect::set(&message, &"file".into(), file);
                    worker.post_message(&message)
                }
                Work::Frame(frame) => {
                    let _ = js_sys::Reflect::set(&message, &"frame".into(), frame);
                    // Handed over, not copied.
                    worker.post_message_with_transfer(&message, &js_sys::Array::of1(frame))
                }
            };
            if let Err(error) = posted {
                let _ = job
                    .reply
                    .send(Err(PhotoError::NoWorker(crate::browser::describe(&error))));
                self.replace(index);
                continue;
            }
            let timer =
                self.start_timer(index, job.id, job.work.time_limit(self.options.time_limit));
            self.slots[index].busy = Some(Busy {
                job: job.id,
                reply: job.reply,
                timer,
            });
        }
    }

    fn start_worker(&self, index: usize) -> Result<Running, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(&self.options.script_url, &options)
            .map_err(|error| crate::browser::describe(&error))?;
        let me = self.me.clone();
        let on_message = Closure::<dyn FnMut(_)>::new(move |event: web_sys::MessageEvent| {
            with_pool(&me, |pool| pool.answered(index, &event.data()));
        });
        let me = self.me.clone();
        let on_error = Closure::<dyn FnMut(_)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            let why = event
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|error| error.message())
                .filter(|message| !message.is_empty())
                .unwrap_or_else(|| "the worker stopped".into());
            with_pool(&me, |pool| pool.failed(index, PhotoError::Crashed(why)));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Running {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn start_timer(&self, index: usize, job: u32, limit: Duration) -> Option<TimeoutHandle> {
        let me = self.me.clone();
        let seconds = limit.as_secs().max(1) as u32;
        set_timeout_with_handle(
            move || {
                with_pool(&me, |pool| {
                    if pool.slots[index]
                        .busy
                        .as_ref()
                        .is_some_and(|busy| busy.job == job)
                    {
                        pool.failed(index, PhotoError::TimedOut { seconds });
                    }
                });
            },
            limit,
        )
        .ok()
    }

    fn answered(&mut self, index: usize, data: &JsValue) {
        let job = js_sys::Reflect::get(data, &"job".into())
            .ok()
            .and_then(|job| job.as_f64());
        let Some(busy) = self.slots[index]
            .busy
            .take_if(|busy| Some(busy.job as f64) == job)
        else {
            // An answer for a job that already timed out: nothing waits for it.
            return;
        };
        if let Some(timer) = busy.timer {
            timer.clear();
        }
        match Answer::read(data) {
            Answer::Done(result) => {
                let _ = busy.reply.send(result);
            }
            Answer::DoneRetire(data) => {
                let _ = busy.reply.send(Ok(data));
                self.replace(index);
            }
            Answer::Fatal(error) => {
                let _ = busy.reply.send(Err(error));
                self.replace(index);
            }
        }
        self.dispatch();
    }

    /// The busy file fails with `error`, and the worker is replaced.
    fn failed(&mut self, index: usize, error: PhotoError) {
        if let Some(busy) = self.slots[index].busy.take() {
            if let Some(timer) = busy.timer {
                timer.clear();
            }
            let _ = busy.reply.send(Err(error));
        }
        self.replace(index);
        self.dispatch();
    }

    /// Terminates the slot's worker; the next file there starts a fresh one.
    fn replace(&mut self, index: usize) {
        if let Some(running) = self.slots[index].worker.take() {
            running.worker.terminate();
            // This may run inside one of the worker's own handlers, which must not
            // be freed while they run: drop them once the current event is done.
            wasm_bindgen_futures::spawn_local(async move { drop(running) });
        }
    }
}

/// Runs `f` on the pool if it still exists. Handlers never run re-entrantly (each
/// is its own browser event), so the borrow cannot clash.
fn with_pool(pool: &Weak<RefCell<Pool>>, f: impl FnOnce(&mut Pool)) {
    if let Some(pool) = pool.upgrade() {
        f(&mut pool.borrow_mut());
    }
}
