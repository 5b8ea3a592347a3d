//! `POST /uploads` and `POST /photos` in-process, over the in-memory stores: what
//! each user is offered, what is refused and why, and that nothing is indexed
//! before all of a photo's files are in the store.

use std::sync::{Arc, atomic::Ordering};

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use lambda_index::store::{Owner, PhotoId, PhotoIndex};
use serde_json::{Value, json};
use tower::ServiceExt;

mod support;
use support::{MemoryIndex, MemoryObjects, jwks, state_over, token_for, verifier_with};

const ALICE: &str = "a11ce000-0000-4000-8000-000000000001";
const BOB: &str = "b0b00000-0000-4000-8000-000000000002";
const ID: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const OTHER_ID: &str = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

struct Api {
    objects: Arc<MemoryObjects>,
    index: Arc<MemoryIndex>,
    router: axum::Router,
}

fn api() -> Api {
    let objects = Arc::new(MemoryObjects::default());
    let index = Arc::new(MemoryIndex::default());
    let router = lambda_index::router(state_over(
        verifier_with(jwks(true)),
        objects.clone(),
        index.clone(),
    ));
    Api {
        objects,
        index,
        router,
    }
}

impl Api {
    async fn post(&self, path: &str, user: Option<&str>, body: &str) -> (StatusCode, Value) {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(user) = user {
            request = request.header(header::AUTHORIZATION, format!("Bearer {}", token_for(user)));
        }
        self.send(request.body(Body::from(body.to_owned())).expect("request"))
            .await
    }

