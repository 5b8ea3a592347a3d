//! [`DynamoIndex`]: the photo index in one DynamoDB table, the AWS side of
//! [`PhotoIndex`]. Every access pattern is a key lookup or a range query on one
//! user's partition; nothing scans.
//!
//! ## The table
//! | item | `pk` | `sk` | other attributes |
//! |---|---|---|---|
//! | a photo | `U#{sub}` | `P#{photo id}` | `tl` (timeline key), `taken_at`, `uploaded_at`, `details` (JSON) |
//! | a day's count | `U#{sub}` | `D#{YYYY-MM-DD}` | `n` (number), `ids` (string set of id prefixes) |
//!
//! - One photo by id, dedup before upload: `GetItem` / `BatchGetItem` on `P#{id}`.
//! - The timeline: the local secondary index `timeline` on (`pk`, `tl`), where
//!   `tl` is the camera-clock time, order-preserving hex, then `#` and the id, so
//!   bursts never collide. A page is a `Query` below the last position, newest
//!   first. Only photos carry `tl`, so the index holds nothing else. A local
//!   (not global) index reads consistently: a photo just deleted is not listed.
//! - Counts per day: a `Query` on `D#` (or `D#2024-05-`), newest first.
//!
//! ## Counts without transactions
//! A day's count is kept with the set of the photo ids counted in it (the first
//! 16 hex digits of each). Adding an id the set holds, or removing one it does
//! not, changes nothing (a conditional update), so every step can be repeated:
//! a retried commit repairs a count its first try did not reach, and no photo is
//! ever counted twice. (dynalite, which the tests run against, has no
//! `TransactWriteItems`; this needs none.) A set of 16-digit prefixes fits about
//! 23,000 photos in one day's item (DynamoDB's 400 KB).

mod client;

use std::collections::HashSet;

use async_trait::async_trait;
use serde_json::{Value, json};
use time::{
    Date, OffsetDateTime, format_description::well_known::Rfc3339, macros::format_description,
};

pub use client::{CallError, DynamoClient};

use super::{
    aws::AwsCredentials,
    index::{
        DayCount, IndexError, Inserted, PhotoIndex, PhotoRecord, Position, RecordDetails, YearMonth,
    },
    keys::{Owner, PhotoId},
};

/// DynamoDB's most keys in one `BatchGetItem`.
const BATCH_GET_KEYS: usize = 100;
/// How many hex digits of an id a day's count keeps: 64 bits, no collisions
/// among one day's photos in practice.
const COUNTED_ID_DIGITS: usize = 16;
const TIMELINE_INDEX: &str = "timeline";

