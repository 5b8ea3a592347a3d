//! Previews made again, through the API over the in-memory stores: a photo
//! whose thumbnail the bucket lost (noted by `verify --repair`) is listed to
//! its owner's next browser with its original to make it from; that browser
//! gets a PUT signed for exactly the lost preview, of the type it was, and
//! checks it in; then nothing is wanted. Nobody else's photo, no preview that
//! is not lost, no other type.

use axum::http::StatusCode;
use lambda_index::store::{ObjectKey, Owner, PhotoId};
use serde_json::{Value, json};

mod support;
use support::api::{ALICE, Api, BOB, api, id};

async fn wanted(api: &Api, user: &str) -> Vec<Value> {
    let (status, body) = api.get("/api/previews/wanted", user).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().expect("items").clone()
}

/// Alice's photo whose thumbnail is gone, noted to be made again.
async fn lost_thumbnail(api: &Api) -> String {
    let photo = id(1);
    api.committed(ALICE, &photo, "2019-07-04T14:00:00+02:00")
        .await;
    let alice = Owner::new(ALICE).expect("owner");
    let id = PhotoId::parse(&photo).expect("id");
    let thumb = format!("u/{ALICE}/t/{photo}.webp");
    api.objects.sizes.lock().expect("lock").remove(&thumb);
    // As `verify --repair` notes it.
    api.objects.put_bytes(
        ObjectKey::previews_wanted(&alice, &id).as_str(),
        b"{}".to_vec(),
    );
    photo
}

fn made(thumb: Option<(u64, &str)>, web: Option<(u64, &str)>) -> String {
    let file = |file: Option<(u64, &str)>| {
        file.map(|(bytes, content_type)| json!({ "bytes": bytes, "content_type": content_type }))
    };
    json!({ "thumb": file(thumb), "web": file(web) }).to_string()
}

#[tokio::test]
async fn a_lost_thumbnail_is_made_again_by_the_next_browser() {
    let api = api();
    let photo = lost_thumbnail(&api).await;

    let items = wanted(&api, ALICE).await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], photo.as_str());
    assert_eq!(items[0]["thumb"], "image/webp", "the type it was");
    assert_eq!(items[0]["web"], Value::Null, "the web view is there");
    assert!(
        items[0]["original_url"]
            .as_str()
            .is_some_and(|url| url.contains(&format!("/o/{photo}?signed-get"))),
        "{}",
        items[0]
    );
    assert!(wanted(&api, BOB).await.is_empty(), "Bob has nothing wanted");

    let path = format!("/api/photos/{photo}/previews");
    let (status, targets) = api
        .post(
            &path,
            Some(ALICE),
            &made(Some((20_500, "image/webp")), None),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{targets}");
    let url = targets["thumb"]["url"].as_str().expect("a PUT");
    assert!(url.contains(&format!("u/{ALICE}/t/{photo}.webp")), "{url}");
    assert_eq!(targets["thumb"]["headers"]["content-length"], "20500");
    assert_eq!(targets["web"], Value::Null);

    // Checked in before it is there: refused, the note stays.
    let done = format!("{path}/done");
    let body = made(Some((20_500, "image/webp")), None);
    assert_eq!(
        api.post(&done, Some(ALICE), &body).await.0,
        StatusCode::CONFLICT
    );
    api.objects
        .put(&format!("u/{ALICE}/t/{photo}.webp"), 20_500);
    assert_eq!(
        api.post(&done, Some(ALICE), &body).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        api.objects.tag(&format!("u/{ALICE}/t/{photo}.webp")),
        None,
        "kept: no longer a pending upload"
    );
    assert!(
        wanted(&api, ALICE).await.is_empty(),
        "nothing more is wanted"
    );
    assert!(api.objects.kept_under(&format!("u/{ALICE}/p/")).is_empty());
}

#[tokio::test]
async fn only_the_lost_preview_of_ones_own_photo_in_its_own_type() {
    let api = api();
    let photo = lost_thumbnail(&api).await;
    let path = format!("/api/photos/{photo}/previews");
    assert_eq!(
        api.post(&path, Some(BOB), &made(Some((20_500, "image/webp")), None))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = api
        .post(
            &path,
            Some(ALICE),
            &made(Some((20_500, "image/jpeg")), None),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("was image/webp")),
        "{body}"
    );
    let (status, body) = api
        .post(
            &path,
            Some(ALICE),
            &made(None, Some((140_000, "image/webp"))),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not missing")),
        "{body}"
    );
    let (status, _) = api
        .post(&path, Some(ALICE), &made(Some((0, "image/webp")), None))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an empty preview");
}

#[tokio::test]
async fn a_note_for_a_photo_since_deleted_or_mended_is_dropped() {
    let api = api();
    let photo = lost_thumbnail(&api).await;
    // Uploaded again from another device meanwhile: nothing is lost any more.
    api.objects
        .put(&format!("u/{ALICE}/t/{photo}.webp"), 21_000);
    // And a note for a photo that is gone.
    let alice = Owner::new(ALICE).expect("owner");
    api.objects.put_bytes(
        ObjectKey::previews_wanted(&alice, &PhotoId::parse(&id(9)).expect("id")).as_str(),
        b"{}".to_vec(),
    );
    assert!(wanted(&api, ALICE).await.is_empty());
    assert!(
        api.objects.kept_under(&format!("u/{ALICE}/p/")).is_empty(),
        "both notes dropped"
    );
}
