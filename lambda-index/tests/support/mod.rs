//! What the API's tests share: the test issuer's keys and tokens, and in-memory
//! stand-ins for the object store and the index (no AWS, no network).
#![allow(dead_code)] // each test binary uses its own part of this

mod albums;
pub mod api;
pub mod dynalite;

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    ops::Range,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{SystemTime, UNIX_EPOCH},
};

use api_types::{photo::LiveVideo, upload::UploadTarget};
use async_trait::async_trait;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode, jwk::JwkSet};
use lambda_index::{
    ApiState, Limits,
    auth::{IdentityConfig, JwksError, JwksFuture, JwksSource, TokenVerifier},
    cursor::CursorKey,
    store::{
        Availability, DayCount, IndexError, Inserted, Lifecycle, Listed, ListedObject, LiveHalf,
        LivePair, ObjectKey, ObjectStore, Owner, PENDING_TAG, PhotoId, PhotoIndex, PhotoRecord,
        Position, Presence, RestoreAsked, RestoreTier, StateChange, StoreError, StoredPart, View,
        YearMonth,
    },
};
use serde_json::{Value, json};

pub const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST";
pub const CLIENT: &str = "spa-client";
pub const KID: &str = "test-key-1";
pub const ISSUER_KEY: &[u8] = include_bytes!("../fixtures/issuer-key.pem");
pub const OTHER_KEY: &[u8] = include_bytes!("../fixtures/other-key.pem");
pub const ISSUER_PUBLIC: &[u8] = include_bytes!("../fixtures/issuer-public.pem");
pub const JWKS: &str = include_str!("../fixtures/issuer-jwks.json");

/// The issuer's key set, from memory; counts fetches; can be made to fail.
pub struct FixedJwks {
    pub fetches: AtomicUsize,
    /// When false, every fetch fails (the issuer is down).
    pub available: AtomicBool,
    /// When true, the issuer serves an empty set (it withdrew its key).
    pub withdrawn: AtomicBool,
}

impl JwksSource for FixedJwks {
    fn fetch(&self) -> JwksFuture<'_> {
        self.fetches.fetch_add(1, Ordering::SeqCst);
        let available = self.available.load(Ordering::SeqCst);
        let withdrawn = self.withdrawn.load(Ordering::SeqCst);
        Box::pin(async move {
            if !available {
                return Err(JwksError::Status(503));
            }
            let set = if withdrawn { r#"{"keys":[]}"# } else { JWKS };
            serde_json::from_str::<JwkSet>(set)
                .map_err(|error| JwksError::Invalid(error.to_string()))
        })
    }
}

pub fn verifier_with(source: Arc<FixedJwks>) -> TokenVerifier {
    TokenVerifier::new(identity(), source)
}

pub fn identity() -> IdentityConfig {
    IdentityConfig {
        issuer: ISSUER.to_owned(),
        client_id: CLIENT.to_owned(),
    }
}

pub fn jwks(available: bool) -> Arc<FixedJwks> {
    Arc::new(FixedJwks {
        fetches: AtomicUsize::new(0),
        available: AtomicBool::new(available),
        withdrawn: AtomicBool::new(false),
    })
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

pub fn access_claims() -> Value {
    json!({
        "sub": "0b5e7c1a-user", "iss": ISSUER, "token_use": "access", "client_id": CLIENT,
        "username": "alice", "scope": "openid email profile",
        "iat": now(), "auth_time": now(), "exp": now() + 3600, "jti": "j1",
    })
}

pub fn sign_with(claims: &Value, kid: Option<&str>, pem: &[u8]) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(str::to_owned);
    encode(
        &header,
        claims,
        &EncodingKey::from_rsa_pem(pem).expect("pem"),
    )
    .expect("signs")
}

pub fn sign(claims: &Value) -> String {
    sign_with(claims, Some(KID), ISSUER_KEY)
}

/// A valid access token for `sub`.
pub fn token_for(sub: &str) -> String {
    let mut claims = access_claims();
    claims["sub"] = json!(sub);
    sign(&claims)
}

/// The router's state over the in-memory stores.
pub fn state(verifier: TokenVerifier) -> ApiState {
    state_over(
        verifier,
        Arc::new(MemoryObjects::default()),
        Arc::new(MemoryIndex::default()),
    )
}

