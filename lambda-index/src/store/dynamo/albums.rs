//! The [`AlbumIndex`] of [`DynamoIndex`]: albums (`A#`), the photos in them
//! (`M#`) and share links (`L#`, `S#`), as the parent module's table lays them
//! out, written in the order its "Order of writes" gives.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use futures::{StreamExt, TryStreamExt, stream};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{
    CallError, DynamoIndex, Tally, format_time, partition, photo_key, read_record, s, text,
    time_of, timeline_key,
};
use crate::store::{
    albums::{Added, AlbumEdit, AlbumId, AlbumIndex, AlbumRecord, Edited, ShareRecord, ShareToken},
    index::{IndexError, PhotoRecord, Position},
    keys::{Owner, PhotoId},
};

/// Calls in flight at once for one request's work item by item (adding
/// photos, finding covers): quick in a Lambda, gentle on the table.
const IN_FLIGHT: usize = 8;

/// What an album's record is read from (not the counted `ids`, which only
/// the count's updates need).
const ALBUM_ATTRIBUTES: &str = "sk, title, created_at, updated_at, cover, n";

fn album_sk(album: &str) -> String {
    format!("A#{album}")
}

fn album_key(owner: &Owner, id: &AlbumId) -> Value {
    json!({"pk": s(&partition(owner)), "sk": s(&album_sk(id.as_str()))})
}

/// The sort keys of an album's photos begin with this.
fn members_prefix(id: &AlbumId) -> String {
    format!("M#{}#", id.as_str())
}

/// The photo whose timeline key is `tl`, in the album `album`.
fn member_key(owner: &Owner, album: &str, tl: &str) -> Value {
    json!({"pk": s(&partition(owner)), "sk": s(&format!("M#{album}#{tl}"))})
}

/// The item the public page finds a link by: the token is the whole key.
fn share_key(token: &ShareToken) -> Value {
    let key = format!("S#{}", token.as_str());
    json!({"pk": s(&key), "sk": s(&key)})
}

/// The link in its owner's list.
fn listing_key(owner: &Owner, token: &ShareToken) -> Value {
    json!({"pk": s(&partition(owner)), "sk": s(&format!("L#{}", token.as_str()))})
}

/// A membership (`M#{album}#{tl}`) as the record it copies; the id ends `tl`.
fn read_member(owner: &Owner, item: &Value) -> Result<PhotoRecord, IndexError> {
    let id = text(item, "sk")?
        .rsplit('#')
        .next()
        .and_then(PhotoId::parse)
        .ok_or_else(|| IndexError::Corrupt("the key of an album's photo".into()))?;
    read_record(owner, id, item)
}

fn share_item(key: Value, share: &ShareRecord) -> Result<Value, IndexError> {
    let mut item = key;
    item["owner"] = s(share.owner.as_str());
    item["album"] = s(share.album.as_str());
    item["created_at"] = s(&format_time(share.created_at)?);
    if let Some(expires_at) = share.expires_at {
        item["expires_at"] = s(&format_time(expires_at)?);
    }
    item["allow_download"] = json!({"BOOL": share.allow_download});
    item["show_location"] = json!({"BOOL": share.show_location});
    Ok(item)
}

/// A link's item, either of them (`S#{token}` or `L#{token}`).
fn read_share(item: &Value) -> Result<ShareRecord, IndexError> {
    let corrupt = |what: &str| IndexError::Corrupt(format!("the {what} of a share item"));
    Ok(ShareRecord {
        token: text(item, "sk")?
            .get(2..)
            .and_then(ShareToken::parse)
            .ok_or_else(|| corrupt("token"))?,
        owner: Owner::new(text(item, "owner")?).ok_or_else(|| corrupt("owner"))?,
        album: AlbumId::parse(text(item, "album")?).ok_or_else(|| corrupt("album"))?,
        created_at: time_of(item, "created_at")?,
        expires_at: match item.get("expires_at") {
            Some(_) => Some(time_of(item, "expires_at")?),
            None => None,
        },
        allow_download: item["allow_download"]["BOOL"]
            .as_bool()
            .ok_or_else(|| corrupt("download flag"))?,
        // Links made before the option have none: they keep the location private.
        show_location: match item.get("show_location") {
            None => false,
            Some(flag) => flag["BOOL"]
                .as_bool()
                .ok_or_else(|| corrupt("location flag"))?,
        },
    })
}

