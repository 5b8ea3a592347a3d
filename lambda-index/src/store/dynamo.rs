//! [`DynamoIndex`]: the photo index, albums and share links in one DynamoDB
//! table, the AWS side of [`PhotoIndex`] and [`AlbumIndex`]. Every access
//! pattern is a key lookup or a range query on one partition; nothing scans.
//! This module owns the table and the photos; `albums` the [`AlbumIndex`]
//! calls; `client` the wire.
//!
//! [`AlbumIndex`]: super::AlbumIndex
//!
//! ## The table
//! | item | `pk` | `sk` | other attributes |
//! |---|---|---|---|
//! | a photo | `U#{sub}` | `P#{photo id}` | `tl` (timeline key), `taken_at`, `uploaded_at`, `details` (JSON, its state too), `albums` (string set of album ids), `trashed` (when, while in the trash); `parked` instead of `tl` for a photo out of the timeline (archived, trashed, a Live Photo's video) |
//! | a day's count | `U#{sub}` | `D#{YYYY-MM-DD}` | `n` (number), `ids` (string set of id prefixes) |
//! | a photo in Favorites, the archive, the trash | `U#{sub}` | `F#{tl}`, `H#{tl}`, `T#{tl}` | as a photo in an album (a copy) |
//! | a day's count in those views | `U#{sub}` | `DF#`, `DH#`, `DT#{YYYY-MM-DD}` | as a day's count |
//! | the purge's queue | `TRASH` | `{sub}#{photo id}` | `tl` (`{trash time}#{sub}#{id}`), `owner`, `id` |
//! | an album | `U#{sub}` | `A#{album id}` | `title`, `created_at`, `updated_at`, `cover` (the chosen cover's `tl`), `n`, `ids` (as a day's count) |
//! | a photo in an album | `U#{sub}` | `M#{album id}#{tl}` | `taken_at`, `uploaded_at`, `details` (the photo's, copied), `trashed` (while it is) |
//! | a share link, by token | `S#{token}` | `S#{token}` | `owner`, `album`, `created_at`, `expires_at`, `allow_download`, `show_location` (absent: false) |
//! | a share link, by owner | `U#{sub}` | `L#{token}` | the same |
//! | deletes taken in a window | `U#{sub}` | `X#{window start, unix seconds}` | `n`, `expires` (time to live) |
//! | a Live Photo's halves | `U#{sub}` | `V#{content identifier}` | `still`, `video` (photo ids, each once noted) |
//!
//! - One photo by id, dedup before upload: `GetItem` / `BatchGetItem` on `P#{id}`.
//! - The timeline: the local secondary index `timeline` on (`pk`, `tl`), where
//!   `tl` is the camera-clock time, order-preserving hex, then `#` and the id, so
//!   bursts never collide. A page is a `Query` below the last position, newest
//!   first. Only photos carry `tl`, so the index holds nothing else. A local
//!   (not global) index reads consistently: a photo just deleted is not listed.
//! - Counts per day: a `Query` on `D#` (or `D#2024-05-`), newest first; a
//!   view's on its own prefix (`DT#`).
//! - Favorites, the archive and the trash (`views.rs`): each a `Query` on its
//!   copies' prefix (`F#`, `H#`, `T#`), newest first, as an album's page. A
//!   change of state writes the photo's item first (conditional on its record
//!   as read, so two changes at once both land), then its copies, counts,
//!   albums' copies and its entry in the purge's queue, each idempotent.
//! - The purge's queue: the `TRASH` partition's items in the `timeline`
//!   index, oldest trash time first, below the time that is due.
//! - A Live Photo: each half, once inserted, is noted on the pair's `V#` item
//!   (`UpdateItem`, answering the item as it now is), so whichever half comes
//!   second learns of the first and joins them: the still's `details` (and its
//!   memberships' copies) gain the video, and the video's `tl` moves to
//!   `parked`, which takes it out of the timeline index and keeps the key that
//!   names its memberships.
//! - The delete allowance: one conditional `UpdateItem` (`ADD n` while `n` is
//!   below the limit) on the window's `X#` item: atomic across Lambda instances.
//! - A user's albums: a `Query` on `A#`, ordered by `updated_at` in memory (a
//!   user has tens of albums, not thousands); one album: `GetItem`.
//! - An album's page: a `Query` on `M#{album id}#`, newest first, below the
//!   last position. A membership holds a copy of the photo's record, so the
//!   page needs no second read: whatever changes the record (a Live Photo's
//!   joining, a change of state) writes its copies again, and removing the
//!   photo removes them. A trashed photo's copy stays, marked `trashed`: the
//!   page filters it out and the album's count leaves it until it is
//!   restored. The cover is the chosen one's membership (`GetItem` on
//!   `M#{album id}#{cover}`) while it is there and not trashed, else the
//!   newest (`Query`, one item).
//! - Which albums a photo is in: its `albums` set, so removing the photo finds
//!   its memberships by key. The set may name more albums than the photo is in
//!   (one deleted since, one it was taken out of), and taking it out of those
//!   is a no-op: names are never taken off, since a concurrent add of the same
//!   photo may have made its membership again; the set only has to hold every
//!   album the photo *is* in.
//! - A share link: `GetItem` on `S#{token}` for the public page; the owner's
//!   list is a `Query` on `L#` in their partition (newest first, in memory),
//!   and revoking, the owner's `L#{token}` first, so nobody revokes another's.
//!
//! ## Counts without transactions
//! A day's count is kept with the set of the photo ids counted in it (the first
//! 16 hex digits of each). Adding an id the set holds, or removing one it does
//! not, changes nothing (a conditional update), so every step can be repeated:
//! a retried commit repairs a count its first try did not reach, and no photo is
//! ever counted twice. (dynalite, which the tests run against, has no
//! `TransactWriteItems`; this needs none.) A set of 16-digit prefixes fits about
//! 23,000 photos in one day's item (DynamoDB's 400 KB). An album counts its
//! photos the same way, so it too holds at most about 23,000.
//!
//! ## Order of writes
//! Without transactions, each operation writes in an order where stopping
//! half-way leaves nothing a user can see wrong, and running it again finishes
//! the job:
//! - adding a photo to an album: the photo's `albums` set first (so a removal
//!   of the photo starting now finds the membership), then the membership, then
//!   the count; then the album's `updated_at`, which fails if the album went
//!   meanwhile (the memberships just made are taken out again), then a second
//!   look at the photos, taking out the membership of any removed meanwhile;
//! - removing a photo: its day's count, its memberships and their counts, then
//!   the photo; memberships of albums it joined meanwhile (the deleted item's
//!   `albums`) after that;
//! - deleting an album: its links (so they stop opening it at once), the album,
//!   then its memberships (`BatchWriteItem`); a membership left behind by a
//!   failure is unreachable, and goes when its photo does;
//! - a share link: the owner's `L#` item before the public `S#` one, and the
//!   other way round when revoked, so no link opens an album unless its owner
//!   can see it in their list and revoke it.

