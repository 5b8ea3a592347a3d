//! The queue's memory across reloads: every file still to do is kept in IndexedDB
//! (database `shoebox-uploads`, store `pending`) with the `File` itself, whose
//! bytes IndexedDB copies. After a reload the files go through the queue again;
//! re-hashing proves each is the same photo, and the API's dedup makes anything
//! that was already committed a "duplicate" instead of a second copy.
//!
//! An original sent in parts also keeps its upload's id, so after a reload the
//! API is asked to continue that upload: only the parts the store does not
//! hold yet are sent again. The id is kept in `localStorage`
//! (`shoebox-upload:{id}`), beside the entry: writing it into the entry would
//! put the entry back, and with it copy a file of gigabytes once more.
//!
//! Entries carry the signed-in user's id: another person signing in on the same
//! browser never uploads someone else's files into their own library.
//!
//! Keeping files is best effort: a browser without IndexedDB (or out of quota)
//! still uploads, it just cannot resume after a reload.
//!
//! The store `shared` holds photos shared to the app from the phone's share
//! sheet: the service worker (`app/sw.js`) puts them there, with no owner
//! (it cannot know who is signed in), and [`take_shared`] hands them to the
//! queue once someone is.

use idb::{Database, DatabaseEvent, Factory, KeyPath, ObjectStoreParams, Query, TransactionMode};
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::Store;

const DATABASE: &str = "shoebox-uploads";
const STORE: &str = "pending";
const SHARED: &str = "shared";
/// 2 added `shared`; the service worker opens the same version.
const VERSION: u32 = 2;

/// One file kept for later.
pub struct Kept {
    pub id: String,
    pub file: web_sys::File,
    /// The multipart upload its original was in the middle of.
    pub upload: Option<String>,
}

async fn open() -> Result<Database, idb::Error> {
    let factory = Factory::new()?;
    let mut request = factory.open(DATABASE, Some(VERSION))?;
    request.on_upgrade_needed(|event| {
        if let Ok(database) = event.database() {
            let existing = database.store_names();
            if !existing.iter().any(|name| name == STORE) {
                let mut params = ObjectStoreParams::new();
                params.key_path(Some(KeyPath::new_single("id")));
                let _ = database.create_object_store(STORE, params);
            }
            if !existing.iter().any(|name| name == SHARED) {
                let mut params = ObjectStoreParams::new();
                params.auto_increment(true);
                let _ = database.create_object_store(SHARED, params);
            }
        }
    });
    request.await
}

fn log(what: &str, error: &idb::Error) {
    leptos::logging::warn!("upload queue: could not {what}: {error}");
}

/// Keeps `file` as `id` for `owner`.
pub async fn keep(owner: &str, id: &str, file: &web_sys::File) {
    let result = async {
        let database = open().await?;
        let transaction = database.transaction(&[STORE], TransactionMode::ReadWrite)?;
        let entry = js_sys::Object::new();
        let _ = Reflect::set(&entry, &"id".into(), &id.into());
        let _ = Reflect::set(&entry, &"owner".into(), &owner.into());
        let _ = Reflect::set(&entry, &"file".into(), file);
        let _ = Reflect::set(&entry, &"added".into(), &js_sys::Date::now().into());
        transaction.object_store(STORE)?.put(&entry, None)?.await?;
        transaction.commit()?.await?;
        database.close();
        Ok::<_, idb::Error>(())
    }
    .await;
    if let Err(error) = result {
        log("keep a file for after a reload", &error);
    }
}

fn upload_key(id: &str) -> String {
    format!("shoebox-upload:{id}")
}

/// Notes that the kept file `id` is being sent in parts as `upload_id`.
pub fn note_upload(id: &str, upload_id: &str) {
    if !Store::Local.set(&upload_key(id), upload_id) {
        leptos::logging::warn!("upload queue: could not note a file's upload for after a reload");
    }
}

/// Forgets `id` (it finished, failed or was cancelled).
pub async fn forget(id: &str) {
    Store::Local.remove(&upload_key(id));
    let result = async {
        let database = open().await?;
        let transaction = database.transaction(&[STORE], TransactionMode::ReadWrite)?;
        transaction
            .object_store(STORE)?
            .delete(Query::Key(JsValue::from_str(id)))?
            .await?;
        transaction.commit()?.await?;
        database.close();
        Ok::<_, idb::Error>(())
    }
    .await;
    if let Err(error) = result {
        log("forget a finished file", &error);
    }
}

