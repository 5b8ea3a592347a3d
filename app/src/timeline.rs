//! The timeline's data, from one [`Source`]: a view of the library (the
//! timeline, Favorites, the archive or the trash: every month with its count
//! from `GET /timeline?view=`, and the photos of the months near the screen
//! from `GET /photos?view=&month=`, a page at a time), or an album, the user's own or
//! one a share link opens (every page in turn, grouped into months as they
//! come). [`TimelineStore`] is shared by the page and the lightbox, so the
//! lightbox knows each photo's neighbours and a delete shows everywhere at once.
//!
//! Library months load when they come near the screen and their requests are
//! aborted when they are scrolled away from before they finish.

pub mod labels;
pub mod layout;
pub mod placement;
pub mod selection;

use std::collections::HashMap;

use api_types::{
    care::{PhotoChange, TRASH_DAYS, ViewName, ViewTotals},
    photo::Photo,
};
use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{Api, ApiError},
    care,
};

/// The most photos one request asks for.
const PAGE: u32 = 200;

/// Where a timeline's photos come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A view of the signed-in user's library: the timeline (all of it but
    /// what is archived or trashed), Favorites, the archive or the trash.
    Library(ViewName),
    /// One of the user's albums, by id.
    Album(String),
    /// The album a share link opens, by the link's token; read without sign-in.
    Shared(String),
}

impl Source {
    /// Where the timeline is; its photos open at `{base}/photo/{id}`.
    pub fn base_path(&self) -> String {
        match self {
            Source::Library(ViewName::Timeline) => String::new(),
            Source::Library(view) => format!("/{}", view.as_str()),
            Source::Album(id) => format!("/albums/{id}"),
            Source::Shared(token) => format!("/s/{token}"),
        }
    }

    pub fn photo_path(&self, id: &str) -> String {
        format!("{}/photo/{id}", self.base_path())
    }

    /// A link's visitor looks; only the owner selects.
    pub fn selectable(&self) -> bool {
        !matches!(self, Source::Shared(_))
    }

    /// The library's view this is, if it is one.
    pub fn view(&self) -> Option<ViewName> {
        match self {
            Source::Library(view) => Some(*view),
            _ => None,
        }
    }
}

/// What a share link's page shows above its photos.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedAlbum {
    pub title: String,
    pub count: u32,
    pub allow_download: bool,
    pub show_location: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Month {
    /// `YYYY-MM`, on the camera's clock.
    pub month: String,
    pub count: u32,
    /// Newest first; all of them once `complete`.
    pub photos: Vec<Photo>,
    pub complete: bool,
    pub failed: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Loading,
    Ready,
    Failed(ApiError),
}

#[derive(Clone, Copy)]
pub struct TimelineStore {
    api: Api,
    source: StoredValue<Source>,
    /// A share link's title and terms, once its first page is in.
    shared: RwSignal<Option<SharedAlbum>>,
    /// Bumped by each load of an album: an older load that is still running
    /// stops instead of overwriting a newer one.
    generation: StoredValue<u32>,
    months: RwSignal<Vec<Month>>,
    /// How many photos each view of the library holds, from the last counts.
    views: RwSignal<ViewTotals>,
    status: RwSignal<Status>,
    /// Loads in flight, by month, each with what aborts it.
    loads: StoredValue<HashMap<String, web_sys::AbortController>, LocalStorage>,
    /// A month kept loaded whatever is on screen: the month of the photo open
    /// in the lightbox, so its neighbours are known.
    pinned: RwSignal<Option<String>>,
    /// The lightbox was opened from the timeline (so closing it goes back).
    opened_here: StoredValue<bool>,
}

impl TimelineStore {
    pub fn new(api: Api, source: Source) -> TimelineStore {
        TimelineStore {
            api,
            source: StoredValue::new(source),
            shared: RwSignal::new(None),
            generation: StoredValue::new(0),
            months: RwSignal::new(Vec::new()),
            views: RwSignal::new(ViewTotals::default()),
            status: RwSignal::new(Status::Loading),
            loads: StoredValue::new_local(HashMap::new()),
            pinned: RwSignal::new(None),
            opened_here: StoredValue::new(false),
        }
    }

    /// Keeps `month` loaded (the lightbox's photo's), or nothing when `None`.
    pub fn pin(&self, month: Option<String>) {
        if self.pinned.get_untracked() != month {
            self.pinned.set(month);
        }
    }

