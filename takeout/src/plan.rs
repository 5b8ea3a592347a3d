//! From the listing of every part: what to import, which albums to make, and
//! what is skipped and why. Pure: the same listing always gives the same plan,
//! which is what lets a second run after a crash skip what the first finished.
//!
//! The folders of an export span its parts (a photo in part 1, its sidecar in
//! part 3), so the plan is made once every part has been listed.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::{
    listing::{Entry, Listing, Text, Where},
    names::{self, Fit},
    sidecar::{self, Json},
};

/// What Google knew about a photo, from its sidecar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    /// When it was taken, seconds since 1970 (UTC): used when the file's own
    /// metadata has no date.
    pub taken_s: Option<i64>,
    /// Where: used when the file's own metadata has no place.
    pub place: Option<Place>,
    pub description: Option<String>,
    pub favorite: bool,
    pub archived: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub latitude: f64,
    pub longitude: f64,
    pub altitude: Option<f64>,
}

/// Where an item's facts came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Source {
    /// Its own sidecar.
    Own,
    /// An edit's: the original's sidecar.
    Original,
    /// A Live Photo's video: the still's sidecar.
    Still,
    /// No sidecar: the file's own metadata is all there is.
    None,
    /// Its sidecar could not be read (the reason): as [`Source::None`].
    Unreadable(String),
}