/// Where the tests' SPA is served; share links point there.
pub const SITE_URL: &str = "https://photos.example.test";

pub fn state_over(
    verifier: TokenVerifier,
    objects: Arc<MemoryObjects>,
    index: Arc<MemoryIndex>,
) -> ApiState {
    ApiState {
        verifier: Arc::new(verifier),
        objects,
        index: index.clone(),
        albums: index,
        limits: Limits::default(),
        site_url: SITE_URL.to_owned(),
        cursor_key: CursorKey::new([42; 32]),
    }
}

/// A bucket in memory: "uploads" are made by the test with [`MemoryObjects::put`].
#[derive(Default)]
pub struct MemoryObjects {
    pub sizes: Mutex<HashMap<String, u64>>,
    /// Each object's tag, as S3 would hold it: `pending` from the presigned PUT,
    /// `original` or none once kept.
    pub tags: Mutex<HashMap<String, &'static str>>,
    pub down: AtomicBool,
    pub heads: AtomicUsize,
    /// Multipart uploads under way, by upload id.
    pub uploads: Mutex<HashMap<String, MemoryUpload>>,
    /// Multipart uploads ever started: each gets a new id.
    pub started: AtomicUsize,
    /// The bytes of the objects a test gave bytes ([`MemoryObjects::put_bytes`]),
    /// and of those the API put together from them.
    pub contents: Mutex<HashMap<String, Vec<u8>>>,
    /// Objects in Deep Archive, as S3 answers for them ([`MemoryObjects::archive`]):
    /// a GET is refused, a HEAD says whether a restore is under way or done.
    pub archived: Mutex<HashMap<String, Availability>>,
    /// The restores asked for: key and tier.
    pub restores: Mutex<Vec<(String, RestoreTier)>>,
}

/// A multipart upload: its key, each part's size by number, and the bytes
/// of the parts the API sent or had copied.
pub struct MemoryUpload {
    pub key: String,
    pub parts: BTreeMap<u32, u64>,
    pub contents: BTreeMap<u32, Vec<u8>>,
}

impl MemoryObjects {
    /// An upload through a presigned PUT: it arrives tagged pending.
    pub fn put(&self, key: &str, bytes: u64) {
        self.sizes
            .lock()
            .expect("lock")
            .insert(key.to_owned(), bytes);
        self.tags
            .lock()
            .expect("lock")
            .insert(key.to_owned(), "pending");
    }

    /// An upload of real bytes (a video whose boxes the API reads).
    pub fn put_bytes(&self, key: &str, bytes: Vec<u8>) {
        self.put(key, bytes.len() as u64);
        self.contents
            .lock()
            .expect("lock")
            .insert(key.to_owned(), bytes);
    }

    /// A part sent to its presigned URL.
    pub fn put_part(&self, upload_id: &str, number: u32, bytes: u64) {
        let mut uploads = self.uploads.lock().expect("lock");
        let upload = uploads.get_mut(upload_id).expect("an upload under way");
        upload.parts.insert(number, bytes);
    }

    /// The objects with bytes under `prefix`, in key order.
    pub fn kept_under(&self, prefix: &str) -> Vec<(String, Vec<u8>)> {
        let mut kept: Vec<(String, Vec<u8>)> = self
            .contents
            .lock()
            .expect("lock")
            .iter()
            .filter(|(key, _)| key.starts_with(prefix))
            .map(|(key, body)| (key.clone(), body.clone()))
            .collect();
        kept.sort();
        kept
    }

    /// Moves the object to Deep Archive, as the lifecycle would.
    pub fn archive(&self, key: &str) {
        self.archived
            .lock()
            .expect("lock")
            .insert(key.to_owned(), Availability::Archived);
    }

    /// Finishes the object's restore, as S3 does hours later.
    pub fn finish_restore(&self, key: &str) {
        self.archived.lock().expect("lock").insert(
            key.to_owned(),
            Availability::Restored {
                until: "Mon, 14 Dec 2026 00:00:00 GMT".into(),
            },
        );
    }

