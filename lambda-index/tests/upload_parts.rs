//! Originals sent in parts, in-process over the in-memory stores: who is offered
//! a multipart upload, how its parts are signed, what a reloaded tab is told when it resumes,
//! and that a commit puts the file together only once every part is there.

use axum::http::StatusCode;
use serde_json::{Value, json};

mod support;
use support::api::{ALICE, BOB, ID, api, commit, indexed};

const MIB: u64 = 1024 * 1024;
/// A 100 MiB video and 5 bytes: thirteen parts, the last of 4 MiB and 5 bytes.
const VIDEO_BYTES: u64 = 100 * MIB + 5;

fn video() -> Value {
    json!({ "id": ID, "bytes": VIDEO_BYTES, "content_type": "video/mp4", "filename": "IMG_0002.MOV",
            "thumb": { "bytes": 21_000, "content_type": "image/webp" },
            "web": { "bytes": 140_000, "content_type": "image/webp" } })
}

fn video_commit(upload_id: &str) -> Value {
    let mut body = commit(ID);
    body["filename"] = json!("IMG_0002.MOV");
    body["content_type"] = json!("video/mp4");
    body["bytes"] = json!(VIDEO_BYTES);
    body["upload_id"] = json!(upload_id);
    body
}

/// Asks to upload the video as an SPA that sends parts: its upload id.
async fn started(api: &support::api::Api) -> String {
    resumed(api, ALICE, None).await.0
}