/// Where the table is, and who signs for it.
#[derive(Debug, Clone)]
pub struct DynamoConfig {
    /// `https://dynamodb.{region}.amazonaws.com`, or a local endpoint.
    pub endpoint: String,
    pub table: String,
    pub credentials: AwsCredentials,
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
    pub fn new(config: DynamoConfig) -> Result<DynamoIndex, IndexError> {
        Ok(DynamoIndex {
            client: DynamoClient::new(&config.endpoint, config.credentials)?,
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

    async fn get_consistent(
        &self,
        owner: &Owner,
        id: &PhotoId,
    ) -> Result<Option<PhotoRecord>, IndexError> {
        let answer = self
            .client
            .call(
                "GetItem",
                &json!({
                    "TableName": self.table,
                    "Key": photo_key(owner, id),
                    "ConsistentRead": true
                }),
            )
            .await?;
        match answer.get("Item") {
            Some(item) => read_photo(owner, item).map(Some),
            None => Ok(None),
        }
    }

    /// Counts `id` on `day`, or takes it off; either is a no-op when already so.
    async fn count(
        &self,
        owner: &Owner,
        day: Date,
        id: &PhotoId,
        add: bool,
    ) -> Result<(), IndexError> {
        let counted = &id.as_str()[..COUNTED_ID_DIGITS];
        let (update, condition, step) = if add {
            ("ADD ids :id, n :step", "NOT contains(ids, :counted)", 1)
        } else {
            ("DELETE ids :id ADD n :step", "contains(ids, :counted)", -1)
        };
        let result = self
            .client
            .call(
                "UpdateItem",
                &json!({
                    "TableName": self.table,
                    "Key": {"pk": s(&partition(owner)), "sk": s(&day_key(day))},
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
    ) -> Result<HashSet<PhotoId>, IndexError> {
        let mut found = HashSet::new();
        // DynamoDB refuses a batch naming one key twice (the same file picked
        // twice in one upload batch): ask about each id once.
        let unique: Vec<&PhotoId> = ids.iter().collect::<HashSet<_>>().into_iter().collect();
        for chunk in unique.chunks(BATCH_GET_KEYS) {
            let mut keys: Vec<Value> = chunk.iter().map(|id| photo_key(owner, id)).collect();
            let mut backoff = std::time::Duration::from_millis(25);
            while !keys.is_empty() {
                let answer = self
                    .client
                    .call(
                        "BatchGetItem",
                        &json!({"RequestItems": {&self.table: {
                            "Keys": keys,
                            "ProjectionExpression": "sk"
                        }}}),
                    )
                    .await?;
                for item in answer["Responses"][&self.table]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let id = item["sk"]["S"]
                        .as_str()
                        .and_then(|sk| sk.strip_prefix("P#"))
                        .and_then(PhotoId::parse)
                        .ok_or_else(|| IndexError::Corrupt(format!("a photo key: {item}")))?;
                    found.insert(id);
                }
                // Keys DynamoDB had no capacity for this time: ask again, later.
                keys = answer["UnprocessedKeys"][&self.table]["Keys"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if !keys.is_empty() {
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                }
            }
        }
        Ok(found)
    }

    async fn insert(&self, record: &PhotoRecord) -> Result<Inserted, IndexError> {
        let details = serde_json::to_string(&RecordDetails::of(record))
            .map_err(|error| IndexError::Corrupt(error.to_string()))?;
        let mut item = photo_key(&record.owner, &record.id);
        item["tl"] = s(&timeline_key(&record.position()));
        item["taken_at"] = s(&format_time(record.taken_at)?);
        item["uploaded_at"] = s(&format_time(record.uploaded_at)?);
        item["details"] = s(&details);
        let put = self
            .client
            .call(
                "PutItem",
                &json!({
                    "TableName": self.table,
                    "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)"
                }),
            )
            .await;
        match put {
            Ok(_) => {
                self.count(&record.owner, record.day(), &record.id, true)
                    .await?;
                Ok(Inserted::New)
            }
            Err(CallError::ConditionFailed) => {
                let stored = self
                    .get_consistent(&record.owner, &record.id)
                    .await?
                    .ok_or_else(|| {
                        IndexError::Unavailable("the photo went while it was committed".into())
                    })?;
                // A retried commit: the first try may not have reached the count.
                self.count(&stored.owner, stored.day(), &stored.id, true)
                    .await?;
                Ok(Inserted::AlreadyThere(Box::new(stored)))
            }
            Err(error) => Err(error.into()),
        }
    }

    async fn page(
        &self,
        owner: &Owner,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
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
        let Some(stored) = self.get_consistent(owner, id).await? else {
            return Ok(None);
        };
        // The count first: if the delete then fails, a retry finds the photo and
        // does both again; the other way round, a count would be left behind.
        self.count(owner, stored.day(), id, false).await?;
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
        Ok(answer.get("Attributes").map(|_| stored))
    }

    async fn day_counts(
        &self,
        owner: &Owner,
        month: Option<YearMonth>,
    ) -> Result<Vec<DayCount>, IndexError> {
        let prefix = match month {
            Some(month) => format!("D#{month}-"),
            None => "D#".to_owned(),
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
            let sk = item["sk"]["S"].as_str().unwrap_or_default();
            let day = sk
                .strip_prefix("D#")
                .and_then(|day| Date::parse(day, DAY_FORMAT).ok())
                .ok_or_else(|| IndexError::Corrupt(format!("a day key: {sk}")))?;
            let count: i64 = item["n"]["N"]
                .as_str()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| IndexError::Corrupt(format!("the count of {sk}")))?;
            if count > 0 {
                counts.push(DayCount {
                    day,
                    count: count as u32,
                });
            }
        }
        Ok(counts)
    }
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

fn day_key(day: Date) -> String {
    format!("D#{}", day.format(DAY_FORMAT).unwrap_or_default())
}

/// The camera-clock time as 16 hex digits that sort as the numbers do (the
/// sign bit flipped, so times before 1970 come first), then the id.
fn timeline_key(position: &Position) -> String {
    let ordered = (position.clock_ms as u64) ^ (1 << 63);
    format!("{ordered:016x}#{}", position.id)
}

fn format_time(at: OffsetDateTime) -> Result<String, IndexError> {
    at.format(&Rfc3339)
        .map_err(|error| IndexError::Corrupt(error.to_string()))
}

fn read_photo(owner: &Owner, item: &Value) -> Result<PhotoRecord, IndexError> {
    let corrupt = |what: &str| IndexError::Corrupt(format!("{what} of a photo item"));
    let text = |name: &str| item[name]["S"].as_str().ok_or_else(|| corrupt(name));
    let time = |name: &str| OffsetDateTime::parse(text(name)?, &Rfc3339).map_err(|_| corrupt(name));
    let id = text("sk")?
        .strip_prefix("P#")
        .and_then(PhotoId::parse)
        .ok_or_else(|| corrupt("the id"))?;
    let details: RecordDetails =
        serde_json::from_str(text("details")?).map_err(|_| corrupt("the details"))?;
    Ok(details.into_record(owner.clone(), id, time("taken_at")?, time("uploaded_at")?))
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
