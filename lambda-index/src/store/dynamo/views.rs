//! A photo's state in the table: the views it is listed in (Favorites `F#`,
//! the archive `H#`, the trash `T#`: copies of its record; the timeline: its
//! own `tl`), its day counts in each (`D#`, `DF#`, `DH#`, `DT#`), its entry in
//! the purge's queue ([`TRASH_PARTITION`]), and its albums' copies, which
//! carry `trashed` so an album's page leaves it out.
//!
//! Without transactions, a change writes the photo's own item first (one
//! conditional update, so two changes at once never undo each other), then
//! everything that follows from it ([`DynamoIndex::settle_views`]). Each of
//! those writes is idempotent, so a change that stopped half-way is finished
//! by the next one: a repeat, seeing the state already written, settles every
//! view rather than only those that changed.

use futures::future::{BoxFuture, try_join_all};
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use super::{
    DAY_FORMAT, DynamoIndex, TIMELINE_INDEX, Tally,
    items::{
        MemberItem, PhotoItem, TRASH_PARTITION, TrashEntry, format_time, from_json, member_sk,
        to_json, view_days_prefix, view_prefix,
    },
    partition, photo_key, s, timeline_key,
};
use crate::store::{
    index::{IndexError, PhotoRecord, Position, encode_details},
    keys::{Owner, PhotoId},
    state::{PhotoState, StateChange, View},
};

/// How often a change is tried again when another change of the same photo
/// came between its read and its write.
const CHANGE_ATTEMPTS: usize = 5;

/// What is known of where a photo was listed before a settle.
#[derive(Debug, Clone, Copy)]
pub(super) enum Before {
    /// Nothing (a repeat, or a retried commit): every view is written.
    Unknown,
    /// Nowhere: a photo just inserted.
    Nowhere,
    /// Where this state lists it.
    Was(PhotoState),
}

impl Before {
    fn in_view(self, view: View) -> Option<bool> {
        match self {
            Before::Unknown => None,
            Before::Nowhere => Some(false),
            Before::Was(state) => Some(state.in_view(view)),
        }
    }

    fn trashed_at(self) -> Option<Option<OffsetDateTime>> {
        match self {
            Before::Unknown => None,
            Before::Nowhere => Some(None),
            Before::Was(state) => Some(state.trashed_at),
        }
    }
}

/// A view's day count item.
fn view_day_key(view: View, day: Date) -> String {
    format!(
        "{}{}",
        view_days_prefix(view),
        day.format(DAY_FORMAT).unwrap_or_default()
    )
}

/// A photo's entry in the purge's queue: its sort key, and its `tl`, which
/// orders by the time it was trashed.
fn trash_entry(owner: &Owner, id: &PhotoId, at: OffsetDateTime) -> TrashEntry {
    let position = Position {
        clock_ms: (at.unix_timestamp_nanos() / 1_000_000) as i64,
        id: id.clone(),
    };
    TrashEntry {
        pk: TRASH_PARTITION.to_owned(),
        sk: trash_entry_sk(owner, id),
        // The time as the timeline orders it, then whose and which photo.
        tl: format!("{}#{}#{id}", &timeline_key(&position)[..16], owner.as_str()),
        owner: owner.as_str().to_owned(),
        id: id.as_str().to_owned(),
    }
}

fn trash_entry_sk(owner: &Owner, id: &PhotoId) -> String {
    format!("{}#{id}", owner.as_str())
}

type Write<'a> = BoxFuture<'a, Result<(), IndexError>>;

