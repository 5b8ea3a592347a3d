//! Moving from the open photo: to a neighbour (one place in history, the
//! timeline behind left where it is), or closing back to the timeline, by
//! history when the lightbox was opened from it, else by address.

use api_types::photo::Photo;
use leptos::prelude::*;
use leptos_router::{NavigateOptions, hooks::use_navigate};

use crate::timeline::{Source, TimelineStore};

#[derive(Clone, Copy)]
pub struct Steps {
    /// The newer and older photo beside the open one, as far as loaded.
    pub neighbours: Memo<(Option<Photo>, Option<Photo>)>,
    go_to: Callback<Photo>,
    close: Callback<()>,
}

impl Steps {
    pub fn new(store: TimelineStore, source: &Source, id: Memo<String>) -> Steps {
        let navigate = use_navigate();
        let neighbours = Memo::new(move |_| store.neighbours(&id.get()));
        let go_to = {
            let navigate = navigate.clone();
            let source = source.clone();
            Callback::new(move |other: Photo| {
                navigate(
                    &source.photo_path(&other.id),
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            })
        };
        let back_to = match source.base_path() {
            base if base.is_empty() => "/".to_owned(),
            base => base,
        };
        let close = Callback::new(move |()| {
            if store.opened_here() {
                store.mark_opened_here(false);
                let _ = window().history().and_then(|history| history.back());
            } else {
                navigate(
                    &back_to,
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
        });
        Steps {
            neighbours,
            go_to,
            close,
        }
    }

    pub fn newer(self) {
        if let Some(photo) = self.neighbours.get_untracked().0 {
            self.go_to.run(photo);
        }
    }

    pub fn older(self) {
        if let Some(photo) = self.neighbours.get_untracked().1 {
            self.go_to.run(photo);
        }
    }

    pub fn close(self) {
        self.close.run(());
    }

    /// After the open photo went: the next one along, else back to the timeline.
    pub fn away_from(self, (newer, older): (Option<Photo>, Option<Photo>)) {
        match older.or(newer) {
            Some(next) => self.go_to.run(next),
            None => self.close(),
        }
    }

    /// The neighbours' web views, fetched before they are asked for, so a
    /// step shows the next photo at once.
    pub fn preload(self) {
        let preloaded = StoredValue::new_local(Vec::<web_sys::HtmlImageElement>::new());
        Effect::new(move |_| {
            let (newer, older) = self.neighbours.get();
            let images = [newer, older]
                .into_iter()
                .flatten()
                .filter_map(|photo| photo.web.map(|web| web.url))
                .filter_map(|url| {
                    let image = web_sys::HtmlImageElement::new().ok()?;
                    image.set_src(&url);
                    Some(image)
                })
                .collect();
            preloaded.set_value(images);
        });
    }
}
