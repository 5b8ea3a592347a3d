//! Which photo the lightbox shows: the id in the address, the timeline's copy
//! of its record at once, then (for its owner) the full record with its
//! download link; or that there is no such photo to show.

use api_types::photo::Photo;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::{
    api::{Api, ApiError},
    timeline::TimelineStore,
};

#[derive(Clone, Copy)]
pub struct ShownPhoto {
    /// From `…/photo/{photo_id}`.
    pub id: Memo<String>,
    /// The owner's full record (with the download link); a link's visitor
    /// has all there is in the timeline already.
    pub details: LocalResource<Result<Photo, ApiError>>,
    /// The best record in hand: the full one, else the timeline's.
    pub photo: Memo<Option<Photo>>,
    /// Known not to exist (or not to be this person's).
    pub missing: Memo<bool>,
}

impl ShownPhoto {
    /// `owned`: the signed-in owner's own timeline or album, not a link's.
    pub fn new(store: TimelineStore, api: Api, owned: bool) -> ShownPhoto {
        let params = use_params_map();
        let id = Memo::new(move |_| params.with(|p| p.get("photo_id").unwrap_or_default()));
        let details = LocalResource::new(move || {
            let id = id.get();
            async move {
                if owned {
                    api.photo(&id).await
                } else {
                    store.photo(&id).ok_or(ApiError::Server {
                        status: 404,
                        code: "not_found".into(),
                        message: String::new(),
                    })
                }
            }
        });
        let photo = Memo::new(move |_| {
            let fetched = details
                .get()
                .and_then(Result::ok)
                .filter(|p| p.id == id.get());
            fetched.or_else(|| store.photo(&id.get()))
        });
        let missing = Memo::new(move |_| {
            photo.with(Option::is_none)
                && if owned {
                    details.get().is_some_and(|answer| {
                        answer.as_ref().is_err_and(|error| error.is_not_found())
                    })
                } else {
                    store.fully_loaded()
                }
        });
        ShownPhoto {
            id,
            details,
            photo,
            missing,
        }
    }

    /// The file's name, for the title bar and the dialog's label.
    pub fn title(self) -> String {
        self.photo.with(|p| {
            p.as_ref()
                .map(|p| p.details.filename.clone())
                .unwrap_or_default()
        })
    }
}
