//! The gallery's API in-process over the in-memory stores: the timeline's pages
//! and counts, one photo, and deleting it, each for its owner only.

use axum::http::StatusCode;
use serde_json::{Value, json};
use std::sync::atomic::Ordering;

mod support;
use support::api::{ALICE, BOB, ID, OTHER_ID, api, api_with, id, indexed};

#[tokio::test]
async fn the_timeline_pages_newest_first_and_keeps_bursts_apart() {
    let api = api();
    // Two photos in the same second (a burst), an older one, and one taken in
    // another zone that is the newest in UTC but earlier on its own clock.
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
    assert_eq!(ids(&first), [id(2), id(1), id(4)], "by the camera's clock");
    assert_eq!(
        first["items"][2]["taken_at"], "2019-09-26T10:00:00-05:00",
        "shown in its own zone"
    );
    let thumb = &first["items"][0]["thumb"];
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
    assert_eq!(first["items"][0]["metadata"]["camera"], "Samsung SM-J320F");

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
        (StatusCode::NOT_FOUND, &json!("not_found")),
        "Alice's cursor is not Bob's: as unknown as her photos"
    );
    // The position edited, the seal kept: as unknown as another user's.
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).expect("base64")).expect("utf-8");
    let (clock, rest) = text.split_once('.').expect("a position");
    let earlier = clock.parse::<i64>().expect("a clock") - 1;
    let forged = URL_SAFE_NO_PAD.encode(format!("{earlier}.{rest}"));
    let (status, _) = api
        .get(&format!("/api/photos?cursor={forged}"), ALICE)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an edited cursor");
    let (status, body) = api.get("/api/photos?cursor=not-a-cursor", ALICE).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request")),
        "not a cursor at all"
    );
}

/// A cursor whose tag is cut to its first byte used to open (verify_truncated_left).
#[tokio::test]
async fn a_cursor_with_a_cut_tag_is_a_bad_request_not_the_next_page() {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
    let api = api();
    for n in 1..=3 {
        api.committed(ALICE, &id(n), &format!("2019-09-2{n}T16:38:00+02:00"))
            .await;
    }
    let (_, first) = api.get("/api/photos?limit=1", ALICE).await;
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(cursor).expect("base64")).expect("utf-8");
    let (body, tag) = text.rsplit_once('.').expect("a tag");
    let first_byte = &URL_SAFE_NO_PAD.decode(tag).expect("base64 tag")[..1];
    let cut = URL_SAFE_NO_PAD.encode(format!("{body}.{}", URL_SAFE_NO_PAD.encode(first_byte)));
    let (status, answer) = api
        .get(&format!("/api/photos?limit=1&cursor={cut}"), ALICE)
        .await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (StatusCode::BAD_REQUEST, &json!("invalid_request")),
        "{answer}"
    );
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

#[tokio::test]
async fn the_timeline_counts_photos_per_month_and_day_on_the_cameras_clock() {
    let api = api();
    api.committed(ALICE, &id(1), "2023-12-31T23:30:00-05:00")
        .await;
    api.committed(ALICE, &id(2), "2024-01-01T00:10:00+01:00")
        .await;
    api.committed(ALICE, &id(3), "2024-01-01T09:00:00+01:00")
        .await;
    api.committed(ALICE, &id(4), "2024-01-20T09:00:00+00:00")
        .await;
    api.committed(BOB, &id(5), "2024-01-20T09:00:00+00:00")
        .await;

    let (status, timeline) = api.get("/api/timeline", ALICE).await;
    assert_eq!(status, StatusCode::OK, "{timeline}");
    assert_eq!(
        timeline,
        json!({ "total": 4, "months": [
            { "month": "2024-01", "count": 3 },
            { "month": "2023-12", "count": 1 }
        ], "views": { "timeline": 4, "favorites": 0, "archive": 0, "trash": 0 } })
    );
    let (_, january) = api.get("/api/timeline?month=2024-01", ALICE).await;
    assert_eq!(
        january["days"],
        json!([{ "day": "2024-01-20", "count": 1 }, { "day": "2024-01-01", "count": 2 }])
    );
    let (_, empty) = api.get("/api/timeline?month=2020-02", ALICE).await;
    assert_eq!(empty["days"], json!([]));
    for bad in ["2024-1", "24-01", "2024-13", "january", "2024-01-01"] {
        let (status, body) = api.get(&format!("/api/timeline?month={bad}"), ALICE).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
    let (_, bobs) = api.get("/api/timeline", BOB).await;
    assert_eq!(bobs["total"], 1, "Bob counts his own only");

    // A jump to a month starts at its newest photo, and pages on from there.
    let (status, page) = api.get("/api/photos?month=2023-12&limit=1", ALICE).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["items"][0]["id"], json!(id(1)));
    assert_eq!(page["next_cursor"], Value::Null);
    let (_, page) = api.get("/api/photos?month=2024-01&limit=2", ALICE).await;
    assert_eq!(page["items"][0]["id"], json!(id(4)));
    let (status, _) = api.get("/api/photos?month=2024-01&cursor=abc", ALICE).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a month or a cursor");
}

