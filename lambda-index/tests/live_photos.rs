//! Live Photos through the API, in-process over the in-memory stores: a still
//! and a video with one content identifier are two commits, in either order,
//! and one item in the timeline: the still, playing the video.

use axum::http::StatusCode;
use serde_json::{Value, json};

mod support;
use support::api::{ALICE, Api, BOB, api, id, indexed};

const LIVE_ID: &str = "2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99";

async fn commit_still(api: &Api, user: &str, still: &str, live_id: &str) -> StatusCode {
    api.upload_all(user, still);
    let mut body = support::api::commit(still);
    body["filename"] = json!("IMG_0042.HEIC");
    body["metadata"]["live_id"] = json!(live_id);
    let (status, answer) = api.commit(user, &body).await;
    assert!(status.is_success(), "{answer}");
    status
}

async fn commit_video(api: &Api, user: &str, video: &str, live_id: &str) -> StatusCode {
    api.upload_all(user, video);
    let mut body = support::api::commit(video);
    body["filename"] = json!("IMG_0042.MOV");
    body["content_type"] = json!("video/quicktime");
    body["video"] = json!({ "duration_ms": 2_900 });
    body["metadata"]["live_id"] = json!(live_id);
    let (status, answer) = api.commit(user, &body).await;
    assert!(status.is_success(), "{answer}");
    status
}

/// The timeline as its owner pages it.
async fn timeline(api: &Api, user: &str) -> Vec<Value> {
    let (_, page) = api.get("/api/photos", user).await;
    page["items"].as_array().expect("items").clone()
}

fn plays(item: &Value, video: &str) -> bool {
    item["play_url"]
        .as_str()
        .is_some_and(|url| url.contains(&format!("/o/{video}?signed-get")))
}

#[tokio::test]
async fn a_live_photo_is_one_item_whichever_half_comes_first() {
    for video_first in [true, false] {
        let api = api();
        let (still, video) = (id(1), id(2));
        if video_first {
            commit_video(&api, ALICE, &video, LIVE_ID).await;
            // Alone, the video is a video.
            let items = timeline(&api, ALICE).await;
            assert_eq!(items.len(), 1);
            assert!(plays(&items[0], &video));
            commit_still(&api, ALICE, &still, LIVE_ID).await;
        } else {
            commit_still(&api, ALICE, &still, LIVE_ID).await;
            commit_video(&api, ALICE, &video, LIVE_ID).await;
        }
        let items = timeline(&api, ALICE).await;
        assert_eq!(items.len(), 1, "video first: {video_first}: {items:?}");
        let item = &items[0];
        assert_eq!(item["id"], still.as_str());
        assert_eq!(item["live"], json!({ "id": video, "duration_ms": 2_900 }));
        assert!(plays(item, &video), "the still plays its video: {item}");
        let (_, counts) = api.get("/api/timeline", ALICE).await;
        assert_eq!(
            counts.to_string().matches("\"count\":1").count(),
            1,
            "one item on its day: {counts}"
        );
        // Both are kept, and the video is known to dedup.
        assert!(indexed(&api, ALICE, &still) && indexed(&api, ALICE, &video));
        let (_, offered) = api
            .uploads(ALICE, json!([support::api::file(&video)]))
            .await;
        assert_eq!(offered["files"][0]["status"], "exists", "{offered}");
    }
}

#[tokio::test]
async fn committing_a_half_again_finishes_a_join_and_changes_nothing_else() {
    let api = api();
    let (still, video) = (id(1), id(2));
    commit_still(&api, ALICE, &still, LIVE_ID).await;
    assert_eq!(
        commit_video(&api, ALICE, &video, LIVE_ID).await,
        StatusCode::CREATED
    );
    assert_eq!(
        commit_video(&api, ALICE, &video, LIVE_ID).await,
        StatusCode::OK,
        "already committed"
    );
    assert_eq!(
        commit_still(&api, ALICE, &still, LIVE_ID).await,
        StatusCode::OK
    );
    assert_eq!(timeline(&api, ALICE).await.len(), 1);
}

#[tokio::test]
async fn only_the_same_owners_halves_pair() {
    let api = api();
    commit_still(&api, ALICE, &id(1), LIVE_ID).await;
    commit_video(&api, BOB, &id(2), LIVE_ID).await;
    let alices = timeline(&api, ALICE).await;
    assert_eq!(alices.len(), 1);
    assert_eq!(alices[0]["live"], Value::Null);
    assert_eq!(alices[0]["play_url"], Value::Null);
    assert_eq!(timeline(&api, BOB).await.len(), 1, "Bob's video stays his");
}

#[tokio::test]
async fn deleting_a_live_photo_deletes_both_halves() {
    let api = api();
    let (still, video) = (id(1), id(2));
    commit_video(&api, ALICE, &video, LIVE_ID).await;
    commit_still(&api, ALICE, &still, LIVE_ID).await;
    api.delete_for_good(&still, ALICE).await;
    assert!(!indexed(&api, ALICE, &still));
    assert!(!indexed(&api, ALICE, &video), "its video goes with it");
    assert!(timeline(&api, ALICE).await.is_empty());
    assert!(
        !api.objects
            .sizes
            .lock()
            .expect("lock")
            .keys()
            .any(|key| key.contains(&video)),
        "and its files"
    );
}

#[tokio::test]
async fn a_content_identifier_that_is_not_a_short_id_is_refused() {
    let api = api();
    api.upload_all(ALICE, &id(1));
    for bad in ["", "has spaces", "../../etc", &"A".repeat(65)] {
        let mut body = support::api::commit(&id(1));
        body["metadata"]["live_id"] = json!(bad);
        let (status, answer) = api.commit(ALICE, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}: {answer}");
    }
    assert!(!indexed(&api, ALICE, &id(1)));
}

/// The video's atoms may hold where it was taken, as any original's: a link
/// that keeps the location private shows the still, and its visitor asks for
/// a copy of the video without the place (`public_play.rs`).
#[tokio::test]
async fn a_share_link_plays_a_live_photos_original_only_where_it_shows_the_location() {
    let api = api();
    let (still, video) = (id(1), id(2));
    commit_still(&api, ALICE, &still, LIVE_ID).await;
    commit_video(&api, ALICE, &video, LIVE_ID).await;
    let album = api
        .new_album(ALICE, "Trip", std::slice::from_ref(&still))
        .await;
    let album_id = album["id"].as_str().expect("id");
    for (share, shows) in [(json!({}), false), (json!({ "show_location": true }), true)] {
        let link = api.new_share(album_id, share.clone()).await;
        let token = link["token"].as_str().expect("token");
        let (_, page) = api.public(&format!("/api/public/{token}")).await;
        let item = &page["items"][0];
        assert_eq!(plays(item, &video), shows, "{share}: {item}");
        assert!(item["live"].is_object(), "{share}: {item}");
        assert_eq!(item["play_on_request"] == true, !shows, "{share}: {item}");
    }
}