/// What adding one photo did.
enum AddOne {
    /// With the photo's timeline key, which names its membership.
    Added(String),
    AlreadyThere,
    NotFound,
}

impl DynamoIndex {
    /// An album item (read with [`ALBUM_ATTRIBUTES`]) as its record, with the
    /// cover it shows.
    async fn album_record(&self, owner: &Owner, item: &Value) -> Result<AlbumRecord, IndexError> {
        let corrupt = |what: &str| IndexError::Corrupt(format!("the {what} of an album item"));
        let id = text(item, "sk")?
            .strip_prefix("A#")
            .and_then(AlbumId::parse)
            .ok_or_else(|| corrupt("id"))?;
        let count: i64 = item["n"]["N"]
            .as_str()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| corrupt("count"))?;
        // The chosen cover counts while the photo is in the album.
        let chosen = match item["cover"]["S"].as_str() {
            Some(tl) => self
                .get_item(member_key(owner, id.as_str(), tl), None)
                .await?
                .map(|member| read_member(owner, &member))
                .transpose()?,
            None => None,
        };
        let (chosen_cover, cover) = match chosen {
            Some(photo) => (Some(photo.id.clone()), Some(photo)),
            None => (None, self.members(owner, &id, None, 1).await?.pop()),
        };
        Ok(AlbumRecord {
            owner: owner.clone(),
            title: text(item, "title")?.to_owned(),
            created_at: time_of(item, "created_at")?,
            updated_at: time_of(item, "updated_at")?,
            chosen_cover,
            count: u32::try_from(count.max(0)).unwrap_or(u32::MAX),
            cover,
            id,
        })
    }

    /// Up to `limit` of the album's photos, newest first, strictly after `after`.
    async fn members(
        &self,
        owner: &Owner,
        id: &AlbumId,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let prefix = members_prefix(id);
        let mut request = json!({
            "TableName": self.table,
            "ScanIndexForward": false,
            "ConsistentRead": true,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": s(&partition(owner)), ":prefix": s(&prefix)}
        });
        // A sort key condition is one comparison: "within the album and below
        // the position" is `BETWEEN`, which includes the position itself, so
        // one more is asked for and the position's own photo (if still in the
        // album) dropped.
        let mut below = None;
        let mut want = limit;
        if let Some(after) = after {
            let key = format!("{prefix}{}", timeline_key(after));
            request["KeyConditionExpression"] = json!("pk = :pk AND sk BETWEEN :prefix AND :below");
            request["ExpressionAttributeValues"][":below"] = s(&key);
            below = Some(key);
            want = limit.saturating_add(1);
        }
        self.query(request, want)
            .await?
            .iter()
            .filter(|item| below.is_none() || item["sk"]["S"].as_str() != below.as_deref())
            .take(limit)
            .map(|item| read_member(owner, item))
            .collect()
    }

    async fn album_exists(&self, owner: &Owner, id: &AlbumId) -> Result<bool, IndexError> {
        Ok(self
            .get_item(album_key(owner, id), Some("pk"))
            .await?
            .is_some())
    }

    /// Sets the album's `updated_at`; `false` if the album is gone.
    async fn touch(&self, owner: &Owner, id: &AlbumId, at: &str) -> Result<bool, IndexError> {
        self.write_if(
            "UpdateItem",
            &json!({
                "TableName": self.table,
                "Key": album_key(owner, id),
                "UpdateExpression": "SET updated_at = :at",
                "ConditionExpression": "attribute_exists(pk)",
                "ExpressionAttributeValues": {":at": s(at)}
            }),
        )
        .await
    }

    /// Puts `photo` in the album (see the module doc's order of writes).
    async fn add_one(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photo: &PhotoId,
    ) -> Result<AddOne, IndexError> {
        // The photo learns of the album before the membership exists, and
        // hands over its record in the same call; only the owner's own photo
        // is there to update.
        let update = self
            .client
            .call(
                "UpdateItem",
                &json!({
                    "TableName": self.table,
                    "Key": photo_key(owner, photo),
                    "UpdateExpression": "ADD albums :album",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeValues": {":album": {"SS": [id.as_str()]}},
                    "ReturnValues": "ALL_NEW"
                }),
            )
            .await;
        let item = match update {
            Ok(mut answer) => answer["Attributes"].take(),
            Err(CallError::ConditionFailed) => return Ok(AddOne::NotFound),
            Err(error) => return Err(error.into()),
        };
        let tl = text(&item, "tl")?.to_owned();
        let mut member = member_key(owner, id.as_str(), &tl);
        for name in ["taken_at", "uploaded_at", "details"] {
            member[name] = s(text(&item, name)?);
        }
        let put = self
            .client
            .call(
                "PutItem",
                &json!({
                    "TableName": self.table,
                    "Item": member,
                    "ConditionExpression": "attribute_not_exists(pk)"
                }),
            )
            .await;
        let added = match put {
            Ok(_) => true,
            Err(CallError::ConditionFailed) => false,
            Err(error) => return Err(error.into()),
        };
        // Counted either way: a retried add repairs a count its first try did
        // not reach.
        self.tally(
            owner,
            &album_sk(id.as_str()),
            photo,
            true,
            Tally::ItemMustExist,
        )
        .await?;
        Ok(if added {
            AddOne::Added(tl)
        } else {
            AddOne::AlreadyThere
        })
    }

    /// Takes the photo `id` (timeline key `tl`) out of `album` and its count;
    /// whether it was there. A no-op for an album it is not in, or one gone.
    async fn leave_album(
        &self,
        owner: &Owner,
        album: &str,
        tl: &str,
        id: &PhotoId,
    ) -> Result<bool, IndexError> {
        let left = self
            .delete_if(member_key(owner, album, tl), "attribute_exists(pk)")
            .await?;
        // Taken off the count even if the membership was gone already: a
        // retry repairs a count its first try did not reach.
        self.tally(owner, &album_sk(album), id, false, Tally::ItemMustExist)
            .await?;
        Ok(left)
    }

    /// Takes the photo out of each of `albums` (the parent's `remove`).
    pub(super) async fn leave_albums(
        &self,
        owner: &Owner,
        id: &PhotoId,
        tl: &str,
        albums: &[String],
    ) -> Result<(), IndexError> {
        // The futures are made first: a stream that maps with a closure over
        // borrowed items is not provably `Send` inside an `async_trait` method.
        let work: Vec<_> = albums
            .iter()
            .map(|album| self.leave_album(owner, album, tl, id))
            .collect();
        stream::iter(work)
            .buffer_unordered(IN_FLIGHT)
            .try_collect::<Vec<bool>>()
            .await
            .map(drop)
    }
}