impl DynamoIndex {
    /// Brings what follows from `record`'s state in line with it: its copies
    /// in the views it is in (written again, since its record may have
    /// changed), none in the others, its day count in each view, and its
    /// entry in the purge's queue. `listed` is the state to list it by, or
    /// `None` to list it nowhere (it is being removed, or joined to its Live
    /// Photo's still); `place` its timeline key. Only what differs from
    /// `before` is written, when that is known.
    pub(super) async fn settle_views(
        &self,
        record: &PhotoRecord,
        place: &str,
        listed: Option<&PhotoState>,
        before: Before,
    ) -> Result<(), IndexError> {
        let owner = &record.owner;
        let pk = partition(owner);
        let day = record.day();
        let mut writes: Vec<Write<'_>> = Vec::new();
        for view in View::ALL {
            let wanted = listed.is_some_and(|state| state.in_view(view));
            let had = before.in_view(view);
            if view != View::Timeline {
                let key = json!({"pk": s(&pk), "sk": s(&format!("{}{place}", view_prefix(view)))});
                if wanted {
                    let item = to_json(&MemberItem::in_view(record, view, place)?)?;
                    writes.push(Box::pin(self.put(item)));
                } else if had != Some(false) {
                    writes.push(Box::pin(self.delete(key)));
                }
            }
            if had != Some(wanted) {
                let sk = view_day_key(view, day);
                writes.push(Box::pin(async move {
                    self.tally(owner, &sk, &record.id, wanted, Tally::MakesItem)
                        .await
                }));
            }
        }
        let trashed_at = listed.and_then(|state| state.trashed_at);
        if before.trashed_at() != Some(trashed_at) {
            match trashed_at {
                Some(at) => {
                    let entry = to_json(&trash_entry(owner, &record.id, at))?;
                    writes.push(Box::pin(self.put(entry)));
                }
                None => {
                    let key = json!({
                        "pk": s(TRASH_PARTITION),
                        "sk": s(&trash_entry_sk(owner, &record.id))
                    });
                    writes.push(Box::pin(self.delete(key)));
                }
            }
        }
        try_join_all(writes).await.map(drop)
    }

    /// Writes `record` again into its copies in `albums` (those it is in),
    /// with its trash time; when `trash_changed` (or may have), it leaves or
    /// rejoins their counts too.
    async fn settle_albums(
        &self,
        record: &PhotoRecord,
        place: &str,
        albums: &[String],
        trash_changed: bool,
    ) -> Result<(), IndexError> {
        let details = encode_details(record)?;
        let trashed = record.state.trashed_at.map(format_time).transpose()?;
        let owner = &record.owner;
        let writes: Vec<Write<'_>> = albums
            .iter()
            .map(|album| {
                let mut request = json!({
                    "TableName": self.table,
                    "Key": {"pk": s(&partition(owner)), "sk": s(&member_sk(album, place))},
                    "UpdateExpression": "SET details = :details REMOVE trashed",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeValues": {":details": s(&details)}
                });
                if let Some(at) = &trashed {
                    request["UpdateExpression"] = json!("SET details = :details, trashed = :at");
                    request["ExpressionAttributeValues"][":at"] = s(at);
                }
                let album_sk = format!("A#{album}");
                let counted = trashed.is_none();
                Box::pin(async move {
                    // Not in this album (the set names more): nothing to count.
                    if self.write_if("UpdateItem", &request).await? && trash_changed {
                        self.tally(owner, &album_sk, &record.id, counted, Tally::ItemMustExist)
                            .await?;
                    }
                    Ok(())
                }) as Write<'_>
            })
            .collect();
        try_join_all(writes).await.map(drop)
    }

    async fn put(&self, item: Value) -> Result<(), IndexError> {
        self.client
            .call("PutItem", &json!({"TableName": self.table, "Item": item}))
            .await
            .map(drop)
            .map_err(Into::into)
    }

    async fn delete(&self, key: Value) -> Result<(), IndexError> {
        self.client
            .call("DeleteItem", &json!({"TableName": self.table, "Key": key}))
            .await
            .map(drop)
            .map_err(Into::into)
    }

    /// [`crate::store::PhotoIndex::change`].
    pub(super) async fn change_state(
        &self,
        owner: &Owner,
        id: &PhotoId,
        change: StateChange,
    ) -> Result<Option<PhotoRecord>, IndexError> {
        for _ in 0..CHANGE_ATTEMPTS {
            let Some(item) = self.get_item(photo_key(owner, id), None).await? else {
                return Ok(None);
            };
            let item: PhotoItem = from_json(&item, "photo")?;
            let record = item.record(owner)?;
            // Out of the timeline by no state of its own: a Live Photo's video.
            if item.tl.is_none() && record.state.in_view(View::Timeline) {
                return Ok(None);
            }
            let place = item.place()?.to_owned();
            let was = record.state;
            let state = was.with(change);
            let changed = PhotoRecord { state, ..record };
            let before = if state == was {
                Before::Unknown
            } else {
                if !self.write_state(&item, &changed, &place).await? {
                    // Another change came first: start again from it.
                    continue;
                }
                Before::Was(was)
            };
            self.settle_views(&changed, &place, Some(&state), before)
                .await?;
            let trash_changed = match before {
                Before::Was(was) => was.trashed_at != state.trashed_at,
                _ => true,
            };
            self.settle_albums(&changed, &place, &item.albums, trash_changed)
                .await?;
            return Ok(Some(changed));
        }
        Err(IndexError::Unavailable(format!(
            "the photo {id} kept changing while it was changed"
        )))
    }

