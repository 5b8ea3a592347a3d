//! One import, from the parts picked to its summary: [`Import`] is its state
//! (in the app's context, so it goes on while the person looks at photos),
//! and the steps that move it on.

use std::{
    collections::{HashMap, VecDeque},
    rc::Rc,
};

use api_types::{
    album::NewAlbum,
    photo::{Gps, Imported},
};
use leptos::{prelude::*, task::spawn_local};
use takeout::{Item, Plan};

use super::{
    journal::Journal,
    report::{self, Counts, Outcome},
    worker::TakeoutWorker,
};
use crate::{
    api::Api,
    upload::{Ended, ImportedFile, Uploads},
};

/// Items extracted and in the upload queue at once: enough to keep the
/// queue busy, few enough that extracted files do not pile up.
const IN_FLIGHT: usize = 6;
/// Photos added to an album in one request.
const ALBUM_BATCH: usize = 50;
const FROM: &str = "google-takeout";
/// How often the counts on the page are brought up to date.
const RECOUNT_MS: f64 = 250.0;

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Choosing,
    /// Listing part `part` (of `parts`): `entries` so far.
    Scanning {
        part: u32,
        parts: u32,
        entries: u32,
    },
    Planned,
    Importing,
    /// Asked to stop: no item is started, those under way finish.
    Stopping,
    /// Stopped before the end: a second run of the same parts goes on.
    Stopped,
    Finished,
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct Import {
    phase: RwSignal<Phase>,
    counts: RwSignal<Counts>,
    /// Albums that could not be made or filled, and why.
    problems: RwSignal<Vec<String>>,
    work: StoredValue<Option<Work>, LocalStorage>,
}

struct Work {
    worker: Rc<TakeoutWorker>,
    plan: Rc<Plan>,
    outcomes: Vec<Outcome>,
    journal: Journal,
    next: usize,
    in_flight: usize,
    /// Edits waiting for their originals' ids.
    deferred: VecDeque<usize>,
    /// Per album: the items in the library, waiting to be added to it.
    for_albums: Vec<Vec<(usize, String)>>,
    /// Per album: a request to make or fill it is under way.
    album_busy: Vec<bool>,
    /// The library's albums by title, read when the import starts: an album
    /// of the export's that has one of these titles is filled, not made
    /// again (a second import of the same photos, from another copy of the
    /// export, makes no second album).
    existing_albums: HashMap<String, String>,
    /// When the counts were last made.
    counted_at: f64,
}

impl Default for Import {
    fn default() -> Import {
        Import::new()
    }
}

