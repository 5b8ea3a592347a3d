//! Originals in Glacier Deep Archive, through the API, over a store double
//! that answers as S3 does for archived objects (a GET refused with
//! `InvalidObjectState`, a HEAD saying whether a restore is under way or
//! done): the owner is told what restoring costs and takes instead of
//! getting a download that would fail; a restore is asked for once; the
//! download comes back once it is done; zips list archived originals apart;
//! share links give visitors the web view; videos are never archived;
//! `verify` notes an archived original without reading it.

use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use lambda_index::{
    Limits,
    recovery::{
        Library, inventory,
        verify::{self, Problem},
    },
};
use serde_json::{Value, json};

mod support;
use support::api::{ALICE, Api, BOB, api_with, id};

/// A stack whose photos' originals go to Deep Archive at once.
fn archiving() -> Api {
    api_with(Limits {
        deep_archive_after_days: Some(0),
        ..Limits::default()
    })
}

fn original(user: &str, id: &str) -> String {
    format!("u/{user}/o/{id}")
}

async fn restore(api: &Api, user: &str, id: &str, tier: &str) -> (StatusCode, Value) {
    api.post(
        &format!("/api/photos/{id}/restore"),
        Some(user),
        &json!({ "tier": tier }).to_string(),
    )
    .await
}

#[tokio::test]
async fn an_archived_original_is_restored_on_request_then_downloads() {
    let api = archiving();
    let photo = id(1);
    api.committed(ALICE, &photo, "2019-07-04T14:00:00+02:00")
        .await;
    assert_eq!(api.objects.tag(&original(ALICE, &photo)), Some("original"));
    api.objects.archive(&original(ALICE, &photo));

    let (status, shown) = api.get(&format!("/api/photos/{photo}"), ALICE).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        shown.get("original_url").is_none(),
        "no download that would fail: {shown}"
    );
    assert_eq!(shown["archived"]["state"], "archived");
    let options = &shown["archived"]["options"];
    assert_eq!(options[0]["tier"], "standard");
    assert_eq!(options[0]["hours"], 12);
    assert_eq!(options[1]["tier"], "bulk");
    assert_eq!(options[1]["hours"], 48);
    // 4.2 MB: $0.02/GB + $0.0001 a request, and an eighth or so of it in bulk.
    assert!((options[0]["usd"].as_f64().expect("usd") - 0.000184).abs() < 1e-9);
    assert!((options[1]["usd"].as_f64().expect("usd") - 0.0000355).abs() < 1e-9);
    assert_eq!(
        shown["thumb"]["url"]
            .as_str()
            .map(|url| url.contains("/t/")),
        Some(true)
    );

    // Asked once in bulk: under way, ready in about two days.
    let (status, asked) = restore(&api, ALICE, &photo, "bulk").await;
    assert_eq!(status, StatusCode::OK, "{asked}");
    assert_eq!(asked["archived"]["state"], "restoring");
    let ready = asked["archived"]["ready_about"].as_str().expect("a time");
    let ready = time::OffsetDateTime::parse(ready, &time::format_description::well_known::Rfc3339)
        .expect("RFC 3339");
    let hours = (ready - time::OffsetDateTime::now_utc()).whole_hours();
    assert!((47..=48).contains(&hours), "{hours}");
    // Asked again (another tab, a second tap): nothing more is asked of S3.
    let (_, again) = restore(&api, ALICE, &photo, "standard").await;
    assert_eq!(
        again["archived"], asked["archived"],
        "the same restore, the same time"
    );
    let (_, shown) = api.get(&format!("/api/photos/{photo}"), ALICE).await;
    assert_eq!(shown["archived"], asked["archived"]);
    assert_eq!(
        api.objects.restores.lock().expect("lock").clone(),
        [(
            original(ALICE, &photo),
            lambda_index::store::RestoreTier::Bulk
        )]
    );

    // Hours later the restore is done: the download is back.
    api.objects.finish_restore(&original(ALICE, &photo));
    let (_, shown) = api.get(&format!("/api/photos/{photo}"), ALICE).await;
    assert!(shown.get("archived").is_none(), "{shown}");
    assert!(
        shown["original_url"]
            .as_str()
            .is_some_and(|url| url.contains(&format!("/o/{photo}?download="))),
        "{shown}"
    );

    // Deleting the photo takes the restore's note with it.
    api.delete_for_good(&photo, ALICE).await;
    assert!(api.objects.kept_under(&format!("u/{ALICE}/r/")).is_empty());
}

