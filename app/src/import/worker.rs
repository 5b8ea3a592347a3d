//! The import worker, seen from the page: `scan` the parts into a plan, then
//! `extract` items one at a time as `File`s.

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use futures::channel::oneshot;
use js_sys::{Array, Reflect};
use takeout::{Item, Plan};
use wasm_bindgen::{JsCast, JsValue, closure::Closure};

/// Where the worker script is served (`cargo xtask build` copies `app/worker/`).
const WORKER_URL: &str = "/worker/takeout-worker.js";

type Waiting = HashMap<u32, oneshot::Sender<Result<web_sys::File, String>>>;

#[derive(Default)]
struct Pending {
    jobs: Waiting,
    next_job: u32,
    plan: Option<oneshot::Sender<Result<Plan, String>>>,
    progress: Option<Rc<dyn Fn(u32, u32)>>,
}

pub struct TakeoutWorker {
    worker: web_sys::Worker,
    pending: Rc<RefCell<Pending>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

fn field(data: &JsValue, name: &str) -> JsValue {
    Reflect::get(data, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

fn text(value: JsValue) -> String {
    value
        .as_string()
        .unwrap_or_else(|| "the import worker failed".to_owned())
}

impl TakeoutWorker {
    pub fn start() -> Result<TakeoutWorker, String> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(WORKER_URL, &options)
            .map_err(|error| crate::browser::describe(&error))?;
        let pending = Rc::new(RefCell::new(Pending::default()));
        let heard = pending.clone();
        let on_message = Closure::<dyn FnMut(_)>::new(move |event: web_sys::MessageEvent| {
            answered(&heard, &event.data());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(TakeoutWorker {
            worker,
            pending,
            _on_message: on_message,
        })
    }

    /// Every part listed and the plan made; `progress(part, entries)` on the
    /// way. An extracted export's files come with their `paths` in its folder.
    pub async fn scan(
        &self,
        parts: &[web_sys::File],
        paths: Option<Vec<String>>,
        progress: impl Fn(u32, u32) + 'static,
    ) -> Result<Plan, String> {
        let (sender, receiver) = oneshot::channel();
        {
            let mut pending = self.pending.borrow_mut();
            pending.plan = Some(sender);
            pending.progress = Some(Rc::new(progress));
        }
        let message = js_sys::Object::new();
        let files: Array = parts.iter().collect();
        let _ = Reflect::set(&message, &"kind".into(), &"scan".into());
        let _ = Reflect::set(&message, &"parts".into(), &files);
        if let Some(paths) = paths {
            let paths: Array = paths
                .iter()
                .map(|path| JsValue::from(path.as_str()))
                .collect();
            let _ = Reflect::set(&message, &"paths".into(), &paths);
        }
        self.worker
            .post_message(&message)
            .map_err(|error| crate::browser::describe(&error))?;
        receiver
            .await
            .map_err(|_| "the import worker stopped".to_owned())?
    }

    /// The item's file, dated `taken_ms` (its sidecar's time, which the upload
    /// uses when the file has no date of its own).
    pub async fn extract(&self, item: &Item, taken_ms: f64) -> Result<web_sys::File, String> {
        let (sender, receiver) = oneshot::channel();
        let job = {
            let mut pending = self.pending.borrow_mut();
            pending.next_job += 1;
            let job = pending.next_job;
            pending.jobs.insert(job, sender);
            job
        };
        let message = js_sys::Object::new();
        for (key, value) in [
            ("kind", JsValue::from("extract")),
            ("job", job.into()),
            ("part", item.at.part.into()),
            ("entry", item.at.entry.into()),
            ("name", item.name.as_str().into()),
            ("lastModified", taken_ms.into()),
        ] {
            let _ = Reflect::set(&message, &key.into(), &value);
        }
        if let Err(error) = self.worker.post_message(&message) {
            self.pending.borrow_mut().jobs.remove(&job);
            return Err(crate::browser::describe(&error));
        }
        receiver
            .await
            .map_err(|_| "the import worker stopped".to_owned())?
    }
}

impl Drop for TakeoutWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

fn answered(pending: &Rc<RefCell<Pending>>, data: &JsValue) {
    let kind = field(data, "kind").as_string();
    match kind.as_deref() {
        Some("progress") => {
            let progress = pending.borrow().progress.clone();
            if let Some(progress) = progress {
                let number = |name| field(data, name).as_f64().unwrap_or(0.0) as u32;
                progress(number("part"), number("entries"));
            }
        }
        Some("plan") => {
            let plan = field(data, "plan")
                .as_string()
                .ok_or_else(|| "the import worker sent no plan".to_owned())
                .and_then(|json| {
                    serde_json::from_str::<Plan>(&json).map_err(|error| error.to_string())
                });
            if let Some(sender) = pending.borrow_mut().plan.take() {
                let _ = sender.send(plan);
            }
        }
        Some("failed") if field(data, "job").is_undefined() => {
            if let Some(sender) = pending.borrow_mut().plan.take() {
                let _ = sender.send(Err(text(field(data, "error"))));
            }
        }
        _ => {
            let Some(job) = field(data, "job").as_f64().map(|job| job as u32) else {
                return;
            };
            let Some(sender) = pending.borrow_mut().jobs.remove(&job) else {
                return;
            };
            let answer = if field(data, "ok").as_bool() == Some(true) {
                field(data, "file")
                    .dyn_into::<web_sys::File>()
                    .map_err(|_| "the import worker sent no file".to_owned())
            } else {
                Err(text(field(data, "error")))
            };
            let _ = sender.send(answer);
        }
    }
}
