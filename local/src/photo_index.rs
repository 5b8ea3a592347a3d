//! The photo index in SQLite (`data/index.sqlite3`): the local implementation of
//! the API's [`PhotoIndex`]; DynamoDB plays this part in AWS.
//!
//! One row per (owner, photo id). The timeline index orders by capture time on
//! the camera's clock, then id, so photos of a burst taken in the same second are
//! all kept and always come back in the same order. `days` counts photos per day,
//! changed in the same transaction as the rows it counts.
//!
//! Writes run on tokio's blocking pool on the one writing connection; reads,
//! short and bounded, run in place on a free reading connection, several side
//! by side (WAL).

use std::{
    collections::HashMap,
    path::Path,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use api_types::photo::LiveVideo;
use async_trait::async_trait;
use lambda_index::store::{
    DayCount, IndexError, Inserted, LiveHalf, LivePair, Owner, PhotoId, PhotoIndex, PhotoRecord,
    PhotoState, Position, Presence, StateChange, View, YearMonth, clock_ms,
    index::{decode_details, encode_details},
};
use rusqlite::{Connection, OptionalExtension, params};
use time::{
    Date, OffsetDateTime,
    format_description::{FormatItem, well_known::Rfc3339},
    macros::format_description,
};

const DAY_FORMAT: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

use crate::StartError;

/// The schema's version, in `PRAGMA user_version`: 0 is a new database (or the
/// first release's, which ordered by UTC and had no counts; [`migrate`] moves it).
/// 3 added `delete_allowance` (the schema's `IF NOT EXISTS` adds it to a
/// version 1 or 2 database), 4 the column `shares.show_location` (added by
/// [`migrate`], false for the links made before it), 5 `live_pairs` and the
/// column `timeline.shown` (added by [`migrate`], true for every photo before),
/// 6 the state columns `favorite`, `in_archive`, `trashed_ms` (added by
/// [`migrate`]: every photo before is plain), their views' indexes and
/// `view_days`.
const SCHEMA_VERSION: i64 = 6;

/// The timeline is the table's own order (its primary key), so a page is one
/// contiguous read, not a seek into the table per photo from a separate index
/// (which was most of a page's time under load: `cargo xtask bench`).
/// `photo_ids` finds a photo by id.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS timeline (
    owner       TEXT    NOT NULL,
    clock_ms    INTEGER NOT NULL,  -- capture time on the camera's clock, ms
    id          TEXT    NOT NULL,
    day         TEXT    NOT NULL,  -- YYYY-MM-DD on the camera's clock
    taken_at    TEXT    NOT NULL,  -- RFC 3339 with the offset it was taken at
    uploaded_at TEXT    NOT NULL,
    details     TEXT    NOT NULL,  -- JSON: file, sizes, previews, EXIF
    shown       INTEGER NOT NULL DEFAULT 1,  -- 0: a Live Photo's video, shown by its still
    -- The record's state (its details hold it too), as columns to index views by.
    favorite    INTEGER NOT NULL DEFAULT 0,
    in_archive  INTEGER NOT NULL DEFAULT 0,
    trashed_ms  INTEGER,           -- when it was trashed, ms since 1970 (UTC)
    PRIMARY KEY (owner, clock_ms, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS photo_ids (
    owner    TEXT    NOT NULL,
    id       TEXT    NOT NULL,
    clock_ms INTEGER NOT NULL,
    PRIMARY KEY (owner, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS days (
    owner TEXT    NOT NULL,
    day   TEXT    NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (owner, day)
) WITHOUT ROWID;
-- The other views' counts per day (the timeline's are `days`).
CREATE TABLE IF NOT EXISTS view_days (
    owner TEXT    NOT NULL,
    view  TEXT    NOT NULL,  -- favorites, archive, trash
    day   TEXT    NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (owner, view, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS albums (
    owner      TEXT NOT NULL,
    id         TEXT NOT NULL,
    title      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    cover      TEXT,           -- the chosen cover's photo id
    PRIMARY KEY (owner, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS album_photos (
    owner    TEXT    NOT NULL,
    album    TEXT    NOT NULL,
    clock_ms INTEGER NOT NULL,  -- the photo's, so an album pages like the timeline
    photo    TEXT    NOT NULL,
    PRIMARY KEY (owner, album, clock_ms, photo)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS album_photos_by_photo ON album_photos (owner, photo);
CREATE TABLE IF NOT EXISTS shares (
    token          TEXT    NOT NULL PRIMARY KEY,
    owner          TEXT    NOT NULL,
    album          TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    expires_at     TEXT,
    allow_download INTEGER NOT NULL,
    show_location  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shares_by_owner ON shares (owner, created_at);
CREATE TABLE IF NOT EXISTS live_pairs (
    owner   TEXT NOT NULL,
    live_id TEXT NOT NULL,  -- the content identifier both halves carry
    still   TEXT,
    video   TEXT,
    PRIMARY KEY (owner, live_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS delete_allowance (
    owner TEXT    NOT NULL,
    since INTEGER NOT NULL,  -- the window's start, seconds since 1970
    taken INTEGER NOT NULL,
    PRIMARY KEY (owner, since)
) WITHOUT ROWID;
";

/// Each view but the timeline (the table's own order) pages along an index
/// holding only its photos; the purge finds the longest trashed first. Made
/// after [`migrate`] has added the columns they name.
const VIEW_INDEXES: &str = "
CREATE INDEX IF NOT EXISTS favorites_view ON timeline (owner, clock_ms, id)
    WHERE favorite AND trashed_ms IS NULL AND shown;
CREATE INDEX IF NOT EXISTS archive_view ON timeline (owner, clock_ms, id)
    WHERE in_archive AND trashed_ms IS NULL AND shown;
CREATE INDEX IF NOT EXISTS trash_view ON timeline (owner, clock_ms, id)
    WHERE trashed_ms IS NOT NULL;
CREATE INDEX IF NOT EXISTS trash_due ON timeline (trashed_ms)
    WHERE trashed_ms IS NOT NULL;
";

/// Which rows of `timeline` a view lists: the same terms as its index's.
fn view_filter(view: View) -> &'static str {
    match view {
        View::Timeline => "NOT in_archive AND trashed_ms IS NULL AND shown",
        View::Favorites => "favorite AND trashed_ms IS NULL AND shown",
        View::Archive => "in_archive AND trashed_ms IS NULL AND shown",
        View::Trash => "trashed_ms IS NOT NULL AND shown",
    }
}

mod albums;

#[derive(Clone)]
pub struct SqliteIndex {
    /// Inserts and removes, one at a time.
    writer: Arc<Mutex<Connection>>,
    /// Reads run side by side (WAL lets readers work while the writer writes).
    readers: Arc<Vec<Mutex<Connection>>>,
    next_reader: Arc<AtomicUsize>,
}

impl SqliteIndex {
    pub fn open(data_dir: &Path) -> Result<SqliteIndex, StartError> {
        let path = data_dir.join("index.sqlite3");
        let fail =
            |error: rusqlite::Error| StartError::Index(format!("{}: {error}", path.display()));
        let connect = || -> rusqlite::Result<Connection> {
            let connection = Connection::open(&path)?;
            connection.busy_timeout(std::time::Duration::from_secs(5))?;
            connection.execute_batch("PRAGMA synchronous = NORMAL;")?;
            Ok(connection)
        };
        let mut writer = connect().map_err(fail)?;
        writer
            .execute_batch("PRAGMA journal_mode = WAL;")
            .map_err(fail)?;
        migrate(&mut writer).map_err(fail)?;
        let count = std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(2, 8);
        let readers = (0..count)
            .map(|_| {
                let reader = connect()?;
                // Pages are read straight from the mapped file, not copied in
                // by a system call each: a tenth of a page's cost under load.
                reader.execute_batch("PRAGMA query_only = ON; PRAGMA mmap_size = 1073741824;")?;
                Ok(Mutex::new(reader))
            })
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(fail)?;
        Ok(SqliteIndex {
            writer: Arc::new(Mutex::new(writer)),
            readers: Arc::new(readers),
            next_reader: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Runs `work` with the writing connection, on the blocking pool.
    async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, IndexError> + Send + 'static,
    ) -> Result<T, IndexError> {
        let writer = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let connection = writer
                .lock()
                .map_err(|_| IndexError::Unavailable("the index lock is poisoned".into()))?;
            work(&connection)
        })
        .await
        .map_err(|error| IndexError::Unavailable(error.to_string()))?
    }

    /// Runs `work` with a free reading connection.
    ///
    /// A read is one indexed range of at most a page of rows (tens of
    /// microseconds), so with a connection free it runs right here: sending it
    /// to the blocking pool costs two thread wake-ups, more than the read, and
    /// on a small machine they were the largest cost of `GET /photos` under
    /// load. When every connection is busy it waits on the blocking pool instead.
    async fn read<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, IndexError> + Send + 'static,
    ) -> Result<T, IndexError> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        let work = match self.read_in_place(start, work) {
            Ok(result) => return result,
            Err(work) => work,
        };
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let connection = readers[start % readers.len()]
                .lock()
                .map_err(|_| IndexError::Unavailable("the index lock is poisoned".into()))?;
            work(&connection)
        })
        .await
        .map_err(|error| IndexError::Unavailable(error.to_string()))?
    }

    /// Runs `work` now if a reading connection is free, else hands it back.
    fn read_in_place<T, W>(&self, start: usize, work: W) -> Result<Result<T, IndexError>, W>
    where
        W: FnOnce(&Connection) -> Result<T, IndexError>,
    {
        let count = self.readers.len();
        let free =
            (0..count).find_map(|offset| self.readers[(start + offset) % count].try_lock().ok());
        match free {
            Some(connection) => Ok(work(&connection)),
            None => Err(work),
        }
    }

    /// Whether `owner` has photo `id` (the sweep asks this of every stray object).
    pub fn contains_blocking(&self, owner: &str, id: &str) -> Result<bool, IndexError> {
        let connection = self.readers[0]
            .lock()
            .map_err(|_| IndexError::Unavailable("the index lock is poisoned".into()))?;
        connection
            .query_row(
                "SELECT 1 FROM photo_ids WHERE owner = ?1 AND id = ?2",
                params![owner, id],
                |_| Ok(()),
            )
            .optional()
            .map(|row| row.is_some())
            .map_err(unavailable)
    }
}

/// Brings the database to [`SCHEMA_VERSION`], in one transaction.
fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version >= SCHEMA_VERSION {
        return Ok(());
    }
    let transaction = connection.transaction()?;
    let first_release = transaction
        .prepare("SELECT 1 FROM pragma_table_info('photos') WHERE name = 'taken_ms'")?
        .exists([])?;
    if first_release {
        // It ordered by UTC and kept no counts: recompute both from taken_at.
        transaction.execute_batch(
            "ALTER TABLE photos RENAME TO photos_v0; DROP INDEX IF EXISTS timeline;",
        )?;
        transaction.execute_batch(SCHEMA)?;
        let rows: Vec<(String, String, String, String, String)> = transaction
            .prepare("SELECT owner, id, taken_at, uploaded_at, details FROM photos_v0")?
            .query_map([], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (owner, id, taken_at, uploaded_at, details) in rows {
            let Ok(at) = OffsetDateTime::parse(&taken_at, &Rfc3339) else {
                tracing::warn!(%id, "a photo with an unreadable time was left out of the migration");
                continue;
            };
            write_row(
                &transaction,
                &owner,
                &id,
                at,
                &taken_at,
                &uploaded_at,
                &details,
                &PhotoState::default(),
            )?;
        }
        transaction.execute_batch("DROP TABLE photos_v0;")?;
    } else {
        transaction.execute_batch(SCHEMA)?;
    }
    let has_show_location = transaction
        .prepare("SELECT 1 FROM pragma_table_info('shares') WHERE name = 'show_location'")?
        .exists([])?;
    if !has_show_location {
        transaction.execute_batch(
            "ALTER TABLE shares ADD COLUMN show_location INTEGER NOT NULL DEFAULT 0;",
        )?;
    }
    let has_shown = transaction
        .prepare("SELECT 1 FROM pragma_table_info('timeline') WHERE name = 'shown'")?
        .exists([])?;
    if !has_shown {
        transaction
            .execute_batch("ALTER TABLE timeline ADD COLUMN shown INTEGER NOT NULL DEFAULT 1;")?;
    }
    let has_state = transaction
        .prepare("SELECT 1 FROM pragma_table_info('timeline') WHERE name = 'trashed_ms'")?
        .exists([])?;
    if !has_state {
        transaction.execute_batch(
            "ALTER TABLE timeline ADD COLUMN favorite INTEGER NOT NULL DEFAULT 0;
             ALTER TABLE timeline ADD COLUMN in_archive INTEGER NOT NULL DEFAULT 0;
             ALTER TABLE timeline ADD COLUMN trashed_ms INTEGER;",
        )?;
    }
    transaction.execute_batch(VIEW_INDEXES)?;
    transaction.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    transaction.commit()
}

/// Adds a photo's row and counts it on its day in each of its views; `false`
/// if the row was there.
#[allow(clippy::too_many_arguments)]
fn write_row(
    connection: &Connection,
    owner: &str,
    id: &str,
    taken_at: OffsetDateTime,
    taken_at_text: &str,
    uploaded_at_text: &str,
    details: &str,
    state: &PhotoState,
) -> rusqlite::Result<bool> {
    let day = day_text(taken_at.date());
    let clock = clock_ms(taken_at);
    let added = connection
        .prepare_cached(
            "INSERT INTO photo_ids (owner, id, clock_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (owner, id) DO NOTHING",
        )?
        .execute(params![owner, id, clock])?;
    if added == 1 {
        connection
            .prepare_cached(
                "INSERT INTO timeline (owner, clock_ms, id, day, taken_at, uploaded_at, details,
                                       favorite, in_archive, trashed_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                owner,
                clock,
                id,
                day,
                taken_at_text,
                uploaded_at_text,
                details,
                state.favorite,
                state.in_archive,
                state.trashed_at.map(unix_ms),
            ])?;
        recount(connection, owner, &day, state, Step::Add)?;
    }
    Ok(added == 1)
}

fn unix_ms(at: OffsetDateTime) -> i64 {
    (at.unix_timestamp_nanos() / 1_000_000) as i64
}

#[derive(Clone, Copy)]
enum Step {
    Add,
    Take,
}

/// Counts one photo on `day` in each view `state` lists it in, or takes it off.
fn recount(
    connection: &Connection,
    owner: &str,
    day: &str,
    state: &PhotoState,
    step: Step,
) -> rusqlite::Result<()> {
    for view in state.views() {
        match step {
            Step::Add => count(connection, owner, view, day)?,
            Step::Take => uncount(connection, owner, view, day)?,
        }
    }
    Ok(())
}

/// Adds one photo to `day`'s count in `view`.
fn count(connection: &Connection, owner: &str, view: View, day: &str) -> rusqlite::Result<()> {
    match view {
        View::Timeline => connection
            .prepare_cached(
                "INSERT INTO days (owner, day, count) VALUES (?1, ?2, 1)
                 ON CONFLICT (owner, day) DO UPDATE SET count = count + 1",
            )?
            .execute(params![owner, day]),
        other => connection
            .prepare_cached(
                "INSERT INTO view_days (owner, view, day, count) VALUES (?1, ?2, ?3, 1)
                 ON CONFLICT (owner, view, day) DO UPDATE SET count = count + 1",
            )?
            .execute(params![owner, other.name(), day]),
    }
    .map(drop)
}

/// Takes one photo off `day`'s count in `view`; the day's last takes the
/// count with it (never a zero).
fn uncount(connection: &Connection, owner: &str, view: View, day: &str) -> rusqlite::Result<()> {
    let (lower, delete) = match view {
        View::Timeline => (
            "UPDATE days SET count = count - 1 WHERE owner = ?1 AND day = ?2 AND count > 1",
            "DELETE FROM days WHERE owner = ?1 AND day = ?2",
        ),
        _ => (
            "UPDATE view_days SET count = count - 1
             WHERE owner = ?1 AND day = ?2 AND view = ?3 AND count > 1",
            "DELETE FROM view_days WHERE owner = ?1 AND day = ?2 AND view = ?3",
        ),
    };
    let run = |sql: &str| -> rusqlite::Result<usize> {
        let mut statement = connection.prepare_cached(sql)?;
        match view {
            View::Timeline => statement.execute(params![owner, day]),
            other => statement.execute(params![owner, day, other.name()]),
        }
    };
    if run(lower)? == 0 {
        run(delete)?;
    }
    Ok(())
}

fn day_text(day: Date) -> String {
    day.to_string()
}

fn unavailable(error: rusqlite::Error) -> IndexError {
    IndexError::Unavailable(error.to_string())
}

/// A stored time (RFC 3339 text) read back.
fn parse_time(value: &str) -> Result<OffsetDateTime, IndexError> {
    OffsetDateTime::parse(value, &Rfc3339)
        .map_err(|error| IndexError::Corrupt(format!("a time: {error}")))
}

/// A time as it is stored: RFC 3339 text, offset kept.
fn format_time(at: OffsetDateTime) -> Result<String, IndexError> {
    at.format(&Rfc3339)
        .map_err(|error| IndexError::Corrupt(format!("a time: {error}")))
}

fn read_row(owner: &Owner, row: &rusqlite::Row<'_>) -> Result<PhotoRecord, IndexError> {
    let text = |index| row.get::<_, String>(index).map_err(unavailable);
    let corrupt = |what: &str, error: String| IndexError::Corrupt(format!("{what}: {error}"));
    let id = text(0)?;
    decode_details(
        &text(3)?,
        owner.clone(),
        PhotoId::parse(&id).ok_or_else(|| corrupt("an id", id.clone()))?,
        parse_time(&text(1)?)?,
        parse_time(&text(2)?)?,
    )
}

/// Every row of a query for `id, taken_at, uploaded_at, details`, as records.
fn read_rows(owner: &Owner, mut rows: rusqlite::Rows<'_>) -> Result<Vec<PhotoRecord>, IndexError> {
    let mut records = Vec::new();
    while let Some(row) = rows.next().map_err(unavailable)? {
        records.push(read_row(owner, row)?);
    }
    Ok(records)
}

fn get(
    connection: &Connection,
    owner: &Owner,
    id: &PhotoId,
) -> Result<Option<PhotoRecord>, IndexError> {
    let mut statement = connection
        .prepare_cached(
            "SELECT t.id, t.taken_at, t.uploaded_at, t.details
             FROM photo_ids p JOIN timeline t
               ON t.owner = p.owner AND t.clock_ms = p.clock_ms AND t.id = p.id
             WHERE p.owner = ?1 AND p.id = ?2",
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
        self.read(move |connection| get(connection, &owner, &id))
            .await
    }

    async fn existing(
        &self,
        owner: &Owner,
        ids: &[PhotoId],
    ) -> Result<HashMap<PhotoId, Presence>, IndexError> {
        let (owner, ids) = (owner.clone(), ids.to_vec());
        self.read(move |connection| {
            let mut statement = connection
                .prepare_cached(
                    "SELECT t.trashed_ms IS NOT NULL
                     FROM photo_ids p JOIN timeline t
                       ON t.owner = p.owner AND t.clock_ms = p.clock_ms AND t.id = p.id
                     WHERE p.owner = ?1 AND p.id = ?2",
                )
                .map_err(unavailable)?;
            let mut found = HashMap::new();
            for id in ids {
                let trashed: Option<bool> = statement
                    .query_row(params![owner.as_str(), id.as_str()], |row| row.get(0))
                    .optional()
                    .map_err(unavailable)?;
                if let Some(trashed) = trashed {
                    let presence = if trashed {
                        Presence::Trashed
                    } else {
                        Presence::Kept
                    };
                    found.insert(id, presence);
                }
            }
            Ok(found)
        })
        .await
    }

    async fn insert(&self, record: &PhotoRecord) -> Result<Inserted, IndexError> {
        let record = record.clone();
        self.write(move |connection| {
            let details = encode_details(&record)?;
            let transaction = connection.unchecked_transaction().map_err(unavailable)?;
            let added = write_row(
                &transaction,
                record.owner.as_str(),
                record.id.as_str(),
                record.taken_at,
                &format_time(record.taken_at)?,
                &format_time(record.uploaded_at)?,
                &details,
                &record.state,
            )
            .map_err(unavailable)?;
            transaction.commit().map_err(unavailable)?;
            if added {
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
        view: View,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        let owner = owner.clone();
        let sql = format!(
            "SELECT id, taken_at, uploaded_at, details FROM timeline
             WHERE owner = ?1 AND (clock_ms, id) < (?2, ?3) AND {}
             ORDER BY clock_ms DESC, id DESC LIMIT ?4",
            view_filter(view)
        );
        // From the very newest: past any real time, and past any id.
        let (clock_ms, id) = after.map_or((i64::MAX, "g".to_owned()), |after| {
            (after.clock_ms, after.id.as_str().to_owned())
        });
        self.read(move |connection| {
            let mut statement = connection.prepare_cached(&sql).map_err(unavailable)?;
            let rows = statement
                .query(params![owner.as_str(), clock_ms, id, limit as i64])
                .map_err(unavailable)?;
            read_rows(&owner, rows)
        })
        .await
    }

    async fn remove(&self, owner: &Owner, id: &PhotoId) -> Result<Option<PhotoRecord>, IndexError> {
        let (owner, id) = (owner.clone(), id.clone());
        self.write(move |connection| {
            let transaction = connection.unchecked_transaction().map_err(unavailable)?;
            let Some(record) = get(&transaction, &owner, &id)? else {
                return Ok(None);
            };
            let day = day_text(record.day());
            let forget = || -> rusqlite::Result<()> {
                let clock: i64 = transaction.query_row(
                    "DELETE FROM photo_ids WHERE owner = ?1 AND id = ?2 RETURNING clock_ms",
                    params![owner.as_str(), id.as_str()],
                    |row| row.get(0),
                )?;
                let shown: bool = transaction.query_row(
                    "DELETE FROM timeline WHERE owner = ?1 AND clock_ms = ?2 AND id = ?3
                     RETURNING shown",
                    params![owner.as_str(), clock, id.as_str()],
                    |row| row.get(0),
                )?;
                // It leaves every album with it.
                transaction.execute(
                    "DELETE FROM album_photos WHERE owner = ?1 AND photo = ?2",
                    params![owner.as_str(), id.as_str()],
                )?;
                // A Live Photo's video left its day's counts when it was joined.
                if shown {
                    recount(
                        &transaction,
                        owner.as_str(),
                        &day,
                        &record.state,
                        Step::Take,
                    )?;
                }
                Ok(())
            };
            forget().map_err(unavailable)?;
            transaction.commit().map_err(unavailable)?;
            Ok(Some(record))
        })
        .await
    }

    async fn day_counts(
        &self,
        owner: &Owner,
        view: View,
        month: Option<YearMonth>,
    ) -> Result<Vec<DayCount>, IndexError> {
        let owner = owner.clone();
        let (sql, view) = match view {
            View::Timeline => (
                "SELECT day, count FROM days WHERE owner = ?1 AND day > ?2 AND day < ?3
                 ORDER BY day DESC",
                None,
            ),
            other => (
                "SELECT day, count FROM view_days
                 WHERE owner = ?1 AND day > ?2 AND day < ?3 AND view = ?4 ORDER BY day DESC",
                Some(other.name()),
            ),
        };
        // Day texts sort as dates do; a month's are those starting `YYYY-MM-`.
        let (from, to) = match month {
            Some(month) => (format!("{month}-"), format!("{month}-~")),
            None => (String::new(), "~".to_owned()),
        };
        self.read(move |connection| {
            let mut statement = connection.prepare_cached(sql).map_err(unavailable)?;
            let rows = statement
                .query_map(
                    rusqlite::params_from_iter(
                        [owner.as_str(), &from, &to].into_iter().chain(view),
                    ),
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, u32>(1)?)),
                )
                .map_err(unavailable)?;
            rows.map(|row| {
                let (day, count) = row.map_err(unavailable)?;
                let day = Date::parse(&day, DAY_FORMAT)
                    .map_err(|_| IndexError::Corrupt(format!("a day: {day}")))?;
                Ok(DayCount { day, count })
            })
            .collect()
        })
        .await
    }

    async fn note_live(
        &self,
        owner: &Owner,
        live_id: &str,
        half: LiveHalf,
        id: &PhotoId,
    ) -> Result<LivePair, IndexError> {
        let (owner, live_id, id) = (
            owner.as_str().to_owned(),
            live_id.to_owned(),
            id.as_str().to_owned(),
        );
        let statement = match half {
            LiveHalf::Still => {
                "INSERT INTO live_pairs (owner, live_id, still) VALUES (?1, ?2, ?3)
                 ON CONFLICT (owner, live_id) DO UPDATE SET still = excluded.still
                 RETURNING still, video"
            }
            LiveHalf::Video => {
                "INSERT INTO live_pairs (owner, live_id, video) VALUES (?1, ?2, ?3)
                 ON CONFLICT (owner, live_id) DO UPDATE SET video = excluded.video
                 RETURNING still, video"
            }
        };
        let (still, video) = self
            .write(move |connection| {
                connection
                    .prepare_cached(statement)
                    .and_then(|mut statement| {
                        statement.query_row(params![owner, live_id, id], |row| {
                            Ok((
                                row.get::<_, Option<String>>(0)?,
                                row.get::<_, Option<String>>(1)?,
                            ))
                        })
                    })
                    .map_err(unavailable)
            })
            .await?;
        LivePair::stored(still, video)
    }

    async fn join_live(
        &self,
        owner: &Owner,
        still: &PhotoId,
        video: &LiveVideo,
    ) -> Result<bool, IndexError> {
        let (owner, still, video) = (owner.clone(), still.clone(), video.clone());
        self.write(move |connection| {
            let transaction = connection.unchecked_transaction().map_err(unavailable)?;
            let Some(mut record) = get(&transaction, &owner, &still)? else {
                return Ok(false);
            };
            record.live = Some(video.clone());
            let details = encode_details(&record)?;
            let video_record = match PhotoId::parse(&video.id) {
                Some(id) => get(&transaction, &owner, &id)?,
                None => None,
            };
            let join = || -> rusqlite::Result<()> {
                transaction.execute(
                    "UPDATE timeline SET details = ?4 WHERE owner = ?1 AND clock_ms = ?2 AND id = ?3",
                    params![owner.as_str(), clock_ms(record.taken_at), still.as_str(), details],
                )?;
                let hidden_on: Option<String> = transaction
                    .query_row(
                        "UPDATE timeline SET shown = 0
                         WHERE (owner, clock_ms, id) IN
                               (SELECT owner, clock_ms, id FROM photo_ids
                                WHERE owner = ?1 AND id = ?2)
                           AND shown
                         RETURNING day",
                        params![owner.as_str(), video.id],
                        |row| row.get(0),
                    )
                    .optional()?;
                if let (Some(day), Some(video)) = (hidden_on, &video_record) {
                    recount(&transaction, owner.as_str(), &day, &video.state, Step::Take)?;
                }
                Ok(())
            };
            join().map_err(unavailable)?;
            transaction.commit().map_err(unavailable)?;
            Ok(true)
        })
        .await
    }

    async fn take_delete(
        &self,
        owner: &Owner,
        window: i64,
        limit: u32,
    ) -> Result<Option<u32>, IndexError> {
        if limit == 0 {
            return Ok(None);
        }
        let owner = owner.as_str().to_owned();
        self.write(move |connection| {
            let take = || -> rusqlite::Result<Option<u32>> {
                connection
                    .prepare_cached("DELETE FROM delete_allowance WHERE owner = ?1 AND since < ?2")?
                    .execute(params![owner, window])?;
                connection
                    .prepare_cached(
                        "INSERT INTO delete_allowance (owner, since, taken) VALUES (?1, ?2, 1)
                         ON CONFLICT (owner, since) DO UPDATE SET taken = taken + 1
                         WHERE taken < ?3
                         RETURNING taken",
                    )?
                    .query_row(params![owner, window, limit], |row| row.get(0))
                    .optional()
            };
            take().map_err(unavailable)
        })
        .await
    }

    async fn change(
        &self,
        owner: &Owner,
        id: &PhotoId,
        change: StateChange,
    ) -> Result<Option<PhotoRecord>, IndexError> {
        let (owner, id) = (owner.clone(), id.clone());
        self.write(move |connection| {
            let transaction = connection.unchecked_transaction().map_err(unavailable)?;
            let Some(record) = get(&transaction, &owner, &id)? else {
                return Ok(None);
            };
            // A Live Photo's video is kept as its still is.
            if !shown(&transaction, &owner, &record)? {
                return Ok(None);
            }
            let state = record.state.with(change);
            if state == record.state {
                return Ok(Some(record));
            }
            let before = record.state;
            let changed = PhotoRecord { state, ..record };
            let details = encode_details(&changed)?;
            let day = day_text(changed.day());
            let write = || -> rusqlite::Result<()> {
                recount(&transaction, owner.as_str(), &day, &before, Step::Take)?;
                recount(&transaction, owner.as_str(), &day, &state, Step::Add)?;
                transaction
                    .prepare_cached(
                        "UPDATE timeline SET details = ?4, favorite = ?5, in_archive = ?6,
                                             trashed_ms = ?7
                         WHERE owner = ?1 AND clock_ms = ?2 AND id = ?3",
                    )?
                    .execute(params![
                        owner.as_str(),
                        clock_ms(changed.taken_at),
                        id.as_str(),
                        details,
                        state.favorite,
                        state.in_archive,
                        state.trashed_at.map(unix_ms),
                    ])?;
                Ok(())
            };
            write().map_err(unavailable)?;
            transaction.commit().map_err(unavailable)?;
            Ok(Some(changed))
        })
        .await
    }

    async fn trashed_before(
        &self,
        before: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<(Owner, PhotoId)>, IndexError> {
        self.read(move |connection| {
            let mut statement = connection
                .prepare_cached(
                    "SELECT owner, id FROM timeline
                     WHERE trashed_ms IS NOT NULL AND trashed_ms < ?1 AND shown
                     ORDER BY trashed_ms LIMIT ?2",
                )
                .map_err(unavailable)?;
            let rows = statement
                .query_map(params![unix_ms(before), limit as i64], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .map_err(unavailable)?;
            rows.map(|row| {
                let (owner, id) = row.map_err(unavailable)?;
                let corrupt = || IndexError::Corrupt(format!("a trashed photo: {owner} {id}"));
                Ok((
                    Owner::new(&owner).ok_or_else(corrupt)?,
                    PhotoId::parse(&id).ok_or_else(corrupt)?,
                ))
            })
            .collect()
        })
        .await
    }
}

/// Whether `record`'s row is listed in views of its own (not a Live Photo's
/// video, which its still shows).
fn shown(connection: &Connection, owner: &Owner, record: &PhotoRecord) -> Result<bool, IndexError> {
    connection
        .prepare_cached("SELECT shown FROM timeline WHERE owner = ?1 AND clock_ms = ?2 AND id = ?3")
        .and_then(|mut statement| {
            statement.query_row(
                params![
                    owner.as_str(),
                    clock_ms(record.taken_at),
                    record.id.as_str()
                ],
                |row| row.get(0),
            )
        })
        .map_err(unavailable)
}