    /// Refused, as S3 refuses a GET of an archived object (`InvalidObjectState`).
    fn readable(&self, key: &str) -> Result<(), StoreError> {
        match self.archived.lock().expect("lock").get(key) {
            Some(state) if !state.readable() => Err(StoreError::Archived(key.to_owned())),
            _ => Ok(()),
        }
    }

    /// The object's tag: `Some("pending")`, `Some("original")` or `None`.
    pub fn tag(&self, key: &str) -> Option<&'static str> {
        self.tags.lock().expect("lock").get(key).copied()
    }

    fn check_up(&self) -> Result<(), StoreError> {
        if self.down.load(Ordering::SeqCst) {
            return Err(StoreError::Unavailable("503 from the test's store".into()));
        }
        Ok(())
    }
}

#[async_trait]
impl ObjectStore for MemoryObjects {
    fn presign_put(
        &self,
        key: &ObjectKey,
        content_type: &str,
        bytes: u64,
    ) -> Result<UploadTarget, StoreError> {
        Ok(UploadTarget {
            url: format!("https://store.invalid/{}?signed", key.as_str()),
            method: "PUT".into(),
            headers: [
                ("content-type".to_owned(), content_type.to_owned()),
                ("content-length".to_owned(), bytes.to_string()),
                ("x-amz-tagging".to_owned(), PENDING_TAG.to_owned()),
                ("if-none-match".to_owned(), "*".to_owned()),
            ]
            .into(),
        })
    }

    fn presign_get(&self, key: &ObjectKey) -> Result<String, StoreError> {
        Ok(format!("https://store.invalid/{}?signed-get", key.as_str()))
    }

    fn presign_download(&self, key: &ObjectKey, filename: &str) -> Result<String, StoreError> {
        Ok(format!(
            "https://store.invalid/{}?download={filename}",
            key.as_str()
        ))
    }

    async fn size(&self, key: &ObjectKey) -> Result<Option<u64>, StoreError> {
        self.heads.fetch_add(1, Ordering::SeqCst);
        self.check_up()?;
        Ok(self.sizes.lock().expect("lock").get(key.as_str()).copied())
    }

    async fn keep(&self, key: &ObjectKey, lifecycle: Lifecycle) -> Result<(), StoreError> {
        self.check_up()?;
        if !self.sizes.lock().expect("lock").contains_key(key.as_str()) {
            return Ok(());
        }
        let mut tags = self.tags.lock().expect("lock");
        match lifecycle.tag() {
            Some(kind) => tags.insert(key.as_str().to_owned(), kind),
            None => tags.remove(key.as_str()),
        };
        Ok(())
    }

    async fn availability(&self, key: &ObjectKey) -> Result<Option<Availability>, StoreError> {
        self.heads.fetch_add(1, Ordering::SeqCst);
        self.check_up()?;
        if !self.sizes.lock().expect("lock").contains_key(key.as_str()) {
            return Ok(None);
        }
        Ok(Some(
            self.archived
                .lock()
                .expect("lock")
                .get(key.as_str())
                .cloned()
                .unwrap_or(Availability::Readable),
        ))
    }

    async fn restore(
        &self,
        key: &ObjectKey,
        tier: RestoreTier,
    ) -> Result<RestoreAsked, StoreError> {
        self.check_up()?;
        let mut archived = self.archived.lock().expect("lock");
        let Some(state) = archived.get_mut(key.as_str()) else {
            // S3 refuses to restore an object in a class that reads at once.
            return Err(StoreError::Refused(format!("403 for {}", key.as_str())));
        };
        self.restores
            .lock()
            .expect("lock")
            .push((key.as_str().to_owned(), tier));
        Ok(match state {
            Availability::Archived => {
                *state = Availability::Restoring;
                RestoreAsked::Started
            }
            Availability::Restoring => RestoreAsked::AlreadyRestoring,
            _ => RestoreAsked::AlreadyRestored,
        })
    }

    async fn put(
        &self,
        key: &ObjectKey,
        body: Vec<u8>,
        _content_type: &str,
    ) -> Result<(), StoreError> {
        self.check_up()?;
        self.sizes
            .lock()
            .expect("lock")
            .insert(key.as_str().to_owned(), body.len() as u64);
        self.contents
            .lock()
            .expect("lock")
            .insert(key.as_str().to_owned(), body);
        Ok(())
    }