#[tokio::test]
async fn deleting_a_photo_moves_it_to_the_trash_and_only_delete_forever_removes_its_files() {
    let api = api();
    api.committed(ALICE, ID, "2019-09-26T16:38:00+02:00").await;
    api.committed(ALICE, OTHER_ID, "2019-09-26T17:00:00+02:00")
        .await;
    let files = [
        format!("u/{ALICE}/o/{ID}"),
        format!("u/{ALICE}/t/{ID}.webp"),
        format!("u/{ALICE}/w/{ID}.webp"),
    ];

    // Bob cannot delete it, nor learn that it exists.
    let (status, body) = api.delete(&format!("/api/photos/{ID}"), BOB).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::NOT_FOUND, &json!("not_found"))
    );
    let (_, answer) = api.change(BOB, "delete_forever", &[ID]).await;
    assert_eq!(answer["not_found"], json!([ID]), "{answer}");
    assert!(indexed(&api, ALICE, ID) && files.iter().all(|key| api.stored(key)));

    // Into the trash: out of the timeline, files kept.
    let (status, _) = api.delete(&format!("/api/photos/{ID}"), ALICE).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(indexed(&api, ALICE, ID) && files.iter().all(|key| api.stored(key)));
    let (_, timeline) = api.get("/api/timeline", ALICE).await;
    assert_eq!(timeline["total"], 1);
    assert_eq!(timeline["views"]["trash"], 1);
    let (status, shown) = api.get(&format!("/api/photos/{ID}"), ALICE).await;
    assert_eq!(status, StatusCode::OK);
    assert!(shown["trashed"]["purge_at"].is_string(), "{shown}");

    // A store that is down: nothing is deleted, so it can be tried again.
    api.objects.down.store(true, Ordering::SeqCst);
    let (status, _) = api.change(ALICE, "delete_forever", &[ID]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(indexed(&api, ALICE, ID));
    api.objects.down.store(false, Ordering::SeqCst);

    let (status, answer) = api.change(ALICE, "delete_forever", &[ID]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["done"], json!([ID]), "{answer}");
    assert!(!indexed(&api, ALICE, ID));
    for key in &files {
        assert!(!api.stored(key), "{key} was removed");
    }
    assert!(indexed(&api, ALICE, OTHER_ID), "the other photo stays");
    let (_, timeline) = api.get("/api/timeline", ALICE).await;
    assert_eq!(
        timeline["views"],
        json!({"timeline": 1, "favorites": 0, "archive": 0, "trash": 0})
    );
    let (status, _) = api.get(&format!("/api/photos/{ID}"), ALICE).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api.delete(&format!("/api/photos/{ID}"), ALICE).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a second delete finds nothing"
    );
    let (status, _) = api.delete("/api/photos/not-an-id", ALICE).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A photo not in the trash is not deleted for good.
    let (_, answer) = api.change(ALICE, "delete_forever", &[OTHER_ID]).await;
    assert_eq!(answer["done"], json!([]));
    assert!(
        answer["refused"][0]["message"]
            .as_str()
            .is_some_and(|message| message.contains("not in the trash")),
        "{answer}"
    );
    assert!(indexed(&api, ALICE, OTHER_ID));

    // The same file can be backed up again afterwards.
    let (_, answer) = api.uploads(ALICE, json!([support::api::file(ID)])).await;
    assert_eq!(answer["files"][0]["status"], "upload");
}

/// A stolen token could delete a whole library at once before the trash, and
/// could still empty the trash: deleting for good is rationed per hour.
#[tokio::test]
async fn deletes_for_good_past_the_hours_allowance_wait_and_delete_nothing() {
    let api = api_with(lambda_index::Limits {
        deletes_per_hour: 3,
        ..lambda_index::Limits::default()
    });
    let mine: Vec<String> = (1..=5).map(id).collect();
    for (n, photo) in mine.iter().enumerate() {
        api.committed(ALICE, photo, &format!("2019-09-2{n}T16:38:00+02:00"))
            .await;
    }
    api.committed(BOB, &id(9), "2019-09-29T16:38:00+02:00")
        .await;
    let ids: Vec<&str> = mine.iter().map(String::as_str).collect();
    // Into the trash is not rationed: it can be undone.
    let (_, answer) = api.change(ALICE, "trash", &ids).await;
    assert_eq!(answer["done"], json!(ids), "{answer}");
    let (status, answer) = api.change(ALICE, "delete_forever", &ids).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["done"].as_array().map(Vec::len), Some(3), "{answer}");
    let refused = answer["refused"].as_array().expect("refusals");
    assert_eq!(refused.len(), 2, "{answer}");
    assert!(
        refused.iter().all(|refusal| refusal["message"]
            .as_str()
            .is_some_and(|message| message.contains("deleted 3 photos in the last hour"))),
        "{answer}"
    );
    for refusal in refused {
        let photo = refusal["id"].as_str().expect("an id");
        let (status, shown) = api.get(&format!("/api/photos/{photo}"), ALICE).await;
        assert_eq!(status, StatusCode::OK, "still in the trash: {shown}");
    }
    api.delete_for_good(&id(9), BOB).await;
}