/// Asks again, as a reloaded tab does, naming the upload it had begun: the
/// upload id answered, and the parts the store holds.
async fn resumed(api: &support::api::Api, user: &str, upload_id: Option<&str>) -> (String, Value) {
    let mut file = video();
    if let Some(upload_id) = upload_id {
        file["resume"] = json!(upload_id);
    }
    let body = json!({ "files": [file], "in_parts": true }).to_string();
    let (status, answer) = api.post("/api/uploads", Some(user), &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let original = answer["files"][0]["targets"]["original"].clone();
    let upload_id = original["upload_id"]
        .as_str()
        .unwrap_or_else(|| panic!("a multipart upload: {answer}"))
        .to_owned();
    (upload_id, original["stored"].clone())
}

fn parts_path(id: &str) -> String {
    format!("/api/uploads/{id}/parts")
}

async fn sign(api: &support::api::Api, user: &str, body: Value) -> (StatusCode, Value) {
    api.post(&parts_path(ID), Some(user), &body.to_string())
        .await
}

#[tokio::test]
async fn a_large_original_goes_in_eight_mib_parts_for_a_client_that_sends_them() {
    let api = api();
    let body = json!({ "files": [video()], "in_parts": true }).to_string();
    let (_, answer) = api.post("/api/uploads", Some(ALICE), &body).await;
    let targets = &answer["files"][0]["targets"];
    assert_eq!(
        targets["original"]["plan"],
        json!({ "bytes": VIDEO_BYTES, "part_bytes": 8 * MIB, "parts": 13 })
    );
    assert!(
        targets["thumb"]["url"].as_str().is_some(),
        "the previews are still one PUT each: {targets}"
    );

    // An SPA from before parts gets one PUT, as it always did.
    let (_, answer) = api.uploads(ALICE, json!([video()])).await;
    let original = &answer["files"][0]["targets"]["original"];
    assert_eq!(original["method"], "PUT", "{answer}");
    assert_eq!(
        original["headers"]["content-length"],
        VIDEO_BYTES.to_string()
    );

    // Small files stay one PUT whoever asks.
    let mut small = video();
    small["bytes"] = json!(15 * MIB);
    let body = json!({ "files": [small], "in_parts": true }).to_string();
    let (_, answer) = api.post("/api/uploads", Some(ALICE), &body).await;
    assert_eq!(answer["files"][0]["targets"]["original"]["method"], "PUT");
}

#[tokio::test]
async fn a_file_over_the_single_put_limit_is_refused_only_to_a_client_without_parts() {
    let api = api();
    let mut big = video();
    big["bytes"] = json!(3_000_000_000_u64);
    let (_, answer) = api.uploads(ALICE, json!([big.clone()])).await;
    assert_eq!(
        answer["files"][0]["error"]["message"],
        "the file is 3000 MB, over this Shoebox's limit of 210 MB"
    );
    let body = json!({ "files": [big], "in_parts": true }).to_string();
    let (_, answer) = api.post("/api/uploads", Some(ALICE), &body).await;
    assert_eq!(
        answer["files"][0]["targets"]["original"]["plan"]["parts"],
        358
    );
    let mut huge = video();
    huge["bytes"] = json!(60_000_000_000_u64);
    let body = json!({ "files": [huge], "in_parts": true }).to_string();
    let (_, answer) = api.post("/api/uploads", Some(ALICE), &body).await;
    assert_eq!(
        answer["files"][0]["error"]["message"],
        "the file is 60000 MB, over this Shoebox's limit of 53687 MB"
    );
}

#[tokio::test]
async fn each_part_is_signed_for_its_own_length_and_nothing_else() {
    let api = api();
    let upload_id = started(&api).await;
    let (status, answer) = sign(
        &api,
        ALICE,
        json!({ "upload_id": upload_id, "bytes": VIDEO_BYTES, "numbers": [1, 13] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let parts = answer["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["number"], 1);
    assert_eq!(
        parts[0]["target"]["headers"]["content-length"],
        (8 * MIB).to_string()
    );
    assert_eq!(
        parts[1]["target"]["headers"]["content-length"],
        (4 * MIB + 5).to_string()
    );
    let url = parts[1]["target"]["url"].as_str().expect("url");
    assert!(
        url.contains(&format!(
            "u/{ALICE}/o/{ID}?partNumber=13&uploadId={upload_id}"
        )),
        "{url}"
    );

    for (body, needle) in [
        (
            json!({ "upload_id": upload_id, "bytes": VIDEO_BYTES, "numbers": [14] }),
            "parts 1 to 13, not 14",
        ),
        (
            json!({ "upload_id": upload_id, "bytes": VIDEO_BYTES, "numbers": [0] }),
            "not 0",
        ),
        (
            json!({ "upload_id": upload_id, "bytes": VIDEO_BYTES, "numbers": [] }),
            "1 to 100 parts",
        ),
        (
            json!({ "upload_id": upload_id, "bytes": VIDEO_BYTES, "numbers": (1..=101).collect::<Vec<_>>() }),
            "1 to 100 parts",
        ),
        (
            json!({ "upload_id": "<x>", "bytes": VIDEO_BYTES, "numbers": [1] }),
            "not an upload id",
        ),
        (
            json!({ "upload_id": upload_id, "bytes": 60_000_000_000_u64, "numbers": [1] }),
            "over this Shoebox's limit",
        ),
        (
            json!({ "upload_id": upload_id, "bytes": 0, "numbers": [1] }),
            "empty",
        ),
    ] {
        let (status, answer) = sign(&api, ALICE, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        let message = answer["error"]["message"].as_str().expect("message");
        assert!(message.contains(needle), "{body}: {message}");
    }

    // Bob may ask with Alice's upload id, but what he gets names his own key,
    // which that upload is not for: the store refuses the parts.
    let (_, answer) = sign(
        &api,
        BOB,
        json!({ "upload_id": upload_id, "bytes": VIDEO_BYTES, "numbers": [1] }),
    )
    .await;
    let url = answer["parts"][0]["target"]["url"].as_str().expect("url");
    assert!(url.contains(&format!("u/{BOB}/o/{ID}?")), "{url}");
    api.objects.put_part(&upload_id, 1, 8 * MIB);
    let (bobs, stored) = resumed(&api, BOB, Some(&upload_id)).await;
    assert_ne!(bobs, upload_id, "Bob cannot continue Alice's upload");
    assert_eq!(stored, json!([]));
}

#[tokio::test]
async fn a_resuming_browser_learns_which_parts_are_there_and_the_commit_waits_for_all() {
    let api = api();
    let upload_id = started(&api).await;
    assert_eq!(
        resumed(&api, ALICE, Some(&upload_id)).await,
        (upload_id.clone(), json!([]))
    );

    for number in 1..=11 {
        api.objects.put_part(&upload_id, number, 8 * MIB);
    }
    // A part cut short (the tab closed mid-part) is no part.
    api.objects.put_part(&upload_id, 12, 3 * MIB);
    assert_eq!(
        resumed(&api, ALICE, Some(&upload_id)).await,
        (
            upload_id.clone(),
            json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
        )
    );
    api.objects.put_part(&upload_id, 12, 8 * MIB);
    api.upload_all(ALICE, ID);
    let original = format!("u/{ALICE}/o/{ID}");
    api.objects.sizes.lock().expect("lock").remove(&original);

    let (status, answer) = api.commit(ALICE, &video_commit(&upload_id)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(
        answer["error"]["message"],
        "Cannot commit yet: 1 of the original's 13 parts are not uploaded (part 13 first)."
    );
    assert!(!indexed(&api, ALICE, ID));

    // A last part of the wrong length is not the file either.
    api.objects.put_part(&upload_id, 13, 8 * MIB);
    let (status, _) = api.commit(ALICE, &video_commit(&upload_id)).await;
    assert_eq!(status, StatusCode::CONFLICT);

    api.objects.put_part(&upload_id, 13, 4 * MIB + 5);
    let (status, answer) = api.commit(ALICE, &video_commit(&upload_id)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert!(indexed(&api, ALICE, ID));
    assert_eq!(
        api.objects.sizes.lock().expect("lock").get(&original),
        Some(&VIDEO_BYTES)
    );
    assert_eq!(api.objects.tag(&original), Some("original"));
    assert!(
        api.objects.uploads.lock().expect("lock").is_empty(),
        "the upload is finished"
    );

    // The commit again (its answer was lost): the upload is gone, the file is there.
    let (status, answer) = api.commit(ALICE, &video_commit(&upload_id)).await;
    assert_eq!(
        (status, answer["status"].clone()),
        (StatusCode::OK, json!("already_committed"))
    );
}

#[tokio::test]
async fn an_upload_given_up_is_gone_and_its_commit_says_so() {
    let api = api();
    let upload_id = started(&api).await;
    api.objects.put_part(&upload_id, 1, 8 * MIB);
    let listed = format!("{}?upload_id={upload_id}", parts_path(ID));
    let (status, _) = api.delete(&listed, ALICE).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (again, _) = resumed(&api, ALICE, Some(&upload_id)).await;
    assert_ne!(again, upload_id, "a new upload, from the start");
    api.objects.uploads.lock().expect("lock").clear();
    let (status, _) = api.delete(&listed, ALICE).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "giving up twice is fine");

    api.upload_all(ALICE, ID);
    api.objects
        .sizes
        .lock()
        .expect("lock")
        .remove(&format!("u/{ALICE}/o/{ID}"));
    let (status, answer) = api.commit(ALICE, &video_commit(&upload_id)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .expect("message")
            .contains("the original is not uploaded"),
        "{answer}"
    );
}

#[tokio::test]
async fn parts_sent_for_a_photo_already_kept_are_dropped() {
    let api = api();
    api.upload_all(ALICE, ID);
    let mut first = video_commit("unused");
    first.as_object_mut().expect("object").remove("upload_id");
    first["bytes"] = json!(4_200_000);
    assert_eq!(api.commit(ALICE, &first).await.0, StatusCode::CREATED);

    // A second tab started the same video before the first committed.
    let upload_id = started_anyway(&api).await;
    api.objects.put_part(&upload_id, 1, 8 * MIB);
    let (status, _) = api.commit(ALICE, &video_commit(&upload_id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        api.objects.uploads.lock().expect("lock").is_empty(),
        "its parts are not kept"
    );
}

/// A multipart upload for a photo the index already has, as a second tab that
/// asked before the first committed would hold.
async fn started_anyway(api: &support::api::Api) -> String {
    use lambda_index::store::{ObjectKey, ObjectStore, Owner, PhotoId};
    let key = ObjectKey::original(
        &Owner::new(ALICE).expect("owner"),
        &PhotoId::parse(ID).expect("id"),
    );
    api.objects
        .create_multipart(&key, "video/mp4")
        .await
        .expect("started")
}