    /// Two objects a page, so every walk of the bucket meets its paging.
    async fn list(&self, prefix: &str, after: Option<&str>) -> Result<Listed, StoreError> {
        self.check_up()?;
        let sizes = self.sizes.lock().expect("lock");
        let archived = self.archived.lock().expect("lock");
        let mut keys: Vec<(&String, &u64)> = sizes
            .iter()
            .filter(|(key, _)| {
                key.starts_with(prefix) && after.is_none_or(|after| key.as_str() > after)
            })
            .collect();
        keys.sort();
        Ok(Listed {
            more: keys.len() > 2,
            objects: keys
                .into_iter()
                .take(2)
                .map(|(key, &bytes)| ListedObject {
                    key: key.clone(),
                    bytes,
                    // The storage class stays Deep Archive while restored.
                    archived: archived.contains_key(key.as_str()),
                })
                .collect(),
        })
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), StoreError> {
        self.check_up()?;
        self.contents.lock().expect("lock").remove(key.as_str());
        self.sizes.lock().expect("lock").remove(key.as_str());
        self.tags.lock().expect("lock").remove(key.as_str());
        Ok(())
    }

    async fn create_multipart(
        &self,
        key: &ObjectKey,
        _content_type: &str,
    ) -> Result<String, StoreError> {
        self.check_up()?;
        let mut uploads = self.uploads.lock().expect("lock");
        let upload_id = format!("upload-{}", self.started.fetch_add(1, Ordering::SeqCst) + 1);
        uploads.insert(
            upload_id.clone(),
            MemoryUpload {
                key: key.as_str().to_owned(),
                parts: BTreeMap::new(),
                contents: BTreeMap::new(),
            },
        );
        Ok(upload_id)
    }

    fn presign_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        bytes: u64,
    ) -> Result<UploadTarget, StoreError> {
        Ok(UploadTarget {
            url: format!(
                "https://store.invalid/{}?partNumber={number}&uploadId={upload_id}",
                key.as_str()
            ),
            method: "PUT".into(),
            headers: [("content-length".to_owned(), bytes.to_string())].into(),
        })
    }

    async fn list_parts(
        &self,
        key: &ObjectKey,
        upload_id: &str,
    ) -> Result<Option<Vec<StoredPart>>, StoreError> {
        self.check_up()?;
        let uploads = self.uploads.lock().expect("lock");
        Ok(uploads
            .get(upload_id)
            .filter(|upload| upload.key == key.as_str())
            .map(|upload| {
                upload
                    .parts
                    .iter()
                    .map(|(&number, &bytes)| StoredPart {
                        number,
                        etag: format!("\"{number}\""),
                        bytes,
                    })
                    .collect()
            }))
    }

    async fn complete_multipart(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        parts: &[StoredPart],
    ) -> Result<bool, StoreError> {
        self.check_up()?;
        let Some(upload) = self.uploads.lock().expect("lock").remove(upload_id) else {
            return Err(StoreError::Refused("no such upload".into()));
        };
        assert_eq!(upload.key, key.as_str(), "the upload's own key");
        if self.sizes.lock().expect("lock").contains_key(key.as_str()) {
            return Ok(false);
        }
        self.put(key.as_str(), parts.iter().map(|part| part.bytes).sum());
        let contents: Option<Vec<u8>> = parts
            .iter()
            .map(|part| upload.contents.get(&part.number).cloned())
            .collect::<Option<Vec<_>>>()
            .map(|pieces| pieces.concat());
        if let Some(contents) = contents {
            self.contents
                .lock()
                .expect("lock")
                .insert(key.as_str().to_owned(), contents);
        }
        Ok(true)
    }

    async fn abort_multipart(&self, _key: &ObjectKey, upload_id: &str) -> Result<(), StoreError> {
        self.check_up()?;
        self.uploads.lock().expect("lock").remove(upload_id);
        Ok(())
    }

    async fn read(&self, key: &ObjectKey, range: Range<u64>) -> Result<Vec<u8>, StoreError> {
        self.check_up()?;
        self.readable(key.as_str())?;
        let contents = self.contents.lock().expect("lock");
        let bytes = contents
            .get(key.as_str())
            .ok_or_else(|| StoreError::Refused(format!("no bytes for {}", key.as_str())))?;
        let end = (range.end as usize).min(bytes.len());
        Ok(bytes
            .get(range.start as usize..end)
            .unwrap_or_default()
            .to_vec())
    }

    async fn upload_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        body: Vec<u8>,
    ) -> Result<StoredPart, StoreError> {
        self.check_up()?;
        let mut uploads = self.uploads.lock().expect("lock");
        let upload = uploads
            .get_mut(upload_id)
            .filter(|upload| upload.key == key.as_str())
            .ok_or_else(|| StoreError::Refused("no such upload".into()))?;
        let bytes = body.len() as u64;
        upload.parts.insert(number, bytes);
        upload.contents.insert(number, body);
        Ok(StoredPart {
            number,
            etag: format!("\"{number}\""),
            bytes,
        })
    }

    async fn copy_part(
        &self,
        key: &ObjectKey,
        upload_id: &str,
        number: u32,
        source: &ObjectKey,
        range: Range<u64>,
    ) -> Result<StoredPart, StoreError> {
        let body = self.read(source, range).await?;
        self.upload_part(key, upload_id, number, body).await
    }
}

