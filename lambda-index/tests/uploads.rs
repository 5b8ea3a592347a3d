//! `POST /uploads` and `POST /photos` in-process, over the in-memory stores: what
//! each user is offered, what is refused and why, and that nothing is indexed
//! before all of a photo's files are in the store.

use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use serde_json::{Value, json};

mod support;
use support::api::{ALICE, BOB, ID, OTHER_ID, api, commit, file, indexed};

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

/// Before this change, a photo whose original was gone (a commit that raced
/// the sweep of uncommitted uploads) was "exists" for ever, and never whole again.
#[tokio::test]
async fn a_committed_photo_whose_original_is_gone_is_offered_for_upload_again_and_mended() {
    let api = api();
    api.upload_all(ALICE, ID);
    assert_eq!(api.commit(ALICE, &commit(ID)).await.0, StatusCode::CREATED);
    let original = format!("u/{ALICE}/o/{ID}");
    api.objects.sizes.lock().expect("lock").remove(&original);

    let (_, body) = api.uploads(ALICE, json!([file(ID)])).await;
    assert_eq!(body["files"][0]["status"], "upload", "{body}");
    assert!(
        body["files"][0]["targets"]["original"]["url"]
            .as_str()
            .expect("url")
            .contains(&original)
    );
    // The browser's PUTs (the previews' answer 412: they are there), then the commit.
    api.objects.put(&original, 4_200_000);
    let (status, body) = api.commit(ALICE, &commit(ID)).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({ "id": ID, "status": "already_committed" })
        )
    );
    assert_eq!(api.objects.tag(&original), Some("original"), "kept");
    let (_, body) = api.uploads(ALICE, json!([file(ID)])).await;
    assert_eq!(body["files"][0]["status"], "exists", "whole again");
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
    assert_eq!(
        api.objects.tag(&format!("u/{ALICE}/o/{ID}")),
        Some("pending"),
        "an upload that is not committed stays pending, for the bucket's lifecycle to expire"
    );
}

