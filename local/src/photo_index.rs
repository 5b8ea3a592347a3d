//! The photo index in SQLite (`data/index.sqlite3`): the local implementation of
//! the API's [`PhotoIndex`]; DynamoDB plays this part in AWS.
//!
//! One row per (owner, photo id). The timeline index orders by capture time in UTC
//! milliseconds, then id, so photos of a burst taken in the same second are all
//! kept and always come back in the same order.
//!
//! SQLite calls block, so each runs on tokio's blocking pool; one connection,
//! behind a mutex, is plenty for one household's uploads.

use std::{
    collections::HashSet,
    path::Path,
    sync::{Arc, Mutex},
};

use api_types::{photo::Metadata, upload::CommittedPreview};
use async_trait::async_trait;
use lambda_index::store::{
    IndexError, Inserted, Owner, PhotoId, PhotoIndex, PhotoRecord, Position,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

use crate::StartError;

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS photos (
    owner       TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    taken_ms    INTEGER NOT NULL,  -- capture time, UTC milliseconds: the timeline's order
    taken_at    TEXT    NOT NULL,  -- RFC 3339 with the offset it was taken at
    uploaded_at TEXT    NOT NULL,
    details     TEXT    NOT NULL,  -- JSON: file, sizes, previews, EXIF
    PRIMARY KEY (owner, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS timeline ON photos (owner, taken_ms DESC, id DESC);
";

/// What a row keeps besides its keys and times.
#[derive(Serialize, Deserialize)]
struct Details {
    filename: String,
    content_type: String,
    bytes: u64,
    width: Option<u32>,
    height: Option<u32>,
    metadata: Metadata,
    thumb: Option<CommittedPreview>,
    web: Option<CommittedPreview>,
    placeholder: Option<String>,
}

#[derive(Clone)]
pub struct SqliteIndex {
    connection: Arc<Mutex<Connection>>,
}

impl SqliteIndex {
    pub fn open(data_dir: &Path) -> Result<SqliteIndex, StartError> {
        let path = data_dir.join("index.sqlite3");
        let fail =
            |error: rusqlite::Error| StartError::Index(format!("{}: {error}", path.display()));
        let connection = Connection::open(&path).map_err(fail)?;
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .map_err(fail)?;
        connection.execute_batch(SCHEMA).map_err(fail)?;
        Ok(SqliteIndex {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` with the connection on the blocking pool.
    async fn with<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, IndexError> + Send + 'static,
    ) -> Result<T, IndexError> {
        let connection = self.connection.clone();
        tokio::task::spawn_blocking(move || {
            let connection = connection
                .lock()
                .map_err(|_| IndexError::Unavailable("the index lock is poisoned".into()))?;
            work(&connection)
        })
        .await
        .map_err(|error| IndexError::Unavailable(error.to_string()))?
    }

    /// Whether `owner` has photo `id` (the sweep asks this of every stray object).
    pub fn contains_blocking(&self, owner: &str, id: &str) -> Result<bool, IndexError> {
        let connection = self
            .connection
            .lock()
            .map_err(|_| IndexError::Unavailable("the index lock is poisoned".into()))?;
        connection
            .query_row(
                "SELECT 1 FROM photos WHERE owner = ?1 AND id = ?2",
                params![owner, id],
                |_| Ok(()),
            )
            .optional()
            .map(|row| row.is_some())
            .map_err(unavailable)
    }
}

fn unavailable(error: rusqlite::Error) -> IndexError {
    IndexError::Unavailable(error.to_string())
}

fn read_row(owner: &Owner, row: &rusqlite::Row<'_>) -> Result<PhotoRecord, IndexError> {
    let text = |index| row.get::<_, String>(index).map_err(unavailable);
    let corrupt = |what: &str, error: String| IndexError::Corrupt(format!("{what}: {error}"));
    let id = text(0)?;
    let time = |value: String| {
        OffsetDateTime::parse(&value, &Rfc3339)
            .map_err(|error| corrupt("a time", error.to_string()))
    };
    let details: Details =
        serde_json::from_str(&text(3)?).map_err(|error| corrupt("details", error.to_string()))?;
    Ok(PhotoRecord {
        owner: owner.clone(),
        id: PhotoId::parse(&id).ok_or_else(|| corrupt("an id", id.clone()))?,
        taken_at: time(text(1)?)?,
        uploaded_at: time(text(2)?)?,
        filename: details.filename,
        content_type: details.content_type,
        bytes: details.bytes,
        width: details.width,
        height: details.height,
        metadata: details.metadata,
        thumb: details.thumb,
        web: details.web,
        placeholder: details.placeholder,
    })
}

fn get(
    connection: &Connection,
    owner: &Owner,
    id: &PhotoId,
) -> Result<Option<PhotoRecord>, IndexError> {
    let mut statement = connection
        .prepare_cached(
            "SELECT id, taken_at, uploaded_at, details FROM photos WHERE owner = ?1 AND id = ?2",
        )
        .map_err(unavailable)?;
    let mut rows = statement
        .query(params![owner.as_str(), id.as_str()])
        .map_err(unavailable)?;
    match rows.next().map_err(unavailable)? {
        Some(row) => read_row(owner, row).map(Some),
        None => Ok(None),
    }
}

#[async_trait]
impl PhotoIndex for SqliteIndex {
    async fn get(&self, owner: &Owner, id: &PhotoId) -> Result<Option<PhotoRecord>, IndexError> {
        let (owner, id) = (owner.clone(), id.clone());
        self.with(move |connection| get(connection, &owner, &id))
            .await
    }

    async fn existing(
        &self,
        owner: &Owner,
        ids: &[PhotoId],
    ) -> Result<HashSet<PhotoId>, IndexError> {
        let (owner, ids) = (owner.clone(), ids.to_vec());
        self.with(move |connection| {
            let mut statement = connection
                .prepare_cached("SELECT 1 FROM photos WHERE owner = ?1 AND id = ?2")
                .map_err(unavailable)?;
            let mut found = HashSet::new();
            for id in ids {
                if statement
                    .exists(params![owner.as_str(), id.as_str()])
                    .map_err(unavailable)?
                {
                    found.insert(id);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn insert(&self, record: &PhotoRecord) -> Result<Inserted, IndexError> {
        let record = record.clone();
        self.with(move |connection| {
            let format = |time: OffsetDateTime| {
                time.format(&Rfc3339)
                    .map_err(|error| IndexError::Corrupt(error.to_string()))
            };
            let details = serde_json::to_string(&Details {
                filename: record.filename.clone(),
                content_type: record.content_type.clone(),
                bytes: record.bytes,
                width: record.width,
                height: record.height,
                metadata: record.metadata.clone(),
                thumb: record.thumb.clone(),
                web: record.web.clone(),
                placeholder: record.placeholder.clone(),
            })
            .map_err(|error| IndexError::Corrupt(error.to_string()))?;
            let taken_ms = (record.taken_at.unix_timestamp_nanos() / 1_000_000) as i64;
            let added = connection
                .execute(
                    "INSERT INTO photos (owner, id, taken_ms, taken_at, uploaded_at, details)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (owner, id) DO NOTHING",
                    params![
                        record.owner.as_str(),
                        record.id.as_str(),
                        taken_ms,
                        format(record.taken_at)?,
                        format(record.uploaded_at)?,
                        details
                    ],
                )
                .map_err(unavailable)?;
            if added == 1 {
                return Ok(Inserted::New);
            }
            let existing = get(connection, &record.owner, &record.id)?
                .ok_or_else(|| IndexError::Corrupt("a conflicting row vanished".into()))?;
            Ok(Inserted::AlreadyThere(Box::new(existing)))
        })
        .await
    }

    async fn page(
        &self,
        owner: &Owner,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        let owner = owner.clone();
        // From the very newest: past any real time, and past any id.
        let (taken_ms, id) = after.map_or((i64::MAX, "g".to_owned()), |after| {
            (after.taken_ms, after.id.as_str().to_owned())
        });
        self.with(move |connection| {
            let mut statement = connection
                .prepare_cached(
                    "SELECT id, taken_at, uploaded_at, details FROM photos
                     WHERE owner = ?1 AND (taken_ms < ?2 OR (taken_ms = ?2 AND id < ?3))
                     ORDER BY taken_ms DESC, id DESC LIMIT ?4",
                )
                .map_err(unavailable)?;
            let mut rows = statement
                .query(params![owner.as_str(), taken_ms, id, limit as i64])
                .map_err(unavailable)?;
            let mut records = Vec::new();
            while let Some(row) = rows.next().map_err(unavailable)? {
                records.push(read_row(&owner, row)?);
            }
            Ok(records)
        })
        .await
    }
}
