//! The import worker's bindings (`app/worker/takeout-worker.js`): the parts are
//! `File`s, read in slices with `FileReaderSync` (workers only), so a part of
//! 50 GB costs the worker a few megabytes.
//!
//! - `scan(parts, progress)`: every part listed, the plan made; the plan as JSON;
//! - `Extractor`: one entry at a time, handed to JavaScript in chunks, which
//!   it gathers into a `Blob` (kept by the browser, not in wasm memory).

use std::{
    collections::{HashMap, hash_map},
    io::{BufReader, Read},
};

use file_source::FileSource;
use js_sys::{Array, Function, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::{
    archive::{self, ArchiveError, Format, TarGzPart, ZipPart},
    listing::{Entry, Listing, Text, Where, wants_text},
    plan::Plan,
};

/// Each `FileReaderSync` call is a round trip: read ahead this much.
const READ_AHEAD: usize = 1024 * 1024;

type Reader = BufReader<FileSource>;

fn reader(file: &web_sys::File) -> Result<Reader, JsValue> {
    Ok(BufReader::with_capacity(
        READ_AHEAD,
        FileSource::new(file.clone())?,
    ))
}

fn format_of(file: &web_sys::File) -> Result<Format, ArchiveError> {
    let mut head = [0u8; 4];
    let mut source = FileSource::new(file.clone()).map_err(|_| ArchiveError::NotAnArchive)?;
    source
        .read_exact(&mut head)
        .map_err(|_| ArchiveError::NotAnArchive)?;
    archive::format(&head).ok_or(ArchiveError::NotAnArchive)
}

fn files(parts: &Array) -> Vec<web_sys::File> {
    parts
        .iter()
        .filter_map(|part| part.dyn_into::<web_sys::File>().ok())
        .collect()
}

fn error(error: impl ToString) -> JsValue {
    JsValue::from_str(&error.to_string())
}

/// Lists every part and makes the plan; `progress(part, entries)` hears how
/// far the listing is. The plan, as JSON.
#[wasm_bindgen]
pub fn scan(parts: Array, progress: &Function) -> Result<String, JsValue> {
    let files = files(&parts);
    let mut listing = Listing {
        parts: files.iter().map(web_sys::File::name).collect(),
        ..Listing::default()
    };
    for (index, file) in files.iter().enumerate() {
        let part = index as u32;
        let mut heard = |entries: usize| {
            let _ = progress.call2(&JsValue::NULL, &part.into(), &(entries as u32).into());
        };
        let listed = match format_of(file) {
            Ok(Format::Zip) => {
                ZipPart::open(reader(file)?).and_then(|mut zip| zip.list(part, &mut heard))
            }
            Ok(Format::TarGz) => {
                TarGzPart::open(Box::new(reader(file)?)).and_then(|tar| tar.list(part, &mut heard))
            }
            Err(error) => Err(error),
        };
        match listed {
            Ok(entries) => {
                heard(entries.len());
                listing.entries.extend(entries);
            }
            Err(why) => listing
                .unreadable_parts
                .push((file.name(), why.to_string())),
        }
    }
    serde_json::to_string(&Plan::of(&listing)).map_err(error)
}

/// Lists an extracted export (a folder the person picked): each file is an
/// entry of one "part", at `paths[i]` (its path in the folder); the JSON
/// files are read. The plan, as JSON.
#[wasm_bindgen]
pub fn scan_folder(files: Array, paths: Array, progress: &Function) -> Result<String, JsValue> {
    let files = self::files(&files);
    let paths: Vec<String> = paths.iter().filter_map(|path| path.as_string()).collect();
    if paths.len() != files.len() {
        return Err(error("each file needs its path"));
    }
    let root = paths
        .first()
        .and_then(|path| path.split('/').next())
        .unwrap_or("folder");
    let mut listing = Listing {
        parts: vec![root.to_owned()],
        ..Listing::default()
    };
    for (index, (file, path)) in files.iter().zip(&paths).enumerate() {
        let bytes = file.size() as u64;
        let text = wants_text(path, bytes).then(|| read_text(file));
        listing.entries.push(Entry {
            at: Where {
                part: 0,
                entry: index as u32,
            },
            path: path.clone(),
            bytes,
            text,
        });
        if index % 1000 == 999 {
            let _ = progress.call2(&JsValue::NULL, &0.into(), &(index as u32 + 1).into());
        }
    }
    serde_json::to_string(&Plan::of(&listing)).map_err(error)
}

fn read_text(file: &web_sys::File) -> Text {
    let mut bytes = Vec::new();
    let read = FileSource::new(file.clone())
        .map_err(|_| std::io::Error::other("could not read it"))
        .and_then(|mut source| source.read_to_end(&mut bytes));
    match read.map(|_| String::from_utf8(bytes)) {
        Ok(Ok(text)) => Text::Read(text),
        Ok(Err(_)) => Text::Unreadable("not UTF-8 text".into()),
        Err(why) => Text::Unreadable(why.to_string()),
    }
}

/// Extracts entries from the parts it was made with. Zip entries come in any
/// order; a `.tgz` part goes forward, and starts over for an entry behind it.
#[wasm_bindgen]
pub struct Extractor {
    parts: Vec<web_sys::File>,
    zips: HashMap<u32, ZipPart<Reader>>,
    tars: HashMap<u32, TarGzPart>,
}

#[wasm_bindgen]
impl Extractor {
    #[wasm_bindgen(constructor)]
    pub fn new(parts: Array) -> Extractor {
        Extractor {
            parts: files(&parts),
            zips: HashMap::new(),
            tars: HashMap::new(),
        }
    }

    /// Entry `entry` of part `part`, in chunks to `sink(Uint8Array)` (each
    /// a copy, the caller's to keep); its size, or throws why it cannot be
    /// had (damaged, larger than declared, no such entry).
    pub fn extract(&mut self, part: u32, entry: u32, sink: &Function) -> Result<f64, JsValue> {
        let file = self
            .parts
            .get(part as usize)
            .ok_or_else(|| error(format!("there is no part {part}")))?
            .clone();
        let mut pass_on = |chunk: &[u8]| {
            sink.call1(&JsValue::NULL, &Uint8Array::from(chunk))
                .map(|_| ())
                .map_err(|_| "the page stopped taking it".to_owned())
        };
        let bytes = match format_of(&file).map_err(error)? {
            Format::Zip => {
                let zip = match self.zips.entry(part) {
                    hash_map::Entry::Occupied(open) => open.into_mut(),
                    hash_map::Entry::Vacant(closed) => {
                        closed.insert(ZipPart::open(reader(&file)?).map_err(error)?)
                    }
                };
                zip.extract(entry, &mut pass_on)
            }
            Format::TarGz => {
                let behind = self.tars.get(&part).is_none_or(|tar| !tar.can_reach(entry));
                if behind {
                    let tar = TarGzPart::open(Box::new(reader(&file)?)).map_err(error)?;
                    self.tars.insert(part, tar);
                }
                let tar = self.tars.get_mut(&part).ok_or_else(|| error("no tgz"))?;
                tar.extract(entry, &mut pass_on)
            }
        };
        bytes.map(|bytes| bytes as f64).map_err(error)
    }
}