#[tokio::test]
async fn a_commit_keeps_the_files_and_marks_the_original_for_the_cheaper_storage_class() {
    let api = api();
    api.upload_all(ALICE, ID);
    let files = [
        format!("u/{ALICE}/o/{ID}"),
        format!("u/{ALICE}/t/{ID}.webp"),
        format!("u/{ALICE}/w/{ID}.webp"),
    ];
    assert!(
        files
            .iter()
            .all(|key| api.objects.tag(key) == Some("pending"))
    );
    let (status, _) = api.commit(ALICE, &commit(ID)).await;
    assert_eq!(status, StatusCode::CREATED);
    let tags = || {
        files
            .iter()
            .map(|key| api.objects.tag(key))
            .collect::<Vec<_>>()
    };
    assert_eq!(tags(), [Some("original"), None, None]);

    // A second device uploads the same photo again before it learns it is
    // there: its PUTs mark the files pending once more, and its commit,
    // answered "already committed", must keep them all the same.
    api.upload_all(ALICE, ID);
    let (status, body) = api.commit(ALICE, &commit(ID)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "already_committed");
    assert_eq!(tags(), [Some("original"), None, None]);
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
        "a repeat commit does not check the sizes again"
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
    assert_eq!(
        record.details.metadata.camera.as_deref(),
        Some("Samsung SM-J320F")
    );
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

#[tokio::test]
async fn a_motion_photo_commits_with_a_clip_that_ends_where_its_file_does() {
    let api = api();
    api.upload_all(ALICE, ID);
    let mut body = commit(ID);
    for (start, bytes) in [(0, 4_200_000), (4_000_000, 100_000), (4_000_000, 300_000)] {
        body["motion"] = json!({ "start": start, "bytes": bytes, "duration_ms": 1_500 });
        let (status, answer) = api.commit(ALICE, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{start}+{bytes}: {answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .expect("message")
                .contains("must end where the file does"),
            "{answer}"
        );
    }
    body["motion"] = json!({ "start": 4_000_000, "bytes": 200_000, "duration_ms": 1_500 });
    assert_eq!(api.commit(ALICE, &body).await.0, StatusCode::CREATED);
    let (_, photo) = api.get(&format!("/api/photos/{ID}"), ALICE).await;
    assert_eq!(photo["motion"]["start"], 4_000_000);
    assert!(
        photo["play_url"]
            .as_str()
            .is_some_and(|url| url.contains(&format!("/o/{ID}"))),
        "its clip plays from the original: {photo}"
    );
}

#[tokio::test]
async fn what_an_import_brought_is_kept_and_held_to_its_limits() {
    let api = api();
    api.upload_all(ALICE, ID);
    let mut body = commit(ID);
    for (imported, needle) in [
        (json!({ "from": "" }), "imported.from"),
        (
            json!({ "from": "google-takeout", "description": "x".repeat(2001) }),
            "description",
        ),
        (
            json!({ "from": "google-takeout", "edit_of": "IMG_0001.jpg" }),
            "edit_of",
        ),
    ] {
        body["imported"] = imported;
        let (status, answer) = api.commit(ALICE, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .expect("message")
                .contains(needle),
            "{answer}"
        );
    }
    assert!(!indexed(&api, ALICE, ID));
    let original = "b".repeat(64);
    body["imported"] = json!({
        "from": "google-takeout",
        "description": "Grandma's 80th",
        "favorite": true,
        "edit_of": original,
    });
    assert_eq!(api.commit(ALICE, &body).await.0, StatusCode::CREATED);
    let (_, photo) = api.get(&format!("/api/photos/{ID}"), ALICE).await;
    assert_eq!(
        photo["imported"],
        json!({
            "from": "google-takeout",
            "description": "Grandma's 80th",
            "favorite": true,
            "archived": false,
            "edit_of": original,
        })
    );
}

/// The bucket is the library: a committed photo's record is kept beside its
/// original, reads back as the index's record, and goes with the photo.
#[tokio::test]
async fn a_committed_photo_keeps_its_record_beside_its_original_until_it_is_deleted() {
    use lambda_index::store::{Owner, PhotoId, PhotoIndex, record_object};

    let api = api();
    api.upload_all(ALICE, ID);
    let key = format!("u/{ALICE}/m/{ID}.json");
    // A store that cannot keep the record: nothing is listed, and the browser
    // is told to try again.
    api.objects.down.store(true, Ordering::SeqCst);
    assert_eq!(
        api.commit(ALICE, &commit(ID)).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    api.objects.down.store(false, Ordering::SeqCst);
    assert!(!indexed(&api, ALICE, ID));

    assert_eq!(api.commit(ALICE, &commit(ID)).await.0, StatusCode::CREATED);
    let kept = api
        .objects
        .contents
        .lock()
        .expect("lock")
        .get(&key)
        .cloned()
        .expect("the record is kept beside the original");
    let owner = Owner::new(ALICE).expect("owner");
    let id = PhotoId::parse(ID).expect("id");
    let from_bucket = record_object::decode(&kept, owner.clone()).expect("it reads");
    let index = api.index.clone();
    let from_index = index
        .get(&owner, &id)
        .await
        .expect("the index answers")
        .expect("listed");
    assert_eq!(from_bucket, from_index);

    // Committed again (as after a lost answer), a record gone missing is kept again.
    api.objects.contents.lock().expect("lock").remove(&key);
    assert_eq!(api.commit(ALICE, &commit(ID)).await.0, StatusCode::OK);
    assert!(
        api.objects
            .contents
            .lock()
            .expect("lock")
            .contains_key(&key)
    );

    api.delete_for_good(ID, ALICE).await;
    assert!(
        !api.objects
            .contents
            .lock()
            .expect("lock")
            .contains_key(&key)
    );
}
