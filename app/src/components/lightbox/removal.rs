//! Taking the open photo away: out of the library (after its confirmation),
//! or out of the album it is shown in; then on to the next photo along, or
//! back to the timeline when it was the last. A failure is told, and the
//! photo stays.

use leptos::{prelude::*, task::spawn_local};

use super::{shown_photo::ShownPhoto, steps::Steps};
use crate::{api::Api, timeline::TimelineStore};

#[derive(Clone, Copy)]
pub struct Removal {
    /// While the request is out: the buttons say so and wait.
    pub busy: RwSignal<bool>,
    run: Callback<()>,
}

impl Removal {
    /// `album`: the album the photo is shown in, which it then leaves; `None`
    /// in the library, which it then leaves for good.
    pub fn new(
        shown: ShownPhoto,
        steps: Steps,
        album: Option<String>,
        problem: RwSignal<Option<String>>,
    ) -> Removal {
        let api = expect_context::<Api>();
        let store = expect_context::<TimelineStore>();
        let busy = RwSignal::new(false);
        let album = StoredValue::new(album);
        let run = Callback::new(move |()| {
            let doomed = shown.id.get_untracked();
            let neighbours = steps.neighbours.get_untracked();
            let album = album.get_value();
            busy.set(true);
            spawn_local(async move {
                let done = match &album {
                    Some(album) => api.remove_from_album(album, &doomed).await,
                    None => api.delete_photo(&doomed).await,
                };
                match done {
                    Ok(()) => {
                        store.remove(&doomed);
                        store.refresh();
                        steps.away_from(neighbours);
                    }
                    Err(error) => problem.set(Some(format!(
                        "{} {}",
                        if album.is_some() {
                            "The photo was not taken out of the album."
                        } else {
                            "The photo was not deleted."
                        },
                        error.user_message()
                    ))),
                }
                busy.set(false);
            });
        });
        Removal { busy, run }
    }

    pub fn run(self) {
        self.run.run(());
    }
}