    pub fn pinned(&self) -> Option<String> {
        self.pinned.get()
    }

    /// Notes that the lightbox is being opened from a tile on the timeline.
    pub fn mark_opened_here(&self, opened: bool) {
        self.opened_here.set_value(opened);
    }

    pub fn opened_here(&self) -> bool {
        self.opened_here.get_value()
    }

    pub fn source(&self) -> Source {
        self.source.get_value()
    }

    pub fn shared(&self) -> Option<SharedAlbum> {
        self.shared.get()
    }

    pub fn months(&self) -> RwSignal<Vec<Month>> {
        self.months
    }

    /// How many photos each view of the library holds.
    pub fn views(&self) -> ViewTotals {
        self.views.get()
    }

    pub fn status(&self) -> Status {
        self.status.get()
    }

    /// An album read to its end: a photo not in it now is not in it at all.
    pub fn fully_loaded(&self) -> bool {
        self.status.get() == Status::Ready
            && self
                .months
                .with(|months| months.iter().all(|month| month.complete))
    }

    /// Fetches the library's counts again (months whose count changed load
    /// afresh when next wanted; the photos already shown stay until then), or
    /// an album's photos.
    pub fn refresh(&self) {
        // A timer may fire after its page is gone: then there is nothing to do.
        let Some(source) = self.source.try_get_value() else {
            return;
        };
        let Source::Library(view) = source else {
            self.load_album();
            return;
        };
        let this = *self;
        spawn_local(async move {
            match this.api.timeline(view).await {
                Ok(timeline) => {
                    this.views.set(timeline.views);
                    let mut changed = Vec::new();
                    this.months.update(|months| {
                        let mut known: HashMap<String, Month> = months
                            .drain(..)
                            .map(|month| (month.month.clone(), month))
                            .collect();
                        *months = timeline
                            .months
                            .into_iter()
                            .map(|count| match known.remove(&count.month) {
                                Some(month) if month.count == count.count => month,
                                Some(mut month) => {
                                    changed.push(month.month.clone());
                                    month.count = count.count;
                                    month.complete = false;
                                    month.failed = None;
                                    month
                                }
                                None => Month {
                                    month: count.month,
                                    count: count.count,
                                    photos: Vec::new(),
                                    complete: false,
                                    failed: None,
                                },
                            })
                            .collect();
                    });
                    for month in changed {
                        this.abort(&month);
                    }
                    this.status.set(Status::Ready);
                }
                Err(error) => {
                    // Keep showing what is there; only a first load fails the page.
                    if this.months.with_untracked(Vec::is_empty) {
                        this.status.set(Status::Failed(error));
                    }
                }
            }
        });
    }