#[tokio::test]
async fn only_the_owner_restores_and_only_at_a_known_speed() {
    let api = archiving();
    let photo = id(1);
    api.committed(ALICE, &photo, "2019-07-04T14:00:00+02:00")
        .await;
    api.objects.archive(&original(ALICE, &photo));
    assert_eq!(
        restore(&api, BOB, &photo, "bulk").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = restore(&api, ALICE, &photo, "expedited").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(api.objects.restores.lock().expect("lock").is_empty());
}

#[tokio::test]
async fn videos_stay_where_they_play_and_nothing_is_asked_of_s3_needlessly() {
    let api = archiving();
    let video = id(2);
    api.upload_all(ALICE, &video);
    let mut body = support::api::commit(&video);
    body["filename"] = json!("IMG_0042.MOV");
    body["content_type"] = json!("video/quicktime");
    body["video"] = json!({ "duration_ms": 2_900 });
    assert_eq!(api.commit(ALICE, &body).await.0, StatusCode::CREATED);
    assert_eq!(
        api.objects.tag(&original(ALICE, &video)),
        Some("playable"),
        "the lifecycle keeps it where it streams"
    );
    let heads = api.objects.heads.load(Ordering::SeqCst);
    let (_, shown) = api.get(&format!("/api/photos/{video}"), ALICE).await;
    assert!(shown["original_url"].is_string());
    assert_eq!(
        api.objects.heads.load(Ordering::SeqCst),
        heads,
        "a video is never archived"
    );

    // On a stack that archives after 30 days, a photo of today is not asked about.
    let later = api_with(Limits {
        deep_archive_after_days: Some(30),
        ..Limits::default()
    });
    later
        .committed(ALICE, &id(3), "2019-07-04T14:00:00+02:00")
        .await;
    let heads = later.objects.heads.load(Ordering::SeqCst);
    let (_, shown) = later.get(&format!("/api/photos/{}", id(3)), ALICE).await;
    assert!(shown["original_url"].is_string());
    assert_eq!(later.objects.heads.load(Ordering::SeqCst), heads);
}

#[tokio::test]
async fn a_zip_lists_archived_originals_apart_and_a_link_gives_visitors_the_web_view() {
    let api = archiving();
    let (cold, warm) = (id(1), id(2));
    for photo in [&cold, &warm] {
        api.committed(ALICE, photo, "2019-07-04T14:00:00+02:00")
            .await;
    }
    api.objects.archive(&original(ALICE, &cold));
    api.objects.finish_restore(&original(ALICE, &warm));

    let (status, list) = api
        .post(
            "/api/downloads",
            Some(ALICE),
            &json!({ "ids": [cold, warm] }).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let items: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["id"].as_str().expect("id"))
        .collect();
    assert_eq!(items, [warm.as_str()], "a restored original downloads");
    assert_eq!(list["archived"][0]["id"], cold.as_str());
    assert_eq!(list["archived"][0]["filename"], "IMG_0001.JPG");

    let album = api
        .new_album(ALICE, "Cold", std::slice::from_ref(&cold))
        .await;
    let share = api
        .new_share(
            album["id"].as_str().expect("id"),
            json!({ "allow_download": true, "show_location": true }),
        )
        .await;
    let (_, page) = api
        .public(&format!(
            "/api/public/{}",
            share["token"].as_str().expect("token")
        ))
        .await;
    let shown = &page["items"][0];
    assert!(shown.get("original_url").is_none(), "{shown}");
    assert!(
        shown["download_url"]
            .as_str()
            .is_some_and(|url| url.contains("/w/")),
        "the web view, at once: {shown}"
    );
}

#[tokio::test]
async fn verify_notes_an_archived_original_without_reading_it() {
    let api = archiving();
    // Real bytes, so the id is their SHA-256.
    let bytes = b"a photo".repeat(1000);
    let photo = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    api.objects
        .put_bytes(&original(ALICE, &photo), bytes.clone());
    api.objects
        .put(&format!("u/{ALICE}/t/{photo}.webp"), 21_000);
    api.objects
        .put(&format!("u/{ALICE}/w/{photo}.webp"), 140_000);
    let mut body = support::api::commit(&photo);
    body["bytes"] = json!(bytes.len());
    assert_eq!(api.commit(ALICE, &body).await.0, StatusCode::CREATED);
    api.objects.archive(&original(ALICE, &photo));

    let inventory = inventory::take(api.objects.as_ref()).await.expect("listed");
    let verified = verify::verify(
        Library {
            objects: api.objects.as_ref(),
            index: api.index.as_ref(),
            albums: api.index.as_ref(),
        },
        &inventory,
        verify::Options {
            repair: false,
            hash: true,
        },
    )
    .await
    .expect("checked");
    let problems: Vec<&Problem> = verified.findings.iter().map(|f| &f.problem).collect();
    assert_eq!(problems, [&Problem::OriginalArchived]);
    assert_eq!(verified.unresolved().count(), 0, "archived is not damaged");
    assert_eq!(verified.bytes_hashed, 0);
}