#[async_trait]
impl AlbumIndex for DynamoIndex {
    async fn create_album(
        &self,
        owner: &Owner,
        id: &AlbumId,
        title: &str,
        at: OffsetDateTime,
    ) -> Result<(), IndexError> {
        let at = format_time(at)?;
        let mut item = album_key(owner, id);
        item["title"] = s(title);
        item["created_at"] = s(&at);
        item["updated_at"] = s(&at);
        item["n"] = json!({"N": "0"});
        // 128 random bits do not collide; a caller reusing an id is a bug.
        if self.put_new(item).await? {
            Ok(())
        } else {
            Err(IndexError::Unavailable(format!(
                "the album id {} is taken",
                id.as_str()
            )))
        }
    }

    async fn albums(&self, owner: &Owner) -> Result<Vec<AlbumRecord>, IndexError> {
        let request = json!({
            "TableName": self.table,
            "ConsistentRead": true,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ProjectionExpression": ALBUM_ATTRIBUTES,
            "ExpressionAttributeValues": {":pk": s(&partition(owner)), ":prefix": s("A#")}
        });
        let items = self.query(request, usize::MAX).await?;
        let work: Vec<_> = items
            .iter()
            .map(|item| self.album_record(owner, item))
            .collect();
        let mut albums: Vec<AlbumRecord> =
            stream::iter(work).buffered(IN_FLIGHT).try_collect().await?;
        albums.sort_by(|a, b| {
            b.updated_at
                .cmp(&a.updated_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(albums)
    }

    async fn album(&self, owner: &Owner, id: &AlbumId) -> Result<Option<AlbumRecord>, IndexError> {
        match self
            .get_item(album_key(owner, id), Some(ALBUM_ATTRIBUTES))
            .await?
        {
            Some(item) => self.album_record(owner, &item).await.map(Some),
            None => Ok(None),
        }
    }

    async fn edit_album(
        &self,
        owner: &Owner,
        id: &AlbumId,
        edit: AlbumEdit,
        at: OffsetDateTime,
    ) -> Result<Edited, IndexError> {
        if !self.album_exists(owner, id).await? {
            return Ok(Edited::NoAlbum);
        }
        let mut set = vec!["updated_at = :at"];
        let mut values = json!({":at": s(&format_time(at)?)});
        if let Some(cover) = &edit.cover {
            // The chosen cover is kept as its membership's timeline key.
            let photo = self.get_item(photo_key(owner, cover), Some("tl")).await?;
            let Some(tl) = photo.as_ref().and_then(|photo| photo["tl"]["S"].as_str()) else {
                return Ok(Edited::CoverNotInAlbum);
            };
            let member = member_key(owner, id.as_str(), tl);
            if self.get_item(member, Some("pk")).await?.is_none() {
                return Ok(Edited::CoverNotInAlbum);
            }
            set.push("cover = :cover");
            values[":cover"] = s(tl);
        }
        if let Some(title) = &edit.title {
            set.push("title = :title");
            values[":title"] = s(title);
        }
        let update = self
            .client
            .call(
                "UpdateItem",
                &json!({
                    "TableName": self.table,
                    "Key": album_key(owner, id),
                    "UpdateExpression": format!("SET {}", set.join(", ")),
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeValues": values,
                    "ReturnValues": "ALL_NEW"
                }),
            )
            .await;
        match update {
            Ok(answer) => Ok(Edited::Done(Box::new(
                self.album_record(owner, &answer["Attributes"]).await?,
            ))),
            Err(CallError::ConditionFailed) => Ok(Edited::NoAlbum),
            Err(error) => Err(error.into()),
        }
    }

    async fn delete_album(&self, owner: &Owner, id: &AlbumId) -> Result<bool, IndexError> {
        // Its links first: from now on nobody opens it.
        for share in self.shares(owner).await? {
            if &share.album == id {
                self.revoke_share(owner, &share.token).await?;
            }
        }
        let existed = self
            .delete_if(album_key(owner, id), "attribute_exists(pk)")
            .await?;
        // Then its photos, even when the album was gone already: this finishes
        // a delete that failed half-way. An add still running finds the album
        // gone when it touches it, and takes its own memberships out.
        let request = json!({
            "TableName": self.table,
            "ConsistentRead": true,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ProjectionExpression": "pk, sk",
            "ExpressionAttributeValues": {
                ":pk": s(&partition(owner)),
                ":prefix": s(&members_prefix(id))
            }
        });
        let deletes: Vec<Value> = self
            .query(request, usize::MAX)
            .await?
            .into_iter()
            .map(|key| json!({"DeleteRequest": {"Key": key}}))
            .collect();
        self.client.batch_write(&self.table, &deletes).await?;
        Ok(existed)
    }

    async fn add_photos(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photos: &[PhotoId],
        at: OffsetDateTime,
    ) -> Result<Option<Added>, IndexError> {
        let at = format_time(at)?;
        if !self.album_exists(owner, id).await? {
            return Ok(None);
        }
        let mut seen = HashSet::new();
        let unique: Vec<&PhotoId> = photos.iter().filter(|photo| seen.insert(*photo)).collect();
        let work: Vec<_> = unique
            .iter()
            .map(|photo| self.add_one(owner, id, photo))
            .collect();
        let outcomes: Vec<AddOne> = stream::iter(work).buffered(IN_FLIGHT).try_collect().await?;
        let mut results: HashMap<&PhotoId, AddOne> = unique.into_iter().zip(outcomes).collect();
        let added: Vec<(PhotoId, String)> = results
            .iter()
            .filter_map(|(photo, outcome)| match outcome {
                AddOne::Added(tl) => Some(((*photo).clone(), tl.clone())),
                _ => None,
            })
            .collect();
        if !added.is_empty() {
            if !self.touch(owner, id, &at).await? {
                // The album was deleted meanwhile, after its delete had listed
                // the photos in it: these are left for nobody else to take out.
                for (photo, tl) in &added {
                    self.leave_album(owner, id.as_str(), tl, photo).await?;
                }
                return Ok(None);
            }
            // A photo removed meanwhile may have taken its memberships out
            // before this one was made: it is not in the album after all.
            let ids: Vec<PhotoId> = added.iter().map(|(photo, _)| photo.clone()).collect();
            let there = self.photos_there(owner, &ids, true).await?;
            for (photo, tl) in &added {
                if !there.contains(photo) {
                    self.leave_album(owner, id.as_str(), tl, photo).await?;
                    results.insert(photo, AddOne::NotFound);
                }
            }
        }
        // Reported as asked, in order: a photo asked for twice was added once.
        let mut outcome = Added::default();
        let mut reported = HashSet::new();
        for photo in photos {
            let first = reported.insert(photo);
            match results.get(photo) {
                Some(AddOne::Added(_)) if first => outcome.added.push(photo.clone()),
                Some(AddOne::Added(_) | AddOne::AlreadyThere) => {
                    outcome.already_there.push(photo.clone())
                }
                Some(AddOne::NotFound) | None => outcome.not_found.push(photo.clone()),
            }
        }
        Ok(Some(outcome))
    }

    async fn remove_photo(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photo: &PhotoId,
        at: OffsetDateTime,
    ) -> Result<Option<bool>, IndexError> {
        let at = format_time(at)?;
        if !self.album_exists(owner, id).await? {
            return Ok(None);
        }
        // A photo's membership is named by its timeline key; a photo no longer
        // in the timeline left its albums when it went.
        let Some(item) = self.get_item(photo_key(owner, photo), Some("tl")).await? else {
            return Ok(Some(false));
        };
        // The photo's `albums` keeps naming this album: a concurrent add of the
        // same photo may have made the membership again (see the module doc).
        let left = self
            .leave_album(owner, id.as_str(), text(&item, "tl")?, photo)
            .await?;
        if left {
            self.touch(owner, id, &at).await?;
        }
        Ok(Some(left))
    }

    async fn album_page(
        &self,
        owner: &Owner,
        id: &AlbumId,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        self.members(owner, id, after, limit).await
    }

    async fn create_share(&self, share: &ShareRecord) -> Result<(), IndexError> {
        // The owner's item first: no link opens an album unless its owner
        // sees it in their list, and can revoke it.
        let listing = share_item(listing_key(&share.owner, &share.token), share)?;
        let public = share_item(share_key(&share.token), share)?;
        for item in [listing, public] {
            // 128 random bits do not collide; a caller reusing a token is a bug.
            if !self.put_new(item).await? {
                return Err(IndexError::Unavailable("the share token is taken".into()));
            }
        }
        Ok(())
    }

    async fn shares(&self, owner: &Owner) -> Result<Vec<ShareRecord>, IndexError> {
        let request = json!({
            "TableName": self.table,
            "ConsistentRead": true,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": s(&partition(owner)), ":prefix": s("L#")}
        });
        let mut shares = self
            .query(request, usize::MAX)
            .await?
            .iter()
            .map(read_share)
            .collect::<Result<Vec<_>, _>>()?;
        // Newest first; a user has a handful of links, sorted here rather than
        // by a key that would have to hold the time.
        shares.sort_by(|a, b| {
            b.created_at
                .cmp(&a.created_at)
                .then_with(|| a.token.as_str().cmp(b.token.as_str()))
        });
        Ok(shares)
    }

    async fn share(&self, token: &ShareToken) -> Result<Option<ShareRecord>, IndexError> {
        self.get_item(share_key(token), None)
            .await?
            .map(|item| read_share(&item))
            .transpose()
    }

    async fn revoke_share(&self, owner: &Owner, token: &ShareToken) -> Result<bool, IndexError> {
        // Only a link in the owner's own list: nobody revokes another's.
        if self
            .get_item(listing_key(owner, token), Some("pk"))
            .await?
            .is_none()
        {
            return Ok(false);
        }
        // The public item first, so the link stops opening the album at once;
        // should the second delete fail, the owner still sees it, and revokes
        // it again.
        let public = self
            .client
            .call(
                "DeleteItem",
                &json!({
                    "TableName": self.table,
                    "Key": share_key(token),
                    "ConditionExpression": "#owner = :owner",
                    "ExpressionAttributeNames": {"#owner": "owner"},
                    "ExpressionAttributeValues": {":owner": s(owner.as_str())}
                }),
            )
            .await;
        match public {
            Ok(_) | Err(CallError::ConditionFailed) => {}
            Err(error) => return Err(error.into()),
        }
        self.delete_if(listing_key(owner, token), "attribute_exists(pk)")
            .await
    }
}
