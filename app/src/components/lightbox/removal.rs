//! What the owner does to the open photo: take it out of the album it is
//! shown in, or change how it is kept (`crate::care`: favourite, archive,
//! trash, restore, delete for good). A change that takes it out of this
//! timeline moves on to the next photo along, or back to the timeline when it
//! was the last; one that does not (a heart) shows at once. Each offers Undo
//! where it can be undone. A failure is told, and the photo stays.

use api_types::care::PhotoChange;
use leptos::{prelude::*, task::spawn_local};

use super::{shown_photo::ShownPhoto, steps::Steps};
use crate::{
    api::Api,
    care,
    components::care::undo_toast::UndoToast,
    timeline::{Source, TimelineStore},
};

/// One thing done to the open photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// Out of the album it is shown in.
    FromAlbum,
    Change(PhotoChange),
}

#[derive(Clone, Copy)]
pub struct Removal {
    /// While the request is out: the buttons say so and wait.
    pub busy: RwSignal<bool>,
    run: Callback<Departure>,
}

impl Removal {
    pub fn new(shown: ShownPhoto, steps: Steps, problem: RwSignal<Option<String>>) -> Removal {
        let api = expect_context::<Api>();
        let store = expect_context::<TimelineStore>();
        let undo = use_context::<UndoToast>();
        let busy = RwSignal::new(false);
        let album = StoredValue::new(match store.source() {
            Source::Album(album) => Some(album),
            _ => None,
        });
        let run = Callback::new(move |departure: Departure| {
            let id = shown.id.get_untracked();
            let neighbours = steps.neighbours.get_untracked();
            busy.set(true);
            spawn_local(async move {
                let done = match departure {
                    Departure::FromAlbum => {
                        let Some(album) = album.get_value() else {
                            busy.set(false);
                            return;
                        };
                        match api.remove_from_album(&album, &id).await {
                            Ok(()) => {
                                store.remove(&id);
                                store.refresh();
                                steps.away_from(neighbours);
                                Ok(())
                            }
                            Err(error) => Err(format!(
                                "The photo was not taken out of the album. {}",
                                error.user_message()
                            )),
                        }
                    }
                    Departure::Change(change) => {
                        let applied = care::apply(api, change, vec![id.clone()], |_, _| {}).await;
                        match applied.problem(change, 1) {
                            Some(problem) => Err(problem),
                            None => {
                                if store.changed(&applied.done, change) {
                                    steps.away_from(neighbours);
                                } else {
                                    // The full record again, as it now is.
                                    shown.details.refetch();
                                }
                                if let Some(undo) = undo {
                                    undo.offer(change, applied.done);
                                }
                                Ok(())
                            }
                        }
                    }
                };
                if let Err(why) = done {
                    problem.set(Some(why));
                }
                busy.set(false);
            });
        });
        Removal { busy, run }
    }

    pub fn run(self, departure: Departure) {
        self.run.run(departure);
    }
}