/// One photo or video to import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub at: Where,
    pub path: String,
    /// Its file name, as the library will show it.
    pub name: String,
    pub bytes: u64,
    pub facts: Facts,
    pub source: Source,
    /// Indexes into [`Plan::albums`].
    pub albums: Vec<u32>,
    /// An edit Google saved: the index (into [`Plan::items`]) of its original.
    pub edit_of: Option<u32>,
    /// Something the summary should say about it (a sidecar's date that was
    /// no date).
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Album {
    pub title: String,
    /// The folder it came from, for the summary.
    pub folder: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SkipReason {
    /// Not a photo or video (an HTML index, a JSON that is no sidecar).
    NotMedia,
    /// A sidecar whose photo is in no part picked (a missing part?).
    SidecarWithoutMedia,
    /// In Takeout's "Failed Videos": Google could not export it.
    FailedVideo,
    /// In Google Photos' trash.
    InTrash,
    /// A name that climbs out of the archive (`../`) or starts at the root.
    UnsafePath,
    /// The same path in two parts (a part picked twice).
    ListedTwice,
    /// A JSON file that could not be read, and belongs to no photo.
    UnreadableJson(String),
}

impl SkipReason {
    /// The summary's words for it.
    pub fn words(&self) -> String {
        match self {
            SkipReason::NotMedia => "not a photo or video".into(),
            SkipReason::SidecarWithoutMedia => {
                "a sidecar whose photo is in none of the parts picked".into()
            }
            SkipReason::FailedVideo => "a video Google could not export (Failed Videos)".into(),
            SkipReason::InTrash => "in Google Photos' trash".into(),
            SkipReason::UnsafePath => "a name that leads outside the archive".into(),
            SkipReason::ListedTwice => "the same file in two parts".into(),
            SkipReason::UnreadableJson(why) => format!("an unreadable JSON file ({why})"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// In archive order (part, then entry), the order they are extracted in.
    pub items: Vec<Item>,
    pub albums: Vec<Album>,
    pub skipped: Vec<Skipped>,
    /// What the person should know before starting (a missing part).
    pub warnings: Vec<String>,
}

const PHOTO_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "jpe", "png", "gif", "webp", "bmp", "tif", "tiff", "heic", "heif", "avif",
    "dng", "cr2", "cr3", "nef", "arw", "raf", "rw2", "orf",
];
const VIDEO_EXTENSIONS: &[&str] = &[
    "mp4", "m4v", "mov", "3gp", "3g2", "webm", "mkv", "avi", "mpg", "mpeg", "mts", "m2ts", "wmv",
];
const FAILED_VIDEOS: &str = "Failed Videos";
/// Folders of trashed items, in the languages seen.
const TRASH_FOLDERS: &[&str] = &["Trash", "Bin", "Papierkorb", "Corbeille", "Papelera"];
const ALBUM_METADATA: &str = "metadata.json";

fn extension(name: &str) -> Option<String> {
    names::split_extension(name)
        .1
        .map(|extension| extension.to_ascii_lowercase())
}

fn is_photo(name: &str) -> bool {
    extension(name).is_some_and(|extension| PHOTO_EXTENSIONS.contains(&extension.as_str()))
}

fn is_video(name: &str) -> bool {
    extension(name).is_some_and(|extension| VIDEO_EXTENSIONS.contains(&extension.as_str()))
}

pub fn is_media(name: &str) -> bool {
    !name.starts_with('.') && (is_photo(name) || is_video(name))
}

/// `a/b/c.jpg` → (`a/b`, `c.jpg`); None for a name that climbs out (`..`),
/// starts at the root or a drive, or is a folder.
fn split_path(path: &str) -> Option<(String, String)> {
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    if absolute || parts.iter().any(|part| *part == ".." || *part == ".") {
        return None;
    }
    let (name, folder) = parts.split_last()?;
    Some((folder.join("/"), (*name).to_owned()))
}

/// One folder's files, as indexes into the listing.
#[derive(Default)]
struct Folder {
    media: Vec<usize>,
    json: Vec<usize>,
    other: Vec<usize>,
}

impl Plan {
    pub fn of(listing: &Listing) -> Plan {
        Planner::new(listing).plan()
    }

    /// How many items each album will hold.
    pub fn album_sizes(&self) -> Vec<usize> {
        let mut sizes = vec![0; self.albums.len()];
        for item in &self.items {
            for album in &item.albums {
                if let Some(size) = sizes.get_mut(*album as usize) {
                    *size += 1;
                }
            }
        }
        sizes
    }
}

struct Planner<'a> {
    entries: &'a [Entry],
    names: Vec<String>,
    plan: Plan,
    /// Per media entry: its item before sorting (facts, source, albums, the
    /// original's entry for an edit).
    items: BTreeMap<usize, (Item, Option<usize>)>,
}

impl<'a> Planner<'a> {
    fn new(listing: &'a Listing) -> Planner<'a> {
        let mut warnings: Vec<String> = crate::listing::missing_parts(&listing.parts)
            .into_iter()
            .map(|part| format!("{part} is missing: photos in it will not be imported"))
            .collect();
        warnings.extend(
            listing
                .unreadable_parts
                .iter()
                .map(|(part, why)| format!("{part} could not be read: {why}")),
        );
        Planner {
            entries: &listing.entries,
            names: Vec::new(),
            plan: Plan {
                warnings,
                ..Plan::default()
            },
            items: BTreeMap::new(),
        }
    }

    fn skip(&mut self, index: usize, reason: SkipReason) {
        self.plan.skipped.push(Skipped {
            path: self.entries[index].path.clone(),
            reason,
        });
    }

    fn plan(mut self) -> Plan {
        let mut folders: BTreeMap<String, Folder> = BTreeMap::new();
        let mut seen = HashSet::new();
        self.names = vec![String::new(); self.entries.len()];
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.path.ends_with('/') {
                continue;
            }
            let Some((folder, name)) = split_path(&entry.path) else {
                self.skip(index, SkipReason::UnsafePath);
                continue;
            };
            if !seen.insert(entry.path.clone()) {
                self.skip(index, SkipReason::ListedTwice);
                continue;
            }
            let files = folders.entry(folder).or_default();
            if is_media(&name) {
                files.media.push(index);
            } else if name.to_ascii_lowercase().ends_with(".json") {
                files.json.push(index);
            } else {
                files.other.push(index);
            }
            self.names[index] = name;
        }
        for (path, folder) in folders {
            self.folder(&path, folder);
        }
        self.finish()
    }

    fn folder(&mut self, path: &str, folder: Folder) {
        for index in folder.other {
            self.skip(index, SkipReason::NotMedia);
        }
        let last = path.rsplit('/').next().unwrap_or(path);
        let whole_folder = if last.eq_ignore_ascii_case(FAILED_VIDEOS) {
            Some(SkipReason::FailedVideo)
        } else if TRASH_FOLDERS
            .iter()
            .any(|trash| last.eq_ignore_ascii_case(trash))
        {
            Some(SkipReason::InTrash)
        } else {
            None
        };
        if let Some(reason) = whole_folder {
            for index in folder.media.into_iter().chain(folder.json) {
                self.skip(index, reason.clone());
            }
            return;
        }

        let mut sidecars = Vec::new();
        let mut album = None;
        for index in folder.json {
            if self.names[index].eq_ignore_ascii_case(ALBUM_METADATA)
                && let Some(Ok(Json::Album { title, description })) = self.text(index)
            {
                album = Some(Album {
                    title,
                    folder: path.to_owned(),
                    description,
                });
                continue;
            }
            sidecars.push(index);
        }
        let album = album.map(|album| {
            self.plan.albums.push(album);
            (self.plan.albums.len() - 1) as u32
        });

        let pairs = self.pair(&folder.media, &sidecars);
        let paired_sidecars: HashSet<usize> = pairs.values().copied().collect();
        for &index in &sidecars {
            if !paired_sidecars.contains(&index) {
                let reason = match self.text(index) {
                    Some(Ok(Json::Media(_))) => SkipReason::SidecarWithoutMedia,
                    Some(Err(why)) => SkipReason::UnreadableJson(why),
                    _ => SkipReason::NotMedia,
                };
                self.skip(index, reason);
            }
        }

        // Media with their own sidecars first: edits and Live Photo videos
        // borrow from them.
        let mut own: HashMap<String, usize> = HashMap::new();
        for &index in &folder.media {
            let (facts, source, note, trashed) = match pairs.get(&index) {
                Some(&sidecar) => match self.text(sidecar) {
                    Some(Ok(Json::Media(read))) => {
                        own.insert(self.names[index].to_lowercase(), index);
                        let note = read.bad_date.then(|| {
                            "its sidecar's date is not a date: the file's own is used".to_owned()
                        });
                        (read.facts, Source::Own, note, read.trashed)
                    }
                    Some(Ok(_)) => unreadable("it is not a photo's sidecar".into()),
                    Some(Err(why)) => unreadable(why),
                    None => unreadable("it was not read".into()),
                },
                None => (Facts::default(), Source::None, None, false),
            };
            if trashed {
                self.skip(index, SkipReason::InTrash);
                continue;
            }
            self.items
                .insert(index, (self.item(index, facts, source, note, album), None));
        }
        // Then those without: an edit takes its original's facts, a Live
        // Photo's video its still's.
        let by_name: HashMap<String, usize> = folder
            .media
            .iter()
            .map(|&index| (self.names[index].to_lowercase(), index))
            .collect();
        let stills: HashMap<String, usize> = own
            .iter()
            .filter(|(name, _)| is_photo(name))
            .map(|(name, &index)| (names::split_extension(name).0.to_owned(), index))
            .collect();
        for &index in &folder.media {
            if pairs.contains_key(&index) {
                continue;
            }
            let name = &self.names[index];
            let original = names::original_of_edit(name)
                .and_then(|original| by_name.get(&original.to_lowercase()).copied());
            let still = || {
                let stem = names::split_extension(name).0.to_lowercase();
                is_video(name).then(|| stills.get(&stem).copied()).flatten()
            };
            let (from, source, edit_of) = match (original, still()) {
                (Some(original), _) => (Some(original), Source::Original, Some(original)),
                (None, Some(still)) => (Some(still), Source::Still, None),
                (None, None) => (None, Source::None, None),
            };
            let Some(from) = from else { continue };
            match self.items.get(&from) {
                Some((lender, _)) if pairs.contains_key(&from) => {
                    let facts = lender.facts.clone();
                    let (item, _) = self
                        .items
                        .get_mut(&index)
                        .expect("every media entry not skipped has an item");
                    item.facts = facts;
                    item.source = source;
                    if let Some(edit_of) = edit_of {
                        self.items.get_mut(&index).expect("just read").1 = Some(edit_of);
                    }
                }
                // The original was in the trash: so is its edit.
                None if edit_of.is_some() && pairs.contains_key(&from) => {
                    self.items.remove(&index);
                    self.skip(index, SkipReason::InTrash);
                }
                _ => {
                    if let Some(edit_of) = edit_of
                        && self.items.contains_key(&edit_of)
                        && let Some(entry) = self.items.get_mut(&index)
                    {
                        entry.1 = Some(edit_of);
                    }
                }
            }
        }
    }

    fn item(
        &self,
        index: usize,
        facts: Facts,
        source: Source,
        note: Option<String>,
        album: Option<u32>,
    ) -> Item {
        let entry = &self.entries[index];
        Item {
            at: entry.at,
            path: entry.path.clone(),
            name: self.names[index].clone(),
            bytes: entry.bytes,
            facts,
            source,
            albums: album.into_iter().collect(),
            edit_of: None,
            note,
        }
    }

    /// The JSON entry's content, read: None when the scan did not read it.
    fn text(&self, index: usize) -> Option<Result<Json, String>> {
        match self.entries[index].text.as_ref()? {
            Text::Read(text) => Some(sidecar::read(text).map_err(|error| error.to_string())),
            Text::Unreadable(why) => Some(Err(why.clone())),
        }
    }

    /// Which sidecar is each photo's: the best fits first (exact names, then
    /// names without the extension, then clipped names), each photo and each
    /// sidecar used once. Several photos fitting one sidecar equally are told
    /// apart by the sidecar's title, then a still is preferred to a video (a
    /// Live Photo's sidecar is the still's); still several, none is chosen.
    fn pair(&self, media: &[usize], sidecars: &[usize]) -> HashMap<usize, usize> {
        // The photos by their names without `(n)`, lowercase, sorted: whatever
        // fits a sidecar starts with its base, so its candidates are one run
        // of this list (a folder of 10,000 photos is not 10,000² comparisons).
        let mut keyed: Vec<(String, usize)> = media
            .iter()
            .map(|&index| {
                (
                    names::without_number(&self.names[index]).0.to_lowercase(),
                    index,
                )
            })
            .collect();
        keyed.sort();
        let named: Vec<(usize, names::SidecarName, Vec<usize>)> = sidecars
            .iter()
            .filter_map(|&sidecar| {
                let named = names::sidecar_name(&self.names[sidecar])?;
                let base = named.base.to_lowercase();
                let start = keyed.partition_point(|(key, _)| key.as_str() < base.as_str());
                let candidates = keyed[start..]
                    .iter()
                    .take_while(|(key, _)| key.starts_with(&base))
                    .map(|(_, index)| *index)
                    .collect();
                Some((sidecar, named, candidates))
            })
            .collect();
        let mut pairs = HashMap::new();
        let mut taken_sidecars = HashSet::new();
        for level in [Fit::Exact, Fit::WithoutExtension, Fit::Clipped] {
            for (sidecar, named, candidates) in &named {
                if taken_sidecars.contains(sidecar) {
                    continue;
                }
                let fitting: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|index| !pairs.contains_key(index))
                    .filter(|&index| names::fit(named, &self.names[index]) == Some(level))
                    .collect();
                if let Some(chosen) = self.choose(&fitting, *sidecar) {
                    pairs.insert(chosen, *sidecar);
                    taken_sidecars.insert(*sidecar);
                }
            }
        }
        pairs
    }

    fn choose(&self, fitting: &[usize], sidecar: usize) -> Option<usize> {
        if let [only] = fitting {
            return Some(*only);
        }
        let title = match self.text(sidecar) {
            Some(Ok(Json::Media(read))) => read.title,
            _ => None,
        };
        let by_title: Vec<usize> = fitting
            .iter()
            .copied()
            .filter(|&index| {
                title.as_ref().is_some_and(|title| {
                    names::without_number(&self.names[index])
                        .0
                        .eq_ignore_ascii_case(title)
                })
            })
            .collect();
        if let [only] = by_title.as_slice() {
            return Some(*only);
        }
        let stills: Vec<usize> = fitting
            .iter()
            .copied()
            .filter(|&index| is_photo(&self.names[index]))
            .collect();
        match stills.as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }

    fn finish(mut self) -> Plan {
        let mut items: Vec<(Item, Option<usize>)> =
            std::mem::take(&mut self.items).into_values().collect();
        items.sort_by_key(|(item, _)| item.at);
        let position: HashMap<Where, u32> = items
            .iter()
            .enumerate()
            .map(|(position, (item, _))| (item.at, position as u32))
            .collect();
        self.plan.items = items
            .into_iter()
            .map(|(mut item, edit_of)| {
                item.edit_of =
                    edit_of.and_then(|original| position.get(&self.entries[original].at).copied());
                item
            })
            .collect();
        self.plan
    }
}

fn unreadable(why: String) -> (Facts, Source, Option<String>, bool) {
    (Facts::default(), Source::Unreadable(why), None, false)
}

#[cfg(test)]
mod tests;