    /// Writes `changed`'s state to the photo's item, if its record is still
    /// what `item` read: `false` if another write came first.
    async fn write_state(
        &self,
        item: &PhotoItem,
        changed: &PhotoRecord,
        place: &str,
    ) -> Result<bool, IndexError> {
        let mut set = vec!["details = :details"];
        let mut remove = Vec::new();
        let mut values = json!({
            ":details": s(&encode_details(changed)?),
            ":read": s(&item.details),
            ":place": s(place)
        });
        if changed.state.in_view(View::Timeline) {
            set.push("tl = :place");
            remove.push("parked");
        } else {
            set.push("parked = :place");
            remove.push("tl");
        }
        match changed.state.trashed_at {
            Some(at) => {
                set.push("trashed = :trashed");
                values[":trashed"] = s(&format_time(at)?);
            }
            None => remove.push("trashed"),
        }
        self.write_if(
            "UpdateItem",
            &json!({
                "TableName": self.table,
                "Key": photo_key(&changed.owner, &changed.id),
                "UpdateExpression": format!("SET {} REMOVE {}", set.join(", "), remove.join(", ")),
                "ConditionExpression": "details = :read",
                "ExpressionAttributeValues": values
            }),
        )
        .await
    }

    /// Copies whose sort keys begin with `prefix` (a view's, an album's),
    /// newest first, strictly after `after`; the trashed left out when
    /// `listed_only` (an album lists none).
    pub(super) async fn copies(
        &self,
        owner: &Owner,
        prefix: &str,
        after: Option<&Position>,
        limit: usize,
        listed_only: bool,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut request = json!({
            "TableName": self.table,
            "ScanIndexForward": false,
            "ConsistentRead": true,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": s(&partition(owner)), ":prefix": s(prefix)}
        });
        if listed_only {
            request["FilterExpression"] = json!("attribute_not_exists(trashed)");
        }
        // A sort key condition is one comparison: "within the prefix and below
        // the position" is `BETWEEN`, which includes the position itself, so
        // one more is asked for and the position's own photo (if still there)
        // dropped.
        let mut below = None;
        let mut want = limit;
        if let Some(after) = after {
            let key = format!("{prefix}{}", timeline_key(after));
            request["KeyConditionExpression"] = json!("pk = :pk AND sk BETWEEN :prefix AND :below");
            request["ExpressionAttributeValues"][":below"] = s(&key);
            below = Some(key);
            want = limit.saturating_add(1);
        }
        let copies = self
            .query(request, want)
            .await?
            .iter()
            .map(|item| from_json::<MemberItem>(item, "copy of a photo"))
            .collect::<Result<Vec<_>, _>>()?;
        copies
            .iter()
            .filter(|copy| below.as_ref() != Some(&copy.sk))
            .take(limit)
            .map(|copy| copy.record(owner))
            .collect()
    }

    /// [`crate::store::PhotoIndex::trashed_before`]: the purge's queue, in the
    /// order photos were trashed.
    pub(super) async fn trash_queue(
        &self,
        before: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<(Owner, PhotoId)>, IndexError> {
        let position = Position {
            clock_ms: (before.unix_timestamp_nanos() / 1_000_000) as i64,
            id: PhotoId::smallest(),
        };
        let request = json!({
            "TableName": self.table,
            "IndexName": TIMELINE_INDEX,
            "ScanIndexForward": true,
            "ConsistentRead": true,
            "KeyConditionExpression": "pk = :pk AND tl < :before",
            "ExpressionAttributeValues": {
                ":pk": s(TRASH_PARTITION),
                ":before": s(&timeline_key(&position)[..16])
            }
        });
        self.query(request, limit)
            .await?
            .iter()
            .map(|item| {
                let entry: TrashEntry = from_json(item, "trash entry")?;
                let corrupt = || IndexError::Corrupt(format!("a trash entry: {}", entry.sk));
                Ok((
                    Owner::new(&entry.owner).ok_or_else(corrupt)?,
                    PhotoId::parse(&entry.id).ok_or_else(corrupt)?,
                ))
            })
            .collect()
    }
}
