//! The API router in-process over the in-memory stores, as the SPA calls it: a
//! signed-in user's requests, and the uploads and commits most tests start from.

use std::sync::Arc;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use lambda_index::store::{Owner, PhotoId, PhotoIndex};
use serde_json::{Value, json};
use tower::ServiceExt;

use super::{MemoryIndex, MemoryObjects, jwks, state_over, token_for, verifier_with};

pub const ALICE: &str = "a11ce000-0000-4000-8000-000000000001";
pub const BOB: &str = "b0b00000-0000-4000-8000-000000000002";
pub const ID: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
pub const OTHER_ID: &str = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

pub struct Api {
    pub objects: Arc<MemoryObjects>,
    pub index: Arc<MemoryIndex>,
    pub router: axum::Router,
}

pub fn api() -> Api {
    api_with(lambda_index::Limits::default())
}

/// [`api`] with other limits.
pub fn api_with(limits: lambda_index::Limits) -> Api {
    let objects = Arc::new(MemoryObjects::default());
    let index = Arc::new(MemoryIndex::default());
    let mut state = state_over(verifier_with(jwks(true)), objects.clone(), index.clone());
    state.limits = limits;
    Api {
        objects,
        index,
        router: lambda_index::router(state),
    }
}

impl Api {
    pub async fn post(&self, path: &str, user: Option<&str>, body: &str) -> (StatusCode, Value) {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(user) = user {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", token_for(user)));
        }
        self.send(request.body(Body::from(body.to_owned())).expect("request"))
            .await
    }

    /// The status and JSON body the router answers `request` with.
    pub async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        answer(self.router.clone(), request).await
    }

    pub async fn uploads(&self, user: &str, files: Value) -> (StatusCode, Value) {
        self.post(
            "/api/uploads",
            Some(user),
            &json!({ "files": files }).to_string(),
        )
        .await
    }

    pub async fn commit(&self, user: &str, commit: &Value) -> (StatusCode, Value) {
        self.post("/api/photos", Some(user), &commit.to_string())
            .await
    }

    /// What the browser's three PUTs would leave in the store.
    pub fn upload_all(&self, user: &str, id: &str) {
        self.objects.put(&format!("u/{user}/o/{id}"), 4_200_000);
        self.objects.put(&format!("u/{user}/t/{id}.webp"), 21_000);
        self.objects.put(&format!("u/{user}/w/{id}.webp"), 140_000);
    }
}

/// The status and JSON body `router` answers `request` with.
pub async fn answer(router: axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = router.oneshot(request).await.expect("answers");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

pub fn file(id: &str) -> Value {
    json!({ "id": id, "bytes": 4_200_000, "content_type": "image/jpeg", "filename": "IMG_0001.JPG",
            "thumb": { "bytes": 21_000, "content_type": "image/webp" },
            "web": { "bytes": 140_000, "content_type": "image/webp" } })
}

pub fn commit(id: &str) -> Value {
    json!({ "id": id, "filename": "IMG_0001.JPG", "content_type": "image/jpeg", "bytes": 4_200_000,
            "taken_at": "2019-09-26T16:38:00+02:00", "width": 3024, "height": 4032,
            "metadata": { "orientation": 6, "taken_at": { "local": "2019-09-26T16:38:00", "offset": "+02:00" },
                          "gps": { "latitude": 52.1, "longitude": 4.3, "altitude": null },
                          "camera": "Samsung SM-J320F", "lens": null, "exposure_time": "1/50 s",
                          "f_number": 2.2, "iso": 100, "focal_length": 3.3 },
            "thumb": { "bytes": 21_000, "content_type": "image/webp", "width": 400, "height": 533 },
            "web": { "bytes": 140_000, "content_type": "image/webp", "width": 1536, "height": 2048 },
            "placeholder": "1QcSHQRnh493V4dIh4eXh1h4kJUI" })
}

pub fn indexed(api: &Api, user: &str, id: &str) -> bool {
    let index = api.index.clone();
    let owner = Owner::new(user).expect("owner");
    let id = PhotoId::parse(id).expect("id");
    futures::executor::block_on(async move { index.get(&owner, &id).await })
        .expect("index")
        .is_some()
}

impl Api {
    pub async fn get(&self, path: &str, user: &str) -> (StatusCode, Value) {
        let request = Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", token_for(user)))
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// A GET without sign-in, as a share link's visitor sends it; the body's
    /// bytes as they are, to compare answers exactly.
    pub async fn get_public(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = self.router.clone().oneshot(request).await.expect("answers");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (status, body.to_vec())
    }

    pub async fn delete(&self, path: &str, user: &str) -> (StatusCode, Value) {
        let request = Request::delete(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", token_for(user)))
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// `POST /photos/changes`: `change` to the photos `ids`.
    pub async fn change(&self, user: &str, change: &str, ids: &[&str]) -> (StatusCode, Value) {
        let body = json!({ "change": change, "ids": ids });
        self.post("/api/photos/changes", Some(user), &body.to_string())
            .await
    }

    /// Whether the store holds `key`.
    pub fn stored(&self, key: &str) -> bool {
        self.objects.sizes.lock().expect("lock").contains_key(key)
    }

    /// Deletes the photo as its owner does: into the trash, then for good.
    pub async fn delete_for_good(&self, id: &str, user: &str) {
        let (status, body) = self.delete(&format!("/api/photos/{id}"), user).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "into the trash: {body}");
        let (status, answer) = self.change(user, "delete_forever", &[id]).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["done"], json!([id]), "deleted for good: {answer}");
    }

    pub async fn patch(&self, path: &str, user: &str, body: &Value) -> (StatusCode, Value) {
        let request = Request::patch(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {}", token_for(user)))
            .body(Body::from(body.to_string()))
            .expect("request");
        self.send(request).await
    }

    /// Commits photo `id` for `user`, taken at `taken_at`.
    pub async fn committed(&self, user: &str, id: &str, taken_at: &str) {
        self.upload_all(user, id);
        let mut body = commit(id);
        body["taken_at"] = json!(taken_at);
        assert_eq!(self.commit(user, &body).await.0, StatusCode::CREATED);
    }
}

pub fn id(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

impl Api {
    /// An album of `photos`, made by `user`.
    pub async fn new_album(&self, user: &str, title: &str, photos: &[String]) -> Value {
        let (status, album) = self
            .post(
                "/api/albums",
                Some(user),
                &json!({ "title": title, "photo_ids": photos }).to_string(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{album}");
        album
    }

    /// A share link to Alice's `album`, made with `body`.
    pub async fn new_share(&self, album: &str, body: Value) -> Value {
        let (status, share) = self
            .post(
                &format!("/api/albums/{album}/shares"),
                Some(ALICE),
                &body.to_string(),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{share}");
        share
    }

    /// A share link's page, as its visitor gets it.
    pub async fn public(&self, path: &str) -> (StatusCode, Value) {
        let (status, body) = self.get_public(path).await;
        (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
    }
}
