//! The app as an installed PWA, the page's side of the service worker
//! (`app/sw.js`, written to dist/sw.js by the build):
//! - registers it, and when a new build's worker is waiting offers
//!   "Update available — Reload" instead of changing under the user;
//! - says whether the network is there: the browser may say it is gone, or
//!   the API's answers may be the worker's kept copies (it serves the shell,
//!   recent API answers and kept thumbnails while the network is gone); and
//!   notices when it is back, asking the API now and then;
//! - tells it when the user signs out, so nothing of theirs stays cached;
//! - counts photos shared to the app from the phone's share sheet (kept in
//!   IndexedDB by the worker); they go into the upload queue only when the
//!   signed-in person says "Back up" (`components/shared_photos.rs`). Any page
//!   can POST to the share target, so a share is never an upload by itself.

use leptos::{ev, prelude::*, task::spawn_local};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

use crate::{api::Api, auth::Auth, upload::Uploads, upload::persisted};

/// How often a long-open app asks whether there is a new build.
const UPDATE_CHECK_MS: u64 = 30 * 60 * 1000;
/// How often, while offline, the app asks whether the network is back.
const RECONNECT_CHECK_MS: u64 = 5_000;

#[derive(Clone, Copy)]
pub struct Pwa {
    api: Api,
    update_waiting: RwSignal<bool>,
    /// What the browser says (`navigator.onLine`).
    online: RwSignal<bool>,
    /// Photos shared to the app that wait for the person to back them up or
    /// drop them.
    shared_waiting: RwSignal<usize>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    /// The user asked for the update: the next controller change reloads.
    reload_on_change: StoredValue<bool>,
}

impl Pwa {
    /// Starts it all; call once, in the shell.
    pub fn start(auth: Auth, api: Api) -> Pwa {
        let pwa = Pwa {
            api,
            update_waiting: RwSignal::new(false),
            online: RwSignal::new(window().navigator().on_line()),
            shared_waiting: RwSignal::new(0),
            registration: StoredValue::new_local(None),
            reload_on_change: StoredValue::new(false),
        };
        let online = pwa.online;
        // Listeners for the app's whole life: the shell is never unmounted.
        std::mem::forget(window_event_listener(ev::online, move |_| online.set(true)));
        std::mem::forget(window_event_listener(ev::offline, move |_| {
            online.set(false)
        }));
        let api = pwa.api;
        set_interval(
            move || {
                if !online.get_untracked() || api.answering_from_device_untracked() {
                    spawn_local(async move {
                        let _ = api.health().await;
                    });
                }
            },
            std::time::Duration::from_millis(RECONNECT_CHECK_MS),
        );
        pwa.register();
        pwa.forget_on_sign_out(auth);
        pwa.count_shared(auth);
        pwa
    }

    pub fn update_waiting(&self) -> bool {
        self.update_waiting.get()
    }

    pub fn online(&self) -> bool {
        self.online.get() && !self.api.answering_from_device()
    }

    pub fn shared_waiting(&self) -> usize {
        self.shared_waiting.get()
    }

    /// Lets the waiting worker take over; the page reloads when it has.
    pub fn take_update(&self) {
        let waiting = self
            .registration
            .with_value(|registration| registration.as_ref().and_then(|r| r.waiting()));
        match waiting {
            Some(worker) => {
                self.reload_on_change.set_value(true);
                let _ = worker.post_message(&"take-update".into());
            }
            None => reload(),
        }
    }

    fn register(&self) {
        let container = window().navigator().service_worker();
        // Not in every browser, and not over plain HTTP but on localhost.
        if container.is_undefined() {
            return;
        }
        let this = *self;
        let on_change = Closure::<dyn Fn()>::new(move || {
            if this.reload_on_change.get_value() {
                reload();
            }
        });
        container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
        spawn_local(async move {
            let registered =
                wasm_bindgen_futures::JsFuture::from(container.register("/sw.js")).await;
            let registration: ServiceWorkerRegistration = match registered {
                // A browser set to block workers answers with nothing.
                Ok(registration) if registration.is_undefined() || registration.is_null() => {
                    return;
                }
                Ok(registration) => registration.unchecked_into(),
                Err(error) => {
                    leptos::logging::warn!("the service worker was not registered: {error:?}");
                    return;
                }
            };
            this.watch(&registration);
            this.registration.set_value(Some(registration));
            // Look for a new build now and then, and whenever the app comes back.
            set_interval(
                move || this.check_for_update(),
                std::time::Duration::from_millis(UPDATE_CHECK_MS),
            );
            std::mem::forget(window_event_listener(ev::visibilitychange, move |_| {
                if document().visibility_state() == web_sys::VisibilityState::Visible {
                    this.check_for_update();
                }
            }));
        });
    }

    /// Notes a new worker once it is installed and waiting behind the one in charge.
    fn watch(&self, registration: &ServiceWorkerRegistration) {
        let has_controller = || window().navigator().service_worker().controller().is_some();
        if registration.waiting().is_some() && has_controller() {
            self.update_waiting.set(true);
        }
        let this = *self;
        let found_registration = registration.clone();
        let on_found = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = found_registration.installing() else {
                return;
            };
            let worker: ServiceWorker = installing.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                if worker.state() == ServiceWorkerState::Installed && has_controller() {
                    this.update_waiting.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    }

    fn check_for_update(&self) {
        if let Some(registration) = self.registration.get_value()
            && let Ok(promise) = registration.update()
        {
            spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }

    /// Tells the worker who is signed in, so it drops what another person
    /// left on this device (their kept API answers, the thumbnails), and
    /// when nobody is, so it drops everything. The worker also keeps answers
    /// per user by the request's own token, so this is tidying, not the guard.
    fn forget_on_sign_out(&self, auth: Auth) {
        Effect::new(move |was_signed_in: Option<bool>| {
            let user = auth.user();
            let worker = window().navigator().service_worker().controller();
            match (&user, worker) {
                (Some(user), Some(worker)) => {
                    let message = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&message, &"type".into(), &"signed-in".into());
                    let _ =
                        js_sys::Reflect::set(&message, &"sub".into(), &user.sub.as_str().into());
                    let _ = worker.post_message(&message);
                }
                (None, Some(worker)) if was_signed_in == Some(true) => {
                    let _ = worker.post_message(&"signed-out".into());
                }
                _ => {}
            }
            user.is_some()
        });
    }

    /// Counts the photos shared to the app, now and whenever someone signs
    /// in or out, so the page can show them and ask.
    fn count_shared(&self, auth: Auth) {
        let waiting = self.shared_waiting;
        Effect::new(move |_| {
            let _ = auth.user();
            spawn_local(async move {
                waiting.set(persisted::count_shared().await);
            });
        });
        // `/?shared=N` is where the worker sent the share sheet; the prompt
        // shows the files, so the address need not say it any more.
        if let Ok(search) = window().location().search()
            && search.contains("shared=")
            && let Ok(history) = window().history()
        {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/"));
        }
    }
}

impl Pwa {
    /// The person said "Back up": the shared photos go into the upload queue.
    pub async fn back_up_shared(&self, uploads: Uploads) {
        let files = persisted::take_shared().await;
        if !files.is_empty() {
            uploads.add(files);
        }
        self.shared_waiting.set(persisted::count_shared().await);
    }

    /// The person said "Cancel": the shared photos are dropped from the device.
    pub async fn drop_shared(&self) -> bool {
        let dropped = persisted::clear_shared().await;
        self.shared_waiting.set(persisted::count_shared().await);
        dropped
    }
}

fn reload() {
    let _ = window().location().reload();
}