/// The index in memory, keyed by owner and id, with albums and share links
/// (`support/albums.rs`). Locks are taken in field order.
#[derive(Default)]
pub struct MemoryIndex {
    pub records: Mutex<HashMap<(String, String), PhotoRecord>>,
    pub albums: Mutex<HashMap<(String, String), albums::MemoryAlbum>>,
    pub shares: Mutex<Vec<lambda_index::store::ShareRecord>>,
    /// Deletes taken per (owner, window).
    pub deletes: Mutex<HashMap<(String, i64), u32>>,
    /// Live Photos' halves per (owner, content identifier).
    pub live: Mutex<HashMap<(String, String), LivePair>>,
    /// Live Photos' videos joined to their stills: out of the timeline.
    pub hidden: Mutex<HashSet<(String, String)>>,
}

impl MemoryIndex {
    fn shown(&self, record: &PhotoRecord) -> bool {
        let key = (
            record.owner.as_str().to_owned(),
            record.id.as_str().to_owned(),
        );
        !self.hidden.lock().expect("lock").contains(&key)
    }
}

#[async_trait]
impl PhotoIndex for MemoryIndex {
    async fn get(&self, owner: &Owner, id: &PhotoId) -> Result<Option<PhotoRecord>, IndexError> {
        let key = (owner.as_str().to_owned(), id.as_str().to_owned());
        Ok(self.records.lock().expect("lock").get(&key).cloned())
    }

    async fn existing(
        &self,
        owner: &Owner,
        ids: &[PhotoId],
    ) -> Result<HashMap<PhotoId, Presence>, IndexError> {
        let records = self.records.lock().expect("lock");
        Ok(ids
            .iter()
            .filter_map(|id| {
                let record = records.get(&(owner.as_str().to_owned(), id.as_str().to_owned()))?;
                let presence = match record.state.trashed_at {
                    Some(_) => Presence::Trashed,
                    None => Presence::Kept,
                };
                Some((id.clone(), presence))
            })
            .collect())
    }

    async fn insert(&self, record: &PhotoRecord) -> Result<Inserted, IndexError> {
        let key = (
            record.owner.as_str().to_owned(),
            record.id.as_str().to_owned(),
        );
        let mut records = self.records.lock().expect("lock");
        if let Some(existing) = records.get(&key) {
            return Ok(Inserted::AlreadyThere(Box::new(existing.clone())));
        }
        records.insert(key, record.clone());
        Ok(Inserted::New)
    }

    async fn page(
        &self,
        owner: &Owner,
        view: View,
        after: Option<&Position>,
        limit: usize,
    ) -> Result<Vec<PhotoRecord>, IndexError> {
        let records = self.records.lock().expect("lock");
        let mut mine: Vec<PhotoRecord> = records
            .values()
            .filter(|record| {
                &record.owner == owner && self.shown(record) && record.state.in_view(view)
            })
            .cloned()
            .collect();
        let order = |record: &PhotoRecord| {
            let position = record.position();
            (position.clock_ms, position.id)
        };
        mine.sort_by_key(|record| std::cmp::Reverse(order(record)));
        Ok(mine
            .into_iter()
            .filter(|record| {
                after.is_none_or(|after| order(record) < (after.clock_ms, after.id.clone()))
            })
            .take(limit)
            .collect())
    }