    /// Loads every photo of an album, a page at a time, showing each page as
    /// it comes (an album is read whole: it is a few pages, not a library).
    fn load_album(&self) {
        let Some(generation) = self.generation.try_get_value() else {
            return;
        };
        let generation = generation.wrapping_add(1);
        self.generation.set_value(generation);
        let this = *self;
        let Some(source) = self.source.try_get_value() else {
            return;
        };
        spawn_local(async move {
            let mut photos: Vec<Photo> = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                let page = match &source {
                    Source::Album(id) => this
                        .api
                        .album_photos(id, cursor.as_deref())
                        .await
                        .map(|page| (page.items, page.next_cursor, None)),
                    Source::Shared(token) => this
                        .api
                        .public_album(token, cursor.as_deref())
                        .await
                        .map(|page| {
                            let shared = SharedAlbum {
                                title: page.title,
                                count: page.count,
                                allow_download: page.allow_download,
                                show_location: page.show_location,
                            };
                            (page.items, page.next_cursor, Some(shared))
                        }),
                    Source::Library(_) => return,
                };
                if this.generation.try_get_value() != Some(generation) {
                    return;
                }
                match page {
                    Ok((items, next_cursor, shared)) => {
                        if shared.is_some() && this.shared.get_untracked() != shared {
                            this.shared.set(shared);
                        }
                        photos.extend(items);
                        let done = next_cursor.is_none();
                        this.months.set(months_of(&photos, done));
                        this.status.set(Status::Ready);
                        if done {
                            return;
                        }
                        cursor = next_cursor;
                    }
                    Err(error) if photos.is_empty() => {
                        this.status.set(Status::Failed(error));
                        return;
                    }
                    Err(error) => {
                        // What came stays; the last month says the rest failed.
                        this.months.update(|months| {
                            if let Some(last) = months.last_mut() {
                                last.failed = Some(error.user_message());
                            }
                        });
                        return;
                    }
                }
            }
        });
    }

    /// Loads the months at `wanted` (indices) that are not loaded or loading,
    /// and aborts loads of months no longer wanted.
    pub fn want(&self, wanted: &[usize]) {
        let Some(Source::Library(view)) = self.source.try_get_value() else {
            return;
        };
        let pinned = self.pinned.get_untracked();
        let names: Vec<String> = self.months.with_untracked(|months| {
            wanted
                .iter()
                .filter_map(|&index| months.get(index))
                .chain(months.iter().filter(|m| Some(&m.month) == pinned.as_ref()))
                .filter(|month| !month.complete && month.failed.is_none())
                .map(|month| month.month.clone())
                .collect()
        });
        let stale: Vec<String> = self.loads.with_value(|loads| {
            loads
                .keys()
                .filter(|month| !names.contains(month))
                .cloned()
                .collect()
        });
        for month in stale {
            self.abort(&month);
        }
        for month in names {
            if self.loads.with_value(|loads| !loads.contains_key(&month)) {
                self.load(view, month);
            }
        }
    }

    fn abort(&self, month: &str) {
        if let Some(controller) = self
            .loads
            .try_update_value(|loads| loads.remove(month))
            .flatten()
        {
            controller.abort();
        }
    }

    /// Loads every photo of `month`, a page at a time, showing each page as it
    /// comes.
    fn load(&self, view: ViewName, month: String) {
        let Ok(controller) = web_sys::AbortController::new() else {
            return;
        };
        let signal = controller.signal();
        self.loads
            .update_value(|loads| drop(loads.insert(month.clone(), controller)));
        let this = *self;
        spawn_local(async move {
            let mut photos: Vec<Photo> = Vec::new();
            let mut cursor: Option<String> = None;
            let result = loop {
                let page = this
                    .api
                    .month_page(view, &month, cursor.as_deref(), PAGE, &signal)
                    .await;
                if signal.aborted() {
                    return;
                }
                let page = match page {
                    Ok(page) => page,
                    Err(error) => break Err(error),
                };
                let before = photos.len();
                photos.extend(
                    page.items
                        .into_iter()
                        .filter(|photo| photo.taken_at.get(..7) == Some(month.as_str())),
                );
                // The page ran into the month before: this month is all here.
                let done = page.next_cursor.is_none() || photos.len() - before < PAGE as usize;
                this.set_photos(&month, photos.clone(), done);
                if done {
                    break Ok(());
                }
                cursor = page.next_cursor;
            };
            this.loads.update_value(|loads| drop(loads.remove(&month)));
            if let Err(error) = result {
                this.months.update(|months| {
                    if let Some(entry) = months.iter_mut().find(|m| m.month == month) {
                        entry.failed = Some(error.user_message());
                    }
                });
            }
        });
    }

    fn set_photos(&self, month: &str, photos: Vec<Photo>, complete: bool) {
        self.months.update(|months| {
            if let Some(entry) = months.iter_mut().find(|m| m.month == month) {
                entry.photos = photos;
                entry.complete = complete;
            }
        });
    }

    /// After the network comes back: every month that failed is tried again,
    /// and the counts (or the album) are fetched afresh.
    pub fn recover(&self) {
        if self
            .months
            .try_update(|months| {
                for month in months.iter_mut() {
                    month.failed = None;
                }
            })
            .is_some()
        {
            self.refresh();
        }
    }

    /// Tries a month that failed to load again.
    pub fn retry(&self, month: &str) {
        if !matches!(self.source.try_get_value(), Some(Source::Library(_))) {
            self.load_album();
            return;
        }
        self.months.update(|months| {
            if let Some(entry) = months.iter_mut().find(|m| m.month == month) {
                entry.failed = None;
            }
        });
    }

    /// The photo with `id`, if loaded.
    pub fn photo(&self, id: &str) -> Option<Photo> {
        self.months.with(|months| {
            months
                .iter()
                .flat_map(|month| month.photos.iter())
                .find(|photo| photo.id == id)
                .cloned()
        })
    }

    /// `read` of the loaded photo `id`, looked for in its `month` only (a
    /// tile's, cheap enough to track for every tile on screen).
    pub fn read_photo<T>(&self, month: &str, id: &str, read: impl Fn(&Photo) -> T) -> Option<T> {
        self.months.with(|months| {
            months
                .iter()
                .filter(|entry| entry.month == month)
                .flat_map(|entry| entry.photos.iter())
                .find(|photo| photo.id == id)
                .map(&read)
        })
    }

    /// Every loaded photo's id, in timeline order (for shift-click ranges).
    pub fn loaded_ids(&self) -> Vec<String> {
        self.months.with_untracked(|months| {
            months
                .iter()
                .flat_map(|month| month.photos.iter().map(|photo| photo.id.clone()))
                .collect()
        })
    }

    /// The loaded photos taken on `day` (`YYYY-MM-DD`).
    pub fn ids_of_day(&self, day: &str) -> Vec<String> {
        // Only the day's own month: a heading asks whenever any month loads.
        self.months.with(|months| {
            months
                .iter()
                .filter(|month| day.get(..7) == Some(month.month.as_str()))
                .flat_map(|month| month.photos.iter())
                .filter(|photo| photo.taken_at.get(..10) == Some(day))
                .map(|photo| photo.id.clone())
                .collect()
        })
    }

    /// The loaded photos just newer and just older than `id`.
    pub fn neighbours(&self, id: &str) -> (Option<Photo>, Option<Photo>) {
        self.months.with(|months| {
            let all: Vec<&Photo> = months
                .iter()
                .flat_map(|month| month.photos.iter())
                .collect();
            match all.iter().position(|photo| photo.id == id) {
                Some(at) => (
                    at.checked_sub(1).map(|newer| all[newer].clone()),
                    all.get(at + 1).map(|older| (*older).clone()),
                ),
                None => (None, None),
            }
        })
    }

    /// Shows `change` done to the photos `ids`: those it takes out of this
    /// timeline leave it, the others show it (a heart); then the counts are
    /// fetched again, and the months that gained photos (restored, unarchived)
    /// load afresh. Whether they left.
    pub fn changed(&self, ids: &[String], change: PhotoChange) -> bool {
        // A link's visitor changes nothing; an album is no view of the library.
        let leaves = self.source.with_value(|source| match source {
            Source::Shared(_) => false,
            other => care::leaves(other.view(), change),
        });
        if leaves {
            for id in ids {
                self.remove(id);
            }
        } else {
            let now = js_sys::Date::new_0();
            let purge_at =
                js_sys::Date::new(&(now.get_time() + f64::from(TRASH_DAYS) * 86_400_000.0).into());
            let (now, purge_at): (String, String) =
                (now.to_iso_string().into(), purge_at.to_iso_string().into());
            let ids: std::collections::HashSet<&String> = ids.iter().collect();
            self.months.update(|months| {
                for photo in months.iter_mut().flat_map(|month| month.photos.iter_mut()) {
                    if ids.contains(&photo.id) {
                        care::changed(photo, change, &now, &purge_at);
                    }
                }
            });
        }
        self.refresh();
        leaves
    }

    /// Takes a photo that left this timeline (deleted, trashed, archived…)
    /// off it and its month's count.
    pub fn remove(&self, id: &str) {
        self.months.update(|months| {
            for month in months.iter_mut() {
                if let Some(at) = month.photos.iter().position(|photo| photo.id == id) {
                    month.photos.remove(at);
                    month.count = month.count.saturating_sub(1);
                }
            }
            months.retain(|month| month.count > 0);
        });
    }
}

/// An album's photos (newest first) as months; the last is still loading
/// unless `done`.
fn months_of(photos: &[Photo], done: bool) -> Vec<Month> {
    let mut months: Vec<Month> = Vec::new();
    for photo in photos {
        let month = photo.taken_at.get(..7).unwrap_or_default();
        match months.last_mut() {
            Some(last) if last.month == month => {
                last.photos.push(photo.clone());
                last.count += 1;
            }
            _ => months.push(Month {
                month: month.to_owned(),
                count: 1,
                photos: vec![photo.clone()],
                complete: true,
                failed: None,
            }),
        }
    }
    if !done && let Some(last) = months.last_mut() {
        last.complete = false;
    }
    months
}