mod albums;
mod attributes;
pub mod client;
mod items;
mod views;

use std::collections::{HashMap, HashSet};

use api_types::photo::LiveVideo;
use async_trait::async_trait;
use serde_json::{Value, json};
use time::{Date, macros::format_description};

pub use client::{CallError, DynamoClient};
use items::{Count, LiveItem, PhotoItem, SortKey, from_json, to_json, view_days_prefix};
use time::OffsetDateTime;
use views::Before;

use super::{
    aws::AwsCredentials,
    index::{
        DayCount, IndexError, Inserted, LiveHalf, LivePair, PhotoIndex, PhotoRecord, Position,
        YearMonth, encode_details,
    },
    keys::{Owner, PhotoId},
    state::{Presence, StateChange, View},
};

/// How many hex digits of an id a day's count keeps: 64 bits, no collisions
/// among one day's photos in practice.
const COUNTED_ID_DIGITS: usize = 16;
const TIMELINE_INDEX: &str = "timeline";
/// How long a delete allowance's item stays: DynamoDB's time to live
/// (`expires`) removes it after a day, long after its window has ended.
const DELETE_WINDOW_KEPT_SECS: i64 = 24 * 3600;

/// Where the table is, and who signs for it.
#[derive(Debug, Clone)]
pub struct DynamoConfig {
    /// `https://dynamodb.{region}.amazonaws.com`, or a local endpoint.
    pub endpoint: String,
    pub table: String,
    pub credentials: AwsCredentials,
    /// The process's HTTP client ([`crate::http`]).
    pub http: reqwest::Client,
}