/// The files `owner` still had to do, oldest first.
pub async fn kept_for(owner: &str) -> Vec<Kept> {
    let entries = match all_entries(STORE).await {
        Ok(entries) => entries,
        Err(error) => {
            log("read the files kept from before", &error);
            return Vec::new();
        }
    };
    let mut kept: Vec<(f64, Kept)> = entries
        .into_iter()
        .filter(|entry| {
            Reflect::get(entry, &"owner".into())
                .ok()
                .and_then(|o| o.as_string())
                .as_deref()
                == Some(owner)
        })
        .filter_map(|entry| {
            let id = Reflect::get(&entry, &"id".into()).ok()?.as_string()?;
            let file = Reflect::get(&entry, &"file".into()).ok()?.dyn_into().ok()?;
            let added = Reflect::get(&entry, &"added".into())
                .ok()?
                .as_f64()
                .unwrap_or_default();
            let upload = Store::Local.get(&upload_key(&id));
            Some((added, Kept { id, file, upload }))
        })
        .collect();
    kept.sort_by(|a, b| a.0.total_cmp(&b.0));
    kept.into_iter().map(|(_, kept)| kept).collect()
}

/// Takes every photo shared to the app out of the `shared` store.
pub async fn take_shared() -> Vec<web_sys::File> {
    let result = async {
        let database = open().await?;
        let transaction = database.transaction(&[SHARED], TransactionMode::ReadWrite)?;
        let store = transaction.object_store(SHARED)?;
        let entries = store.get_all(None, None)?.await?;
        store.clear()?.await?;
        transaction.commit()?.await?;
        database.close();
        Ok::<_, idb::Error>(entries)
    }
    .await;
    match result {
        Ok(entries) => files_of(entries),
        Err(error) => {
            log("take the photos shared to the app", &error);
            Vec::new()
        }
    }
}

/// The photos shared to the app, left where they are: the app shows them
/// and backs them up only once the person says so ([`take_shared`]).
pub async fn peek_shared() -> Vec<web_sys::File> {
    match all_entries(SHARED).await {
        Ok(entries) => files_of(entries),
        Err(error) => {
            log("read the photos shared to the app", &error);
            Vec::new()
        }
    }
}

/// Every entry of `store`, read in one transaction.
async fn all_entries(store: &str) -> Result<Vec<JsValue>, idb::Error> {
    let database = open().await?;
    let transaction = database.transaction(&[store], TransactionMode::ReadOnly)?;
    let entries = transaction
        .object_store(store)?
        .get_all(None, None)?
        .await?;
    transaction.await?;
    database.close();
    Ok(entries)
}

/// The `file` of each entry that has one.
fn files_of(entries: Vec<JsValue>) -> Vec<web_sys::File> {
    entries
        .into_iter()
        .filter_map(|entry| Reflect::get(&entry, &"file".into()).ok()?.dyn_into().ok())
        .collect()
}

/// Drops every photo shared to the app: the person said no.
pub async fn clear_shared() -> bool {
    let result = async {
        let database = open().await?;
        let transaction = database.transaction(&[SHARED], TransactionMode::ReadWrite)?;
        transaction.object_store(SHARED)?.clear()?.await?;
        transaction.commit()?.await?;
        database.close();
        Ok::<_, idb::Error>(())
    }
    .await;
    match result {
        Ok(()) => true,
        Err(error) => {
            log("drop the photos shared to the app", &error);
            false
        }
    }
}

/// How many photos shared to the app wait for someone to sign in.
pub async fn count_shared() -> usize {
    let result = async {
        let database = open().await?;
        let transaction = database.transaction(&[SHARED], TransactionMode::ReadOnly)?;
        let count = transaction.object_store(SHARED)?.count(None)?.await?;
        transaction.await?;
        database.close();
        Ok::<_, idb::Error>(count)
    }
    .await;
    result.map_or(0, |count| count as usize)
}