    /// The status and JSON body the router answers `request` with.
    async fn send(&self, request: Request<Body>) -> (StatusCode, Value) {
        let response = self.router.clone().oneshot(request).await.expect("answers");
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

    async fn uploads(&self, user: &str, files: Value) -> (StatusCode, Value) {
        self.post(
            "/api/uploads",
            Some(user),
            &json!({ "files": files }).to_string(),
        )
        .await
    }

    async fn commit(&self, user: &str, commit: &Value) -> (StatusCode, Value) {
        self.post("/api/photos", Some(user), &commit.to_string())
            .await
    }

    /// What the browser's three PUTs would leave in the store.
    fn upload_all(&self, user: &str, id: &str) {
        self.objects.put(&format!("u/{user}/o/{id}"), 4_200_000);
        self.objects.put(&format!("u/{user}/t/{id}.webp"), 21_000);
        self.objects.put(&format!("u/{user}/w/{id}.webp"), 140_000);
    }
}

fn file(id: &str) -> Value {
    json!({ "id": id, "bytes": 4_200_000, "content_type": "image/jpeg", "filename": "IMG_0001.JPG",
            "thumb": { "bytes": 21_000, "content_type": "image/webp" },
            "web": { "bytes": 140_000, "content_type": "image/webp" } })
}

fn commit(id: &str) -> Value {
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

fn indexed(api: &Api, user: &str, id: &str) -> bool {
    let index = api.index.clone();
    let owner = Owner::new(user).expect("owner");
    let id = PhotoId::parse(id).expect("id");
    futures::executor::block_on(async move { index.get(&owner, &id).await })
        .expect("index")
        .is_some()
}

#[tokio::test]
async fn a_new_photo_gets_three_presigned_puts_under_the_users_own_prefix() {
    let api = api();
    let (status, body) = api.uploads(ALICE, json!([file(ID)])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer = &body["files"][0];
    assert_eq!(answer["status"], "upload");
    assert_eq!(answer["id"], ID);
    let targets = &answer["targets"];
    for (name, key, content_type, length) in [
        (
            "original",
            format!("u/{ALICE}/o/{ID}"),
            "image/jpeg",
            "4200000",
        ),
        (
            "thumb",
            format!("u/{ALICE}/t/{ID}.webp"),
            "image/webp",
            "21000",
        ),
        (
            "web",
            format!("u/{ALICE}/w/{ID}.webp"),
            "image/webp",
            "140000",
        ),
    ] {
        let target = &targets[name];
        assert_eq!(target["method"], "PUT");
        assert!(
            target["url"]
                .as_str()
                .expect("url")
                .contains(&format!("/{key}?")),
            "{name}: {target}"
        );
        assert_eq!(target["headers"]["content-type"], content_type, "{name}");
        assert_eq!(target["headers"]["content-length"], length, "{name}");
    }
}

#[tokio::test]
async fn a_file_the_browser_has_no_type_or_preview_for_still_uploads_its_original() {
    let api = api();
    let raw =
        json!({ "id": ID, "bytes": 25_000_000, "content_type": "", "filename": "DSC_0001.NEF" });
    let (_, body) = api.uploads(ALICE, json!([raw])).await;
    let targets = &body["files"][0]["targets"];
    assert_eq!(
        targets["original"]["headers"]["content-type"],
        "application/octet-stream"
    );
    assert_eq!(targets["thumb"], Value::Null);
    assert_eq!(targets["web"], Value::Null);
}

#[tokio::test]
async fn a_committed_photo_is_offered_as_existing_to_its_owner_only() {
    let api = api();
    api.upload_all(ALICE, ID);
    assert_eq!(api.commit(ALICE, &commit(ID)).await.0, StatusCode::CREATED);

    let (_, body) = api.uploads(ALICE, json!([file(ID), file(OTHER_ID)])).await;
    assert_eq!(body["files"][0], json!({ "status": "exists", "id": ID }));
    assert_eq!(body["files"][1]["status"], "upload");

    let (_, body) = api.uploads(BOB, json!([file(ID)])).await;
    assert_eq!(
        body["files"][0]["status"], "upload",
        "Bob's library is his own: {body}"
    );
    assert!(
        body["files"][0]["targets"]["original"]["url"]
            .as_str()
            .expect("url")
            .contains(&format!("u/{BOB}/o/{ID}"))
    );
}

#[tokio::test]
async fn bad_files_are_refused_alone_with_their_reason() {
    let api = api();
    let mut huge = file(ID);
    huge["bytes"] = json!(300_000_000u64);
    let mut empty = file(ID);
    empty["bytes"] = json!(0);
    let mut bad_id = file(ID);
    bad_id["id"] = json!("../../etc/passwd");
    let mut png_preview = file(ID);
    png_preview["thumb"]["content_type"] = json!("image/png");
    let mut one_preview = file(ID);
    one_preview["web"] = Value::Null;
    let mut bad_name = file(ID);
    bad_name["filename"] = json!("a\u{0}b.jpg");
    let files = json!([
        huge,
        empty,
        bad_id,
        png_preview,
        one_preview,
        bad_name,
        file(OTHER_ID)
    ]);
    let (status, body) = api.uploads(ALICE, files).await;
    assert_eq!(status, StatusCode::OK);
    let reasons: Vec<String> = body["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|answer| format!("{}: {}", answer["status"], answer["error"]["message"]))
        .collect();
    assert_eq!(
        reasons,
        [
            "\"refused\": \"the file is 300 MB, over this Shoebox's limit of 210 MB\"",
            "\"refused\": \"the file is empty\"",
            "\"refused\": \"the id must be the file's SHA-256 in lowercase hex\"",
            "\"refused\": \"the thumbnail must be image/webp or image/jpeg\"",
            "\"refused\": \"send both previews or neither\"",
            "\"refused\": \"the file name has control characters\"",
            "\"upload\": null",
        ]
    );
}

#[tokio::test]
async fn malformed_requests_get_the_apis_error_shape() {
    let api = api();
    for (body, needle) in [
        ("{\"files\": []}", "1 to 100 files"),
        ("{\"files\": [{\"id\": 1}]}", "id"),
        ("not json", "JSON"),
    ] {
        let (status, answer) = api.post("/api/uploads", Some(ALICE), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(answer["error"]["code"], "invalid_request", "{body}");
        let message = answer["error"]["message"].as_str().expect("message");
        assert!(message.contains(needle), "{body}: {message}");
    }
    let (status, answer) = api.post("/api/uploads", None, "{\"files\": []}").await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("unauthorized"))
    );
    let (status, _) = api.post("/api/photos", None, &commit(ID).to_string()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_commit_before_the_files_are_uploaded_indexes_nothing() {
    let api = api();
    let (status, body) = api.commit(ALICE, &commit(ID)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "upload_incomplete");
    let message = body["error"]["message"].as_str().expect("message");
    assert!(
        message.contains(
            "the original is not uploaded; the thumb is not uploaded; the web is not uploaded"
        ),
        "{message}"
    );

    // Only the original arrived, and the web view is short.
    api.objects.put(&format!("u/{ALICE}/o/{ID}"), 4_200_000);
    api.objects.put(&format!("u/{ALICE}/t/{ID}.webp"), 21_000);
    api.objects.put(&format!("u/{ALICE}/w/{ID}.webp"), 100);
    let (status, body) = api.commit(ALICE, &commit(ID)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        body["error"]["message"]
            .as_str()
            .expect("message")
            .contains("the web has 100 bytes, not the 140000 promised")
    );
    assert!(!indexed(&api, ALICE, ID));
}

#[tokio::test]
async fn committing_twice_indexes_once() {
    let api = api();
    api.upload_all(ALICE, ID);
    let (status, body) = api.commit(ALICE, &commit(ID)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::CREATED,
            json!({ "id": ID, "status": "committed" })
        )
    );
    let heads = api.objects.heads.load(Ordering::SeqCst);
    let (status, body) = api.commit(ALICE, &commit(ID)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({ "id": ID, "status": "already_committed" })
        )
    );
    assert_eq!(
        api.objects.heads.load(Ordering::SeqCst),
        heads,
        "a repeat commit does not touch the store"
    );
    assert_eq!(api.index.records.lock().expect("lock").len(), 1);
    let record = api
        .index
        .records
        .lock()
        .expect("lock")
        .values()
        .next()
        .cloned()
        .expect("record");
    assert_eq!(record.taken_at.offset().whole_hours(), 2);
    assert_eq!(record.metadata.camera.as_deref(), Some("Samsung SM-J320F"));
}

#[tokio::test]
async fn one_users_files_cannot_be_committed_into_another_users_library() {
    let api = api();
    api.upload_all(ALICE, ID);
    let (status, _) = api.commit(BOB, &commit(ID)).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "Bob has no files under his prefix"
    );
    assert!(!indexed(&api, BOB, ID));
}

#[tokio::test]
async fn a_store_that_is_down_answers_503_so_the_browser_retries() {
    let api = api();
    api.upload_all(ALICE, ID);
    api.objects.down.store(true, Ordering::SeqCst);
    let (status, body) = api.commit(ALICE, &commit(ID)).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            &json!("storage_unavailable")
        )
    );
    api.objects.down.store(false, Ordering::SeqCst);
    assert_eq!(api.commit(ALICE, &commit(ID)).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn a_commit_with_a_bad_time_or_sizes_is_refused() {
    let api = api();
    api.upload_all(ALICE, ID);
    for (field, value, needle) in [
        (
            "taken_at",
            json!("2019:09:26 16:38:00"),
            "not an RFC 3339 time",
        ),
        ("width", json!(0), "width and height"),
        ("placeholder", json!("x".repeat(500)), "placeholder"),
    ] {
        let mut body = commit(ID);
        body[field] = value;
        let (status, answer) = api.commit(ALICE, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{field}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .expect("message")
                .contains(needle),
            "{field}: {answer}"
        );
    }
    assert!(!indexed(&api, ALICE, ID));
}

impl Api {
    async fn get(&self, path: &str, user: &str) -> (StatusCode, Value) {
        let request = Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", token_for(user)))
            .body(Body::empty())
            .expect("request");
        self.send(request).await
    }

    /// Commits photo `id` for `user`, taken at `taken_at`.
    async fn committed(&self, user: &str, id: &str, taken_at: &str) {
        self.upload_all(user, id);
        let mut body = commit(id);
        body["taken_at"] = json!(taken_at);
        assert_eq!(self.commit(user, &body).await.0, StatusCode::CREATED);
    }
}

fn id(n: u8) -> String {
    format!("{n:02x}").repeat(32)
}

#[tokio::test]
async fn the_timeline_pages_newest_first_and_keeps_bursts_apart() {
    let api = api();
    // Two photos in the same second (a burst), an older one, and one taken in
    // another zone that is the newest in UTC.
    api.committed(ALICE, &id(1), "2019-09-26T16:38:00+02:00")
        .await;
    api.committed(ALICE, &id(2), "2019-09-26T16:38:00+02:00")
        .await;
    api.committed(ALICE, &id(3), "2018-01-01T09:00:00+00:00")
        .await;
    api.committed(ALICE, &id(4), "2019-09-26T10:00:00-05:00")
        .await;

    let (status, first) = api.get("/api/photos?limit=3", ALICE).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|p| p["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids(&first), [id(4), id(2), id(1)]);
    assert_eq!(
        first["items"][0]["taken_at"], "2019-09-26T10:00:00-05:00",
        "shown in its own zone"
    );
    let thumb = &first["items"][1]["thumb"];
    assert!(
        thumb["url"]
            .as_str()
            .expect("url")
            .contains(&format!("u/{ALICE}/t/{}.webp", id(2)))
    );
    assert_eq!(
        (thumb["width"].clone(), thumb["height"].clone()),
        (json!(400), json!(533))
    );
    assert_eq!(first["items"][1]["camera"], "Samsung SM-J320F");

    let cursor = first["next_cursor"].as_str().expect("a next page");
    let (_, second) = api
        .get(&format!("/api/photos?limit=3&cursor={cursor}"), ALICE)
        .await;
    assert_eq!(ids(&second), [id(3)]);
    assert_eq!(second["next_cursor"], Value::Null, "the end");

    let (_, bobs) = api.get("/api/photos", BOB).await;
    assert_eq!(bobs["items"], json!([]), "Bob sees none of Alice's photos");
    let (status, body) = api.get(&format!("/api/photos?cursor={cursor}"), BOB).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request")),
        "Alice's cursor is not Bob's"
    );
    let forged = format!("{}A", &cursor[..cursor.len() - 1]);
    let (status, _) = api
        .get(&format!("/api/photos?cursor={forged}"), ALICE)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an edited cursor");
}

#[tokio::test]
async fn one_photo_comes_with_its_originals_download_to_its_owner_only() {
    let api = api();
    api.committed(ALICE, ID, "2019-09-26T16:38:00+02:00").await;
    let (status, photo) = api.get(&format!("/api/photos/{ID}"), ALICE).await;
    assert_eq!(status, StatusCode::OK, "{photo}");
    let url = photo["original_url"].as_str().expect("a download URL");
    assert!(
        url.contains(&format!("u/{ALICE}/o/{ID}")) && url.contains("IMG_0001.JPG"),
        "{url}"
    );
    let (_, page) = api.get("/api/photos", ALICE).await;
    assert_eq!(
        page["items"][0].get("original_url"),
        None,
        "pages do not sign downloads"
    );
    for (path, user) in [
        (format!("/api/photos/{ID}"), BOB),
        ("/api/photos/not-an-id".to_owned(), ALICE),
        (format!("/api/photos/{OTHER_ID}"), ALICE),
    ] {
        let (status, body) = api.get(&path, user).await;
        assert_eq!(
            (status, &body["error"]["code"]),
            (StatusCode::NOT_FOUND, &json!("not_found")),
            "{path} as {user}"
        );
    }
}