pub struct DynamoIndex {
    client: DynamoClient,
    table: String,
}

impl From<CallError> for IndexError {
    fn from(error: CallError) -> IndexError {
        match error {
            CallError::Unavailable(why) => IndexError::Unavailable(why),
            other => IndexError::Unavailable(other.to_string()),
        }
    }
}

impl DynamoIndex {
    /// A write with a `ConditionExpression`: whether the condition held (and the
    /// write was made); a failed condition is an answer, not an error.
    async fn write_if(&self, operation: &'static str, body: &Value) -> Result<bool, IndexError> {
        match self.client.call(operation, body).await {
            Ok(_) => Ok(true),
            Err(CallError::ConditionFailed) => Ok(false),
            Err(error) => Err(error.into()),
        }
    }

    /// Puts `item` unless an item with its key is there: `false` if one was.
    async fn put_new(&self, item: Value) -> Result<bool, IndexError> {
        self.write_if(
            "PutItem",
            &json!({
                "TableName": self.table,
                "Item": item,
                "ConditionExpression": "attribute_not_exists(pk)"
            }),
        )
        .await
    }

    pub fn new(config: DynamoConfig) -> Result<DynamoIndex, IndexError> {
        Ok(DynamoIndex {
            client: DynamoClient::new(&config.endpoint, config.credentials, config.http),
            table: config.table,
        })
    }

