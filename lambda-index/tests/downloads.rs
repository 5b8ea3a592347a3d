//! `POST /downloads` in-process over the in-memory stores: the caller's
//! originals for one zip, each with a URL to fetch it; a Live Photo's video
//! comes with its still; anything not the caller's is listed as missing.

use axum::http::StatusCode;
use serde_json::{Value, json};

mod support;
use support::api::{ALICE, Api, BOB, api, id};

async fn downloads(api: &Api, user: Option<&str>, ids: &[String]) -> (StatusCode, Value) {
    api.post("/api/downloads", user, &json!({ "ids": ids }).to_string())
        .await
}

async fn commit(api: &Api, user: &str, photo: &str, change: impl FnOnce(&mut Value)) {
    api.upload_all(user, photo);
    let mut body = support::api::commit(photo);
    change(&mut body);
    let (status, answer) = api.commit(user, &body).await;
    assert!(status.is_success(), "{answer}");
}

#[tokio::test]
async fn the_callers_originals_come_in_order_with_a_live_photos_video_after_its_still() {
    let api = api();
    let (photo, still, video, bobs) = (id(1), id(2), id(3), id(4));
    commit(&api, ALICE, &photo, |body| {
        body["filename"] = json!("IMG_0001.JPG")
    })
    .await;
    commit(&api, ALICE, &still, |body| {
        body["filename"] = json!("IMG_0042.HEIC");
        body["metadata"]["live_id"] = json!("2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99");
    })
    .await;
    commit(&api, ALICE, &video, |body| {
        body["filename"] = json!("IMG_0042.MOV");
        body["content_type"] = json!("video/quicktime");
        body["video"] = json!({ "duration_ms": 2_900 });
        body["metadata"]["live_id"] = json!("2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99");
    })
    .await;
    commit(&api, BOB, &bobs, |_| {}).await;

    let asked = [
        still.clone(),
        bobs.clone(),
        "../etc".to_owned(),
        photo.clone(),
    ];
    let (status, list) = downloads(&api, Some(ALICE), &asked).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let names: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["filename"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["IMG_0042.HEIC", "IMG_0042.MOV", "IMG_0001.JPG"]);
    let first = &list["items"][0];
    assert_eq!(first["id"], still.as_str());
    assert!(
        first["taken_at"].as_str().is_some_and(|at| at.len() >= 20),
        "{first}"
    );
    assert!(first["bytes"].as_u64().is_some(), "{first}");
    for item in list["items"].as_array().expect("items") {
        let id = item["id"].as_str().expect("id");
        let url = item["url"].as_str().expect("url");
        assert!(
            url.contains(&format!("u/{ALICE}/o/{id}")),
            "its own original: {url}"
        );
    }
    assert_eq!(
        list["missing"],
        json!([bobs, "../etc"]),
        "Bob's photo is as missing as no photo at all"
    );
}

#[tokio::test]
async fn too_many_ids_or_no_sign_in_is_refused() {
    let api = api();
    let many: Vec<String> = (0..501).map(|n| format!("{n:064x}")).collect();
    let (status, answer) = downloads(&api, Some(ALICE), &many).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .is_some_and(|message| message.contains("at most 500")),
        "{answer}"
    );
    let (status, _) = downloads(&api, None, &[id(1)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