    async fn remove(&self, owner: &Owner, id: &PhotoId) -> Result<Option<PhotoRecord>, IndexError> {
        let key = (owner.as_str().to_owned(), id.as_str().to_owned());
        let removed = self.records.lock().expect("lock").remove(&key);
        self.hidden.lock().expect("lock").remove(&key);
        self.forget_in_albums(owner, id);
        Ok(removed)
    }

    async fn day_counts(
        &self,
        owner: &Owner,
        view: View,
        month: Option<YearMonth>,
    ) -> Result<Vec<DayCount>, IndexError> {
        let records = self.records.lock().expect("lock");
        let mut days: std::collections::BTreeMap<time::Date, u32> = Default::default();
        for record in records.values().filter(|record| {
            &record.owner == owner && self.shown(record) && record.state.in_view(view)
        }) {
            if month.is_none_or(|month| YearMonth::of(record.day()) == month) {
                *days.entry(record.day()).or_default() += 1;
            }
        }
        Ok(days
            .into_iter()
            .rev()
            .map(|(day, count)| DayCount { day, count })
            .collect())
    }

    async fn note_live(
        &self,
        owner: &Owner,
        live_id: &str,
        half: LiveHalf,
        id: &PhotoId,
    ) -> Result<LivePair, IndexError> {
        let mut live = self.live.lock().expect("lock");
        let pair = live
            .entry((owner.as_str().to_owned(), live_id.to_owned()))
            .or_default();
        match half {
            LiveHalf::Still => pair.still = Some(id.clone()),
            LiveHalf::Video => pair.video = Some(id.clone()),
        }
        Ok(pair.clone())
    }

    async fn join_live(
        &self,
        owner: &Owner,
        still: &PhotoId,
        video: &LiveVideo,
    ) -> Result<bool, IndexError> {
        let mut records = self.records.lock().expect("lock");
        let Some(record) = records.get_mut(&(owner.as_str().to_owned(), still.as_str().to_owned()))
        else {
            return Ok(false);
        };
        record.live = Some(video.clone());
        self.hidden
            .lock()
            .expect("lock")
            .insert((owner.as_str().to_owned(), video.id.clone()));
        Ok(true)
    }

    async fn take_delete(
        &self,
        owner: &Owner,
        window: i64,
        limit: u32,
    ) -> Result<Option<u32>, IndexError> {
        let mut taken = self.deletes.lock().expect("lock");
        let count = taken
            .entry((owner.as_str().to_owned(), window))
            .or_default();
        if *count >= limit {
            return Ok(None);
        }
        *count += 1;
        Ok(Some(*count))
    }

    async fn change(
        &self,
        owner: &Owner,
        id: &PhotoId,
        change: StateChange,
    ) -> Result<Option<PhotoRecord>, IndexError> {
        let mut records = self.records.lock().expect("lock");
        let key = (owner.as_str().to_owned(), id.as_str().to_owned());
        if self.hidden.lock().expect("lock").contains(&key) {
            return Ok(None);
        }
        let Some(record) = records.get_mut(&key) else {
            return Ok(None);
        };
        record.state = record.state.with(change);
        Ok(Some(record.clone()))
    }

    async fn trashed_before(
        &self,
        before: time::OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<(Owner, PhotoId)>, IndexError> {
        let records = self.records.lock().expect("lock");
        let mut trashed: Vec<(time::OffsetDateTime, Owner, PhotoId)> = records
            .values()
            .filter(|record| self.shown(record))
            .filter_map(|record| {
                let at = record.state.trashed_at.filter(|at| *at < before)?;
                Some((at, record.owner.clone(), record.id.clone()))
            })
            .collect();
        trashed.sort_by_key(|(at, _, _)| *at);
        Ok(trashed
            .into_iter()
            .take(limit)
            .map(|(_, owner, id)| (owner, id))
            .collect())
    }
}