    /// Creates the table as this module expects it (on demand). The stack
    /// (`infra/`) declares the same; tests and first runs elsewhere use this.
    pub async fn create_table(&self) -> Result<(), IndexError> {
        let string = |name: &str| json!({"AttributeName": name, "AttributeType": "S"});
        self.client
            .call(
                "CreateTable",
                &json!({
                    "TableName": self.table,
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [string("pk"), string("sk"), string("tl")],
                    "KeySchema": [
                        {"AttributeName": "pk", "KeyType": "HASH"},
                        {"AttributeName": "sk", "KeyType": "RANGE"}
                    ],
                    "LocalSecondaryIndexes": [{
                        "IndexName": TIMELINE_INDEX,
                        "KeySchema": [
                            {"AttributeName": "pk", "KeyType": "HASH"},
                            {"AttributeName": "tl", "KeyType": "RANGE"}
                        ],
                        "Projection": {"ProjectionType": "ALL"}
                    }]
                }),
            )
            .await?;
        // Tables are made in the background; wait until this one takes writes.
        for _ in 0..600 {
            let answer = self
                .client
                .call("DescribeTable", &json!({"TableName": self.table}))
                .await?;
            if answer["Table"]["TableStatus"] == "ACTIVE" {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Err(IndexError::Unavailable(format!(
            "the table {} did not become active within a minute",
            self.table
        )))
    }

    /// The item under `key`, read consistently; only the attributes
    /// `projection` names, when given.
    async fn get_item(
        &self,
        key: Value,
        projection: Option<&str>,
    ) -> Result<Option<Value>, IndexError> {
        let mut request = json!({
            "TableName": self.table,
            "Key": key,
            "ConsistentRead": true
        });
        if let Some(projection) = projection {
            request["ProjectionExpression"] = json!(projection);
        }
        let mut answer = self.client.call("GetItem", &request).await?;
        Ok(answer.get_mut("Item").map(Value::take))
    }

    async fn get_consistent(
        &self,
        owner: &Owner,
        id: &PhotoId,
    ) -> Result<Option<PhotoRecord>, IndexError> {
        self.get_item(photo_key(owner, id), None)
            .await?
            .map(|item| read_photo(owner, &item))
            .transpose()
    }

    /// Counts `id` in the item `sk` of `owner`'s partition (a day, an album), or
    /// takes it off; either is a no-op when already so (see the module doc).
    async fn tally(
        &self,
        owner: &Owner,
        sk: &str,
        id: &PhotoId,
        add: bool,
        tally: Tally,
    ) -> Result<(), IndexError> {
        let counted = &id.as_str()[..COUNTED_ID_DIGITS];
        let (update, condition, step) = match (add, tally) {
            (true, Tally::MakesItem) => ("ADD ids :id, n :step", "NOT contains(ids, :counted)", 1),
            // An album's count never makes the album (deleted meanwhile) again.
            (true, Tally::ItemMustExist) => (
                "ADD ids :id, n :step",
                "attribute_exists(pk) AND NOT contains(ids, :counted)",
                1,
            ),
            (false, _) => ("DELETE ids :id ADD n :step", "contains(ids, :counted)", -1),
        };
        let result = self
            .client
            .call(
                "UpdateItem",
                &json!({
                    "TableName": self.table,
                    "Key": {"pk": s(&partition(owner)), "sk": s(sk)},
                    "UpdateExpression": update,
                    "ConditionExpression": condition,
                    "ExpressionAttributeValues": {
                        ":id": {"SS": [counted]},
                        ":counted": s(counted),
                        ":step": n(step)
                    }
                }),
            )
            .await;
        match result {
            Ok(_) | Err(CallError::ConditionFailed) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }

    /// An `UpdateItem` with a `ConditionExpression`: its answer, or `None`
    /// when the condition did not hold.
    async fn write_answer(&self, request: &Value) -> Result<Option<Value>, IndexError> {
        match self.client.call("UpdateItem", request).await {
            Ok(answer) => Ok(Some(answer)),
            Err(CallError::ConditionFailed) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// Deletes `key` if `condition` holds; whether it did.
    async fn delete_if(&self, key: Value, condition: &str) -> Result<bool, IndexError> {
        self.write_if(
            "DeleteItem",
            &json!({
                "TableName": self.table,
                "Key": key,
                "ConditionExpression": condition
            }),
        )
        .await
    }

    /// Which of `ids` are `owner`'s photos; `consistent` to see a photo just
    /// removed as gone.
    async fn photos_there(
        &self,
        owner: &Owner,
        ids: &[PhotoId],
        consistent: bool,
    ) -> Result<HashSet<PhotoId>, IndexError> {
        // DynamoDB refuses a batch naming one key twice (the same file picked
        // twice in one upload batch): ask about each id once.
        let unique: HashSet<&PhotoId> = ids.iter().collect();
        let keys: Vec<Value> = unique.into_iter().map(|id| photo_key(owner, id)).collect();
        let items = self
            .client
            .batch_get(&self.table, &keys, Some("sk"), consistent)
            .await?;
        items
            .iter()
            .map(|item| {
                let key: SortKey = from_json(item, "photo")?;
                key.sk
                    .strip_prefix("P#")
                    .and_then(PhotoId::parse)
                    .ok_or_else(|| IndexError::Corrupt(format!("a photo key: {}", key.sk)))
            })
            .collect()
    }

    /// Which of `ids` are `owner`'s photos, and whether each is trashed.
    async fn presence(
        &self,
        owner: &Owner,
        ids: &[PhotoId],
    ) -> Result<HashMap<PhotoId, Presence>, IndexError> {
        let unique: HashSet<&PhotoId> = ids.iter().collect();
        let keys: Vec<Value> = unique.into_iter().map(|id| photo_key(owner, id)).collect();
        let items = self
            .client
            .batch_get(&self.table, &keys, Some("sk, trashed"), true)
            .await?;
        items
            .iter()
            .map(|item| {
                let key: items::Presence = from_json(item, "photo")?;
                let id = key
                    .sk
                    .strip_prefix("P#")
                    .and_then(PhotoId::parse)
                    .ok_or_else(|| IndexError::Corrupt(format!("a photo key: {}", key.sk)))?;
                let presence = match key.trashed {
                    Some(_) => Presence::Trashed,
                    None => Presence::Kept,
                };
                Ok((id, presence))
            })
            .collect()
    }

    /// Every item a `Query` gives, following DynamoDB's pages, until `want`
    /// items are in hand (a page may come back empty with more after it).
    async fn query(&self, mut request: Value, want: usize) -> Result<Vec<Value>, IndexError> {
        let mut items = Vec::new();
        loop {
            request["Limit"] = json!(want.saturating_sub(items.len()).clamp(1, 1000));
            let answer = self.client.call("Query", &request).await?;
            if let Some(page) = answer["Items"].as_array() {
                items.extend(page.iter().cloned());
            }
            match answer.get("LastEvaluatedKey") {
                Some(last) if items.len() < want => request["ExclusiveStartKey"] = last.clone(),
                _ => return Ok(items),
            }
        }
    }
}

#[async_trait]
impl PhotoIndex for DynamoIndex {
    async fn get(&self, owner: &Owner, id: &PhotoId) -> Result<Option<PhotoRecord>, IndexError> {
        self.get_consistent(owner, id).await
    }

    async fn existing(
        &self,
        owner: &Owner,
        ids: &[PhotoId],
    ) -> Result<HashMap<PhotoId, Presence>, IndexError> {
        // Consistent: a photo committed a moment ago (a second device, a
        // retried batch) is "exists", not three more uploads that the store
        // would refuse with 412. A read unit per photo asked about instead of
        // half of one: a backup of 10,000 photos costs a quarter of a cent more.
        self.presence(owner, ids).await
    }

    async fn insert(&self, record: &PhotoRecord) -> Result<Inserted, IndexError> {
        let item = PhotoItem::of(record)?;
        let place = item.place()?.to_owned();
        if self.put_new(to_json(&item)?).await? {
            self.settle_views(record, &place, Some(&record.state), Before::Nowhere)
                .await?;
            Ok(Inserted::New)
        } else {
            let Some(stored) = self
                .get_item(photo_key(&record.owner, &record.id), None)
                .await?
            else {
                return Err(IndexError::Unavailable(
                    "the photo went while it was committed".into(),
                ));
            };
            let stored: PhotoItem = from_json(&stored, "photo")?;
            let record = stored.record(&record.owner)?;
            // A retried commit: the first try may not have reached the
            // counts. (A Live Photo's video, out of the timeline by no state
            // of its own, stays out of it.)
            if stored.tl.is_some() || !record.state.in_view(View::Timeline) {
                self.settle_views(
                    &record,
                    stored.place()?,
                    Some(&record.state),
                    Before::Unknown,
                )
                .await?;
            }
            Ok(Inserted::AlreadyThere(Box::new(record)))
        }
    }

    async fn page(
        &self,
        owner: &Owner,
        view: View,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        if view != View::Timeline {
            // The other views are copies under their own prefix.
            let prefix = items::view_prefix(view);
            return self.copies(owner, prefix, after, limit, false).await;
        }
        let mut request = json!({
            "TableName": self.table,
            "IndexName": TIMELINE_INDEX,
            "ScanIndexForward": false,
            "ConsistentRead": true,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": s(&partition(owner))}
        });
        if let Some(after) = after {
            request["KeyConditionExpression"] = json!("pk = :pk AND tl < :after");
            request["ExpressionAttributeValues"][":after"] = s(&timeline_key(after));
        }
        self.query(request, limit)
            .await?
            .iter()
            .map(|item| read_photo(owner, item))
            .collect()
    }

    async fn remove(&self, owner: &Owner, id: &PhotoId) -> Result<Option<PhotoRecord>, IndexError> {
        let Some(item) = self.get_item(photo_key(owner, id), None).await? else {
            return Ok(None);
        };
        let item: PhotoItem = from_json(&item, "photo")?;
        let stored = item.record(owner)?;
        let tl = item.place()?;
        // The views, counts and albums first: if the delete then fails, a
        // retry finds the photo and does it all again; the other way round, a
        // count or a membership would be left behind.
        self.settle_views(&stored, tl, None, Before::Was(stored.state))
            .await?;
        let albums = &item.albums;
        self.leave_albums(owner, id, tl, albums).await?;
        let answer = self
            .client
            .call(
                "DeleteItem",
                &json!({
                    "TableName": self.table,
                    "Key": photo_key(owner, id),
                    "ReturnValues": "ALL_OLD"
                }),
            )
            .await?;
        // Someone else's concurrent remove got there first: not ours to report.
        let Some(deleted) = answer.get("Attributes") else {
            return Ok(None);
        };
        // Albums it was put in while this ran (their add looks again, too).
        let joined: Vec<String> = from_json::<PhotoItem>(deleted, "photo")?
            .albums
            .into_iter()
            .filter(|album| !albums.contains(album))
            .collect();
        self.leave_albums(owner, id, tl, &joined).await?;
        Ok(Some(stored))
    }

    async fn day_counts(
        &self,
        owner: &Owner,
        view: View,
        month: Option<YearMonth>,
    ) -> Result<Vec<DayCount>, IndexError> {
        let view_prefix = view_days_prefix(view);
        let prefix = match month {
            Some(month) => format!("{view_prefix}{month}-"),
            None => view_prefix.to_owned(),
        };
        let request = json!({
            "TableName": self.table,
            "ScanIndexForward": false,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ProjectionExpression": "sk, n",
            "ExpressionAttributeValues": {":pk": s(&partition(owner)), ":prefix": s(&prefix)}
        });
        let mut counts = Vec::new();
        for item in self.query(request, usize::MAX).await? {
            let Count { sk, n } = from_json(&item, "day count")?;
            let day = sk
                .strip_prefix(view_prefix)
                .and_then(|day| Date::parse(day, DAY_FORMAT).ok())
                .ok_or_else(|| IndexError::Corrupt(format!("a day key: {sk}")))?;
            if let Ok(count @ 1..) = u32::try_from(n) {
                counts.push(DayCount { day, count });
            }
        }
        Ok(counts)
    }

    async fn note_live(
        &self,
        owner: &Owner,
        live_id: &str,
        half: LiveHalf,
        id: &PhotoId,
    ) -> Result<LivePair, IndexError> {
        let attribute = match half {
            LiveHalf::Still => "still",
            LiveHalf::Video => "video",
        };
        let answer = self
            .client
            .call(
                "UpdateItem",
                &json!({
                    "TableName": self.table,
                    "Key": {"pk": s(&partition(owner)), "sk": s(&format!("V#{live_id}"))},
                    "UpdateExpression": "SET #half = :id",
                    "ExpressionAttributeNames": {"#half": attribute},
                    "ExpressionAttributeValues": {":id": s(id.as_str())},
                    "ReturnValues": "ALL_NEW"
                }),
            )
            .await?;
        let pair: LiveItem = from_json(&answer["Attributes"], "Live Photo")?;
        LivePair::stored(pair.still, pair.video)
    }

    async fn join_live(
        &self,
        owner: &Owner,
        still: &PhotoId,
        video: &LiveVideo,
    ) -> Result<bool, IndexError> {
        let video_id = PhotoId::parse(&video.id)
            .ok_or_else(|| IndexError::Corrupt(format!("a Live Photo's video: {}", video.id)))?;
        // The still first: stopping after it leaves both in the timeline, the
        // still already playing its video, and a retried commit finishes.
        let Some(item) = self.get_item(photo_key(owner, still), None).await? else {
            return Ok(false);
        };
        let item: PhotoItem = from_json(&item, "photo")?;
        let mut record = item.record(owner)?;
        // Written again when already so: a retry after a failure among its
        // albums' copies finishes them.
        record.live = Some(video.clone());
        let details = encode_details(&record)?;
        let set = |key: Value| {
            json!({
                "TableName": self.table,
                "Key": key,
                "UpdateExpression": "SET details = :details",
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeValues": {":details": s(&details)},
                "ReturnValues": "ALL_NEW"
            })
        };
        let Some(answer) = self.write_answer(&set(photo_key(owner, still))).await? else {
            return Ok(false);
        };
        // Its albums' copies, as the write left its `albums`.
        let updated: PhotoItem = from_json(&answer["Attributes"], "photo")?;
        let tl = updated.place()?;
        for album in &updated.albums {
            let key = json!({
                "pk": s(&partition(owner)),
                "sk": s(&items::member_sk(album, tl))
            });
            self.write_answer(&set(key)).await?;
        }
        // And its copies in the views it is in.
        let state = record.state;
        self.settle_views(&record, tl, Some(&state), Before::Was(state))
            .await?;
        // Then the video leaves the timeline and its day.
        if let Some(item) = self.get_item(photo_key(owner, &video_id), None).await? {
            let item: PhotoItem = from_json(&item, "photo")?;
            if let Some(tl) = &item.tl {
                let parked = self
                    .write_if(
                        "UpdateItem",
                        &json!({
                            "TableName": self.table,
                            "Key": photo_key(owner, &video_id),
                            "UpdateExpression": "SET parked = :tl REMOVE tl",
                            "ConditionExpression": "tl = :tl",
                            "ExpressionAttributeValues": {":tl": s(tl)}
                        }),
                    )
                    .await?;
                if parked {
                    let video = item.record(owner)?;
                    self.settle_views(&video, tl, None, Before::Was(video.state))
                        .await?;
                }
            }
        }
        Ok(true)
    }

    async fn take_delete(
        &self,
        owner: &Owner,
        window: i64,
        limit: u32,
    ) -> Result<Option<u32>, IndexError> {
        let request = json!({
            "TableName": self.table,
            "Key": {"pk": s(&partition(owner)), "sk": s(&format!("X#{window}"))},
            "UpdateExpression": "ADD n :one SET expires = :expires",
            "ConditionExpression": "attribute_not_exists(n) OR n < :limit",
            "ExpressionAttributeValues": {
                ":one": n(1),
                ":limit": n(i64::from(limit)),
                ":expires": n(window + DELETE_WINDOW_KEPT_SECS),
            },
            "ReturnValues": "UPDATED_NEW"
        });
        match self.client.call("UpdateItem", &request).await {
            Ok(answer) => {
                let taken: Count = from_json(&answer["Attributes"], "delete allowance")?;
                u32::try_from(taken.n)
                    .map(Some)
                    .map_err(|_| IndexError::Corrupt(format!("a delete allowance of {}", taken.n)))
            }
            Err(CallError::ConditionFailed) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    async fn change(
        &self,
        owner: &Owner,
        id: &PhotoId,
        change: StateChange,
    ) -> Result<Option<PhotoRecord>, IndexError> {
        self.change_state(owner, id, change).await
    }

    async fn trashed_before(
        &self,
        before: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<(Owner, PhotoId)>, IndexError> {
        self.trash_queue(before, limit).await
    }
}

/// How [`DynamoIndex::tally`] treats a missing counting item.
#[derive(Debug, Clone, Copy)]
enum Tally {
    /// A day: the first photo of the day makes its item.
    MakesItem,
    /// An album: made by `create_album`, and never again by a count.
    ItemMustExist,
}

const DAY_FORMAT: &[time::format_description::FormatItem<'static>] =
    format_description!("[year]-[month]-[day]");

fn s(value: &str) -> Value {
    json!({"S": value})
}

fn n(value: i64) -> Value {
    json!({"N": value.to_string()})
}

fn partition(owner: &Owner) -> String {
    format!("U#{}", owner.as_str())
}

fn photo_key(owner: &Owner, id: &PhotoId) -> Value {
    json!({"pk": s(&partition(owner)), "sk": s(&format!("P#{id}"))})
}

/// The camera-clock time as 16 hex digits that sort as the numbers do (the
/// sign bit flipped, so times before 1970 come first), then the id.
fn timeline_key(position: &Position) -> String {
    let ordered = (position.clock_ms as u64) ^ (1 << 63);
    format!("{ordered:016x}#{}", position.id)
}

/// A photo item (`P#`) as its record.
fn read_photo(owner: &Owner, item: &Value) -> Result<PhotoRecord, IndexError> {
    from_json::<PhotoItem>(item, "photo")?.record(owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_keys_sort_as_the_times_do() {
        let id = PhotoId::smallest();
        let key = |clock_ms| {
            timeline_key(&Position {
                clock_ms,
                id: id.clone(),
            })
        };
        let times = [
            i64::MIN,
            -2_208_988_800_000, // 1900
            -1,
            0,
            1,
            1_700_000_000_000,
            i64::MAX,
        ];
        let keys: Vec<String> = times.iter().map(|&t| key(t)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }
}