impl Import {
    pub fn new() -> Import {
        Import {
            phase: RwSignal::new(Phase::Choosing),
            counts: RwSignal::new(Counts::default()),
            problems: RwSignal::new(Vec::new()),
            work: StoredValue::new_local(None),
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase.get()
    }

    pub fn counts(&self) -> Counts {
        self.counts.get()
    }

    pub fn problems(&self) -> Vec<String> {
        self.problems.get()
    }

    pub fn plan(&self) -> Option<Rc<Plan>> {
        self.phase.track();
        self.work
            .with_value(|work| work.as_ref().map(|work| work.plan.clone()))
    }

    /// The summary as CSV, once there is a plan.
    pub fn csv(&self) -> Option<String> {
        self.work.with_value(|work| {
            work.as_ref()
                .map(|work| report::csv(&work.plan, &work.outcomes))
        })
    }

    /// Back to picking parts (after a summary, or to pick others).
    pub fn reset(&self) {
        self.work.set_value(None);
        self.problems.set(Vec::new());
        self.counts.set(Counts::default());
        self.phase.set(Phase::Choosing);
    }

    /// Lists `parts` (archives, or with `folder` an extracted export's files)
    /// and makes the plan; what an earlier run of the same export by `owner`
    /// finished counts as done.
    pub fn scan(&self, parts: Vec<web_sys::File>, folder: bool, owner: String) {
        let this = *self;
        let count = parts.len() as u32;
        this.phase.set(Phase::Scanning {
            part: 0,
            parts: count,
            entries: 0,
        });
        spawn_local(async move {
            let worker = match TakeoutWorker::start() {
                Ok(worker) => Rc::new(worker),
                Err(error) => {
                    this.phase.set(Phase::Failed(error));
                    return;
                }
            };
            let heard = move |part, entries| {
                this.phase.set(Phase::Scanning {
                    part,
                    parts: count,
                    entries,
                })
            };
            let paths: Option<Vec<String>> =
                folder.then(|| parts.iter().map(relative_path).collect());
            let root = paths
                .as_ref()
                .and_then(|paths| paths.first())
                .and_then(|path| path.split('/').next().map(str::to_owned));
            let fingerprint = Journal::fingerprint(&parts, root.as_deref());
            let plan = match worker.scan(&parts, paths, heard).await {
                Ok(plan) => Rc::new(plan),
                Err(error) => {
                    this.phase.set(Phase::Failed(format!(
                        "The parts could not be read: {error}"
                    )));
                    return;
                }
            };
            let journal = Journal::open(&owner, &fingerprint, plan.items.len(), plan.albums.len());
            let outcomes = (0..plan.items.len())
                .map(|item| {
                    if journal.is_done(item) {
                        Outcome::DoneBefore
                    } else {
                        Outcome::Waiting
                    }
                })
                .collect();
            this.work.set_value(Some(Work {
                worker,
                for_albums: vec![Vec::new(); plan.albums.len()],
                album_busy: vec![false; plan.albums.len()],
                plan,
                outcomes,
                journal,
                next: 0,
                in_flight: 0,
                deferred: VecDeque::new(),
                existing_albums: HashMap::new(),
                counted_at: 0.0,
            }));
            this.recount(true);
            this.phase.set(Phase::Planned);
        });
    }

    pub fn start(&self, api: Api, uploads: Uploads) {
        self.phase.set(Phase::Importing);
        let this = *self;
        spawn_local(async move {
            match api.albums().await {
                Ok(list) => this.work.update_value(|work| {
                    if let Some(work) = work.as_mut() {
                        work.existing_albums = list
                            .items
                            .into_iter()
                            .map(|album| (album.title, album.id))
                            .collect();
                    }
                }),
                Err(error) => this.problems.update(|problems| {
                    problems.push(format!(
                        "Your albums could not be read, so the export's albums are made anew: {}",
                        error.user_message()
                    ))
                }),
            }
            this.feed(api, uploads);
        });
    }

    /// The counts the page shows, made again at most every [`RECOUNT_MS`]
    /// (each is a pass over every item) unless `now`.
    fn recount(&self, now: bool) {
        let counts = self.work.try_update_value(|work| {
            let work = work.as_mut()?;
            let time = crate::browser::now_ms();
            if !now && time - work.counted_at < RECOUNT_MS {
                return None;
            }
            work.counted_at = time;
            Some(report::counts(&work.plan, &work.outcomes))
        });
        if let Some(Some(counts)) = counts {
            self.counts.set(counts);
        }
    }

    /// Starts no more items; those under way finish, then the summary shows
    /// how far it got. The journal keeps it: the same parts go on from there.
    pub fn stop(&self) {
        if self.phase.get_untracked() == Phase::Importing {
            self.phase.set(Phase::Stopping);
        }
    }

    /// Starts items until [`IN_FLIGHT`] are under way; finishes when none are left.
    fn feed(&self, api: Api, uploads: Uploads) {
        while self.phase.get_untracked() == Phase::Importing {
            let next = self.work.try_update_value(|work| {
                let work = work.as_mut()?;
                if work.in_flight >= IN_FLIGHT {
                    return None;
                }
                let index = next_item(work)?;
                work.in_flight += 1;
                work.outcomes[index] = Outcome::Running;
                let item = work.plan.items[index].clone();
                let edit_of =
                    item.edit_of
                        .and_then(|original| match work.outcomes.get(original as usize) {
                            Some(Outcome::Stored { id, .. }) => Some(id.clone()),
                            _ => None,
                        });
                Some((index, item, edit_of, work.worker.clone()))
            });
            let Some(Some((index, item, edit_of, worker))) = next else {
                break;
            };
            let this = *self;
            spawn_local(async move {
                let taken_ms = item
                    .facts
                    .taken_s
                    .map_or_else(js_sys::Date::now, |seconds| seconds as f64 * 1000.0);
                match worker.extract(&item, taken_ms).await {
                    Ok(file) => {
                        let on_end = Rc::new(move |ended| this.ended(index, ended, api, uploads));
                        uploads.add_imported(vec![(file, imported_file(&item, edit_of, on_end))]);
                    }
                    Err(error) => this.ended(
                        index,
                        Ended::Failed(format!("it could not be taken from its part: {error}")),
                        api,
                        uploads,
                    ),
                }
            });
        }
        self.recount(false);
        self.finish_if_done(api);
    }

    fn ended(&self, index: usize, ended: Ended, api: Api, uploads: Uploads) {
        let full = self.work.try_update_value(|work| {
            let work = work.as_mut()?;
            work.in_flight = work.in_flight.saturating_sub(1);
            let item = work.plan.items.get(index)?.clone();
            match ended {
                Ended::Stored { id, new } => {
                    work.outcomes[index] = Outcome::Stored {
                        id: id.clone(),
                        new,
                    };
                    if item.albums.is_empty() {
                        work.journal.mark_done(&[index]);
                    }
                    for album in &item.albums {
                        if let Some(waiting) = work.for_albums.get_mut(*album as usize) {
                            waiting.push((index, id.clone()));
                        }
                    }
                }
                Ended::Failed(why) => work.outcomes[index] = Outcome::Failed(why),
            }
            Some(
                item.albums
                    .iter()
                    .copied()
                    .filter(|album| {
                        work.for_albums
                            .get(*album as usize)
                            .is_some_and(|waiting| waiting.len() >= ALBUM_BATCH)
                    })
                    .collect::<Vec<_>>(),
            )
        });
        for album in full.flatten().unwrap_or_default() {
            self.fill_album(album as usize, api);
        }
        self.feed(api, uploads);
    }

    /// Adds the photos waiting for `album` to it, making it first if neither
    /// this run nor an earlier one has (nor the library has one of its title).
    /// One request per album at a time, so an album is never made twice.
    fn fill_album(&self, album: usize, api: Api) {
        let taken = self.work.try_update_value(|work| {
            let work = work.as_mut()?;
            if *work.album_busy.get(album)? {
                return None;
            }
            let waiting = std::mem::take(work.for_albums.get_mut(album)?);
            if waiting.is_empty() {
                return None;
            }
            work.album_busy[album] = true;
            let title = work.plan.albums.get(album)?.title.clone();
            let made = work
                .journal
                .album(album)
                .or_else(|| work.existing_albums.get(&title).cloned());
            Some((waiting, made, title))
        });
        let Some(Some((waiting, made, title))) = taken else {
            return;
        };
        let this = *self;
        spawn_local(async move {
            let ids: Vec<String> = waiting.iter().map(|(_, id)| id.clone()).collect();
            let result = match made {
                Some(album_id) => api.add_to_album(&album_id, ids).await.map(|_| album_id),
                None => api
                    .create_album(&NewAlbum {
                        title: title.clone(),
                        photo_ids: ids,
                    })
                    .await
                    .map(|created| created.id),
            };
            let items: Vec<usize> = waiting.iter().map(|(item, _)| *item).collect();
            if let Err(error) = &result {
                this.problems.update(|problems| {
                    problems.push(format!(
                        "{} photos could not be put in “{title}”: {}",
                        items.len(),
                        error.user_message()
                    ))
                });
            }
            let more = this.work.try_update_value(|work| {
                let work = work.as_mut()?;
                if let Ok(id) = result {
                    work.journal.set_album(album, id);
                    work.journal.mark_done(&items);
                }
                work.album_busy[album] = false;
                Some(work.for_albums[album].len() >= ALBUM_BATCH)
            });
            if more == Some(Some(true)) {
                this.fill_album(album, api);
            }
            this.finish_if_done(api);
        });
    }

    /// Once every item has ended: the albums' last photos, then the summary.
    fn finish_if_done(&self, api: Api) {
        let state = self.work.with_value(|work| {
            work.as_ref().map(|work| {
                let stopping = self.phase.get_untracked() == Phase::Stopping;
                let items_done = work.in_flight == 0
                    && (stopping
                        || (work.deferred.is_empty() && work.next >= work.plan.items.len()));
                let albums_waiting: Vec<usize> = (0..work.for_albums.len())
                    .filter(|album| !work.for_albums[*album].is_empty())
                    .collect();
                let busy = work.album_busy.iter().any(|busy| *busy);
                (items_done, albums_waiting, busy)
            })
        });
        let Some((true, albums_waiting, busy)) = state else {
            return;
        };
        let stopping = match self.phase.get_untracked() {
            Phase::Importing => false,
            Phase::Stopping => true,
            _ => return,
        };
        for album in &albums_waiting {
            self.fill_album(*album, api);
        }
        if albums_waiting.is_empty() && !busy {
            self.work.update_value(|work| {
                if let Some(work) = work.as_mut() {
                    work.journal.save();
                }
            });
            self.recount(true);
            self.phase.set(if stopping {
                Phase::Stopped
            } else {
                Phase::Finished
            });
        }
    }
}

/// The next item to start: an edit whose original has ended, else the next
/// in archive order that is not done (an edit whose original is still to
/// come waits).
fn next_item(work: &mut Work) -> Option<usize> {
    let ready = work.deferred.iter().position(|&edit| {
        work.plan.items[edit]
            .edit_of
            .is_none_or(|original| work.outcomes[original as usize].is_finished())
    });
    if let Some(position) = ready {
        return work.deferred.remove(position);
    }
    while work.next < work.plan.items.len() {
        let index = work.next;
        work.next += 1;
        if work.outcomes[index] != Outcome::Waiting {
            continue;
        }
        let waits = work.plan.items[index]
            .edit_of
            .is_some_and(|original| !work.outcomes[original as usize].is_finished());
        if waits {
            work.deferred.push_back(index);
            continue;
        }
        return Some(index);
    }
    None
}

fn imported_file(item: &Item, edit_of: Option<String>, on_end: Rc<dyn Fn(Ended)>) -> ImportedFile {
    ImportedFile {
        facts: Imported {
            from: FROM.to_owned(),
            description: item.facts.description.clone(),
            favorite: item.facts.favorite,
            archived: item.facts.archived,
            edit_of,
        },
        place: item.facts.place.map(|place| Gps {
            latitude: place.latitude,
            longitude: place.longitude,
            altitude: place.altitude,
        }),
        on_end,
    }
}

/// A file's path in the folder it was picked with (`webkitRelativePath`,
/// which `web-sys` does not bind).
fn relative_path(file: &web_sys::File) -> String {
    js_sys::Reflect::get(file, &"webkitRelativePath".into())
        .ok()
        .and_then(|path| path.as_string())
        .filter(|path| !path.is_empty())
        .unwrap_or_else(|| file.name())
}
