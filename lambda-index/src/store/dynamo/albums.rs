//! The [`AlbumIndex`] of [`DynamoIndex`]: albums (`A#`), the photos in them
//! (`M#`) and share links (`L#`, `S#`), as the parent module's table lays them
//! out, written in the order its "Order of writes" gives.

use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use futures::{StreamExt, TryStreamExt, stream};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{
    CallError, DynamoIndex, Tally,
    items::{
        AlbumItem, MemberItem, PhotoItem, ShareItem, TIMELINE_KEY_ATTRIBUTES, TimelineKey,
        format_time, from_json, member_sk, to_json,
    },
    partition, photo_key, s,
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
const ALBUM_ATTRIBUTES: &str = "pk, sk, title, created_at, updated_at, cover, n";

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
    json!({"pk": s(&partition(owner)), "sk": s(&member_sk(album, tl))})
}

/// The item the public page finds a link by: the token is the whole key.
fn share_pk_sk(token: &ShareToken) -> (String, String) {
    let key = format!("S#{}", token.as_str());
    (key.clone(), key)
}

/// The link in its owner's list.
fn listing_pk_sk(owner: &Owner, token: &ShareToken) -> (String, String) {
    (partition(owner), format!("L#{}", token.as_str()))
}

fn key((pk, sk): (String, String)) -> Value {
    json!({"pk": s(&pk), "sk": s(&sk)})
}

/// A link's item, either of them (`S#{token}` or `L#{token}`).
fn read_share(item: &Value) -> Result<ShareRecord, IndexError> {
    from_json::<ShareItem>(item, "share")?.record()
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
        let album: AlbumItem = from_json(item, "album")?;
        let id = album.id()?;
        // The chosen cover counts while the photo is in the album (and not
        // in the trash).
        let chosen = match &album.cover {
            Some(tl) => self
                .get_item(member_key(owner, id.as_str(), tl), None)
                .await?
                .map(|member| from_json::<MemberItem>(&member, "album photo"))
                .transpose()?
                .filter(|member| member.trashed.is_none())
                .map(|member| member.record(owner))
                .transpose()?,
            None => None,
        };
        let (chosen_cover, cover) = match chosen {
            Some(photo) => (Some(photo.id.clone()), Some(photo)),
            None => (None, self.members(owner, &id, None, 1).await?.pop()),
        };
        Ok(AlbumRecord {
            owner: owner.clone(),
            created_at: album.created_at()?,
            updated_at: album.updated_at()?,
            count: album.count(),
            title: album.title,
            chosen_cover,
            cover,
            id,
        })
    }

    /// Up to `limit` of the album's photos, newest first, strictly after
    /// `after`; none in the trash.
    async fn members(
        &self,
        owner: &Owner,
        id: &AlbumId,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        self.copies(owner, &members_prefix(id), after, limit, true)
            .await
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
        let stored: PhotoItem = match update {
            Ok(answer) => from_json(&answer["Attributes"], "photo")?,
            Err(CallError::ConditionFailed) => return Ok(AddOne::NotFound),
            Err(error) => return Err(error.into()),
        };
        let member = to_json(&MemberItem::copying(&stored, id.as_str())?)?;
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
        // not reach. A photo in the trash is kept in the album uncounted, to
        // be listed again when it is restored.
        self.tally(
            owner,
            &album_sk(id.as_str()),
            photo,
            stored.trashed.is_none(),
            Tally::ItemMustExist,
        )
        .await?;
        Ok(if added {
            AddOne::Added(stored.place()?.to_owned())
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
        let item = AlbumItem {
            pk: partition(owner),
            sk: album_sk(id.as_str()),
            title: title.to_owned(),
            created_at: at.clone(),
            updated_at: at,
            cover: None,
            n: 0,
        };
        // 128 random bits do not collide; a caller reusing an id is a bug.
        if self.put_new(to_json(&item)?).await? {
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
            let Some(photo) = self
                .get_item(photo_key(owner, cover), Some(TIMELINE_KEY_ATTRIBUTES))
                .await?
            else {
                return Ok(Edited::CoverNotInAlbum);
            };
            let photo: TimelineKey = from_json(&photo, "photo")?;
            let tl = photo.place()?;
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
        let Some(item) = self
            .get_item(photo_key(owner, photo), Some(TIMELINE_KEY_ATTRIBUTES))
            .await?
        else {
            return Ok(Some(false));
        };
        let item: TimelineKey = from_json(&item, "photo")?;
        let tl = item.place()?;
        // The photo's `albums` keeps naming this album: a concurrent add of the
        // same photo may have made the membership again (see the module doc).
        let left = self.leave_album(owner, id.as_str(), tl, photo).await?;
        if left {
            self.touch(owner, id, &at).await?;
        }
        Ok(Some(left))
    }

    async fn holds(
        &self,
        owner: &Owner,
        id: &AlbumId,
        photo: &PhotoId,
    ) -> Result<bool, IndexError> {
        // A membership is named by the photo's timeline key.
        let Some(item) = self
            .get_item(photo_key(owner, photo), Some(TIMELINE_KEY_ATTRIBUTES))
            .await?
        else {
            return Ok(false);
        };
        let item: TimelineKey = from_json(&item, "photo")?;
        let member = member_key(owner, id.as_str(), item.place()?);
        // In the album, and not in the trash.
        Ok(self
            .get_item(member, Some("pk, trashed"))
            .await?
            .is_some_and(|member| member.get("trashed").is_none()))
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
        let (pk, sk) = listing_pk_sk(&share.owner, &share.token);
        let listing = ShareItem::of(share, pk, sk)?;
        let (pk, sk) = share_pk_sk(&share.token);
        let public = ShareItem::of(share, pk, sk)?;
        for item in [listing, public] {
            // 128 random bits do not collide; a caller reusing a token is a bug.
            if !self.put_new(to_json(&item)?).await? {
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
        self.get_item(key(share_pk_sk(token)), None)
            .await?
            .map(|item| read_share(&item))
            .transpose()
    }

    async fn revoke_share(&self, owner: &Owner, token: &ShareToken) -> Result<bool, IndexError> {
        // Only a link in the owner's own list: nobody revokes another's.
        if self
            .get_item(key(listing_pk_sk(owner, token)), Some("pk"))
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
                    "Key": key(share_pk_sk(token)),
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
        self.delete_if(key(listing_pk_sk(owner, token)), "attribute_exists(pk)")
            .await
    }
}
