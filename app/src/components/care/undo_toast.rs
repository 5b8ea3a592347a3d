//! The note after a change to photos ("3 photos moved to the trash."), with
//! Undo for what can be undone; it goes by itself after a few seconds. One per
//! timeline page: the selection bar and the lightbox both offer through it.

use api_types::care::PhotoChange;
use leptos::{prelude::*, task::spawn_local};

use crate::{api::Api, care, timeline::TimelineStore};

/// How long the note stays.
const SHOWN_MS: u64 = 8_000;

#[derive(Clone, PartialEq)]
struct Offer {
    note: String,
    /// What takes the change back, for these photos.
    undo: Option<(PhotoChange, Vec<String>)>,
    /// Tells one offer from the next, so an older one's timer leaves a newer one.
    serial: u32,
}

#[derive(Clone, Copy)]
pub struct UndoToast {
    offer: RwSignal<Option<Offer>>,
    next: StoredValue<u32>,
}

impl UndoToast {
    pub fn new() -> UndoToast {
        UndoToast {
            offer: RwSignal::new(None),
            next: StoredValue::new(0),
        }
    }

    /// Notes that `change` was done to `ids`, offering to undo it.
    pub fn offer(&self, change: PhotoChange, ids: Vec<String>) {
        if ids.is_empty() {
            return;
        }
        let serial = self.next.get_value().wrapping_add(1);
        self.next.set_value(serial);
        self.offer.set(Some(Offer {
            note: care::done_note(change, ids.len()),
            undo: care::undo(change).map(|undo| (undo, ids)),
            serial,
        }));
        let offer = self.offer;
        set_timeout(
            move || {
                if offer.with_untracked(|o| o.as_ref().map(|o| o.serial)) == Some(serial) {
                    offer.set(None);
                }
            },
            std::time::Duration::from_millis(SHOWN_MS),
        );
    }
}

impl Default for UndoToast {
    fn default() -> Self {
        UndoToast::new()
    }
}

#[component]
pub fn UndoToastView() -> impl IntoView {
    let toast = expect_context::<UndoToast>();
    let store = expect_context::<TimelineStore>();
    let api = expect_context::<Api>();
    let undoing = RwSignal::new(false);
    let undo = move |_| {
        let Some((change, ids)) = toast
            .offer
            .with_untracked(|o| o.as_ref().and_then(|o| o.undo.clone()))
        else {
            return;
        };
        undoing.set(true);
        spawn_local(async move {
            let total = ids.len();
            let applied = care::apply(api, change, ids, |_, _| {}).await;
            undoing.set(false);
            store.changed(&applied.done, change);
            match applied.problem(change, total) {
                // Said where the note was, until it goes.
                Some(problem) => toast.offer.set(Some(Offer {
                    note: problem,
                    undo: None,
                    serial: toast.next.get_value(),
                })),
                None => toast.offer.set(None),
            }
        });
    };
    move || {
        toast.offer.get().map(|offer| {
            let can_undo = offer.undo.is_some();
            view! {
                <div class="toast undo-toast" role="status" data-testid="undo-toast">
                    <span>{offer.note}</span>
                    {can_undo
                        .then(|| {
                            view! {
                                <button
                                    class="toast-action"
                                    type="button"
                                    disabled=move || undoing.get()
                                    on:click=undo
                                >
                                    {move || if undoing.get() { "Undoing…" } else { "Undo" }}
                                </button>
                            }
                        })}
                </div>
            }
        })
    }
}
