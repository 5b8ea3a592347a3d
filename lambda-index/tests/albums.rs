//! Albums and share links through the API, in-process over the in-memory
//! stores: each user's albums are theirs alone, and a link shows exactly its
//! album to anyone holding it, until it is revoked or expires.

use axum::http::StatusCode;
use lambda_index::store::{AlbumId, Owner, ShareRecord, ShareToken};
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

mod support;
use support::{
    SITE_URL,
    api::{ALICE, Api, BOB, api, id},
};

/// The ids of a page's photos, in order.
fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|photo| photo["id"].as_str().expect("id").to_owned())
        .collect()
}

impl Api {
    /// Alice's photos 1 to `n`, photo `k` taken on day `k` of March 2024, so
    /// the newest is the highest number.
    async fn alices_photos(&self, n: u8) {
        for k in 1..=n {
            self.committed(ALICE, &id(k), &format!("2024-03-{k:02}T12:00:00+01:00"))
                .await;
        }
    }
}

#[tokio::test]
async fn an_album_is_made_filled_edited_and_deleted_without_touching_its_photos() {
    let api = api();
    api.alices_photos(4).await;

    let album = api.new_album(ALICE, "  Lisbon  ", &[id(1), id(3)]).await;
    let album_id = album["id"].as_str().expect("id").to_owned();
    assert_eq!(album["title"], "Lisbon", "the title is trimmed");
    assert_eq!(album["count"], 2);
    assert!(
        album["cover"]["url"]
            .as_str()
            .expect("a cover")
            .contains(&format!("/t/{}.webp", id(3))),
        "without a chosen cover, the newest photo stands in: {album}"
    );

    let (_, listed) = api.get("/api/albums", ALICE).await;
    assert_eq!(listed["items"][0]["id"], album_id.as_str());
    assert_eq!(listed["items"][0]["count"], 2);

    // Adding: Alice's own new photo goes in; one already there and ones that
    // are not hers (Bob's, and no photo at all) are told apart.
    api.committed(BOB, &id(9), "2024-03-09T12:00:00+01:00")
        .await;
    let (status, added) = api
        .post(
            &format!("/api/albums/{album_id}/photos"),
            Some(ALICE),
            &json!({ "ids": [id(2), id(3), id(9), id(8)] }).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["added"], json!([id(2)]));
    assert_eq!(added["already_there"], json!([id(3)]));
    assert_eq!(added["not_found"], json!([id(9), id(8)]));
    assert_eq!(added["album"]["count"], 3);

    // Pages in timeline order, newest first, with a cursor for the rest.
    let photos_path = format!("/api/albums/{album_id}/photos");
    let (_, first) = api.get(&format!("{photos_path}?limit=2"), ALICE).await;
    assert_eq!(ids(&first), [id(3), id(2)]);
    let cursor = first["next_cursor"].as_str().expect("more");
    let (_, rest) = api
        .get(&format!("{photos_path}?limit=2&cursor={cursor}"), ALICE)
        .await;
    assert_eq!(ids(&rest), [id(1)]);
    assert_eq!(rest["next_cursor"], Value::Null);
    // A timeline cursor does not page an album.
    let (_, timeline) = api.get("/api/photos?limit=1", ALICE).await;
    let timeline_cursor = timeline["next_cursor"].as_str().expect("more");
    let (status, _) = api
        .get(&format!("{photos_path}?cursor={timeline_cursor}"), ALICE)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Rename and choose a cover.
    let album_path = format!("/api/albums/{album_id}");
    let (status, edited) = api
        .patch(
            &album_path,
            ALICE,
            &json!({ "title": "Lisbon, 2024", "cover_id": id(1) }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["title"], "Lisbon, 2024");
    assert_eq!(edited["cover_id"], id(1).as_str());
    assert!(
        edited["cover"]["url"]
            .as_str()
            .expect("cover")
            .contains(&id(1))
    );
    let (status, refused) = api
        .patch(&album_path, ALICE, &json!({ "cover_id": id(4) }))
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a cover from outside the album"
    );
    assert_eq!(refused["error"]["code"], "invalid_request");

    // Taking a photo out, then deleting one from the timeline.
    let (status, _) = api
        .delete(&format!("{album_path}/photos/{}", id(1)), ALICE)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api
        .delete(&format!("{album_path}/photos/{}", id(1)), ALICE)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no longer in it");
    let (_, album) = api.get(&album_path, ALICE).await;
    assert_eq!(album["count"], 2);
    assert_eq!(album["cover_id"], Value::Null, "its chosen cover left");
    let (status, _) = api.delete(&format!("/api/photos/{}", id(3)), ALICE).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, page) = api.get(&photos_path, ALICE).await;
    assert_eq!(ids(&page), [id(2)], "a deleted photo leaves the album");

    // Deleting the album leaves its photos in the timeline.
    let (status, _) = api.delete(&album_path, ALICE).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(api.get(&album_path, ALICE).await.0, StatusCode::NOT_FOUND);
    let (_, listed) = api.get("/api/albums", ALICE).await;
    assert_eq!(listed["items"], json!([]));
    let (_, timeline) = api.get("/api/photos", ALICE).await;
    assert_eq!(ids(&timeline), [id(4), id(2), id(1)]);
}

#[tokio::test]
async fn another_user_can_neither_see_nor_change_nor_share_an_album() {
    let api = api();
    api.alices_photos(2).await;
    api.committed(BOB, &id(9), "2024-03-09T12:00:00+01:00")
        .await;
    let album = api.new_album(ALICE, "Family", &[id(1)]).await;
    let album_id = album["id"].as_str().expect("id");
    let share = api.new_share(album_id, json!({})).await;
    let token = share["token"].as_str().expect("token");

    let path = format!("/api/albums/{album_id}");
    let (_, not_found) = api
        .get("/api/albums/0123456789abcdef0123456789abcdef", ALICE)
        .await;
    let answers = [
        api.get(&path, BOB).await,
        api.get(&format!("{path}/photos"), BOB).await,
        api.patch(&path, BOB, &json!({ "title": "Mine now" })).await,
        api.post(
            &format!("{path}/photos"),
            Some(BOB),
            &json!({ "ids": [id(9)] }).to_string(),
        )
        .await,
        api.delete(&format!("{path}/photos/{}", id(1)), BOB).await,
        api.post(&format!("{path}/shares"), Some(BOB), "{}").await,
        api.delete(&format!("/api/shares/{token}"), BOB).await,
        api.delete(&path, BOB).await,
    ];
    for (at, (status, body)) in answers.iter().enumerate() {
        assert_eq!(*status, StatusCode::NOT_FOUND, "request {at}: {body}");
        assert_eq!(
            body, &not_found,
            "request {at}: the same answer as no album"
        );
    }
    assert_eq!(api.get("/api/albums", BOB).await.1["items"], json!([]));
    assert_eq!(api.get("/api/shares", BOB).await.1["items"], json!([]));

    // All of it still Alice's, unchanged, and the link still works.
    let (_, album) = api.get(&path, ALICE).await;
    assert_eq!(
        (album["title"].clone(), album["count"].clone()),
        (json!("Family"), json!(1))
    );
    assert_eq!(
        api.public(&format!("/api/public/{token}")).await.0,
        StatusCode::OK
    );

    // Alice cannot put Bob's photo in her album, even by its id.
    let (_, added) = api
        .post(
            &format!("{path}/photos"),
            Some(ALICE),
            &json!({ "ids": [id(9)] }).to_string(),
        )
        .await;
    assert_eq!(added["not_found"], json!([id(9)]));
    assert_eq!(added["album"]["count"], 1);

    // Without sign-in, none of the owner's routes answer.
    for path in ["/api/albums", "/api/shares", &path] {
        assert_eq!(api.public(path).await.0, StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn bad_requests_are_refused_with_what_was_wrong() {
    let api = api();
    api.alices_photos(1).await;
    let album = api.new_album(ALICE, "Ok", &[]).await;
    let album_id = album["id"].as_str().expect("id");
    assert_eq!(album["count"], 0, "an album can start empty");
    assert_eq!(album["cover"], Value::Null);

    let too_many: Vec<String> = (0..1001).map(|n| format!("{n:064x}")).collect();
    for (path, body, says) in [
        ("/api/albums".to_owned(), json!({ "title": "   " }), "title"),
        (
            "/api/albums".to_owned(),
            json!({ "title": "x".repeat(201) }),
            "200",
        ),
        (
            "/api/albums".to_owned(),
            json!({ "title": "a\nb" }),
            "one line",
        ),
        (
            "/api/albums".to_owned(),
            json!({ "title": "A", "photo_ids": ["nope"] }),
            "photo ids",
        ),
        (
            "/api/albums".to_owned(),
            json!({ "title": "A", "photo_ids": too_many }),
            "1000",
        ),
        (
            format!("/api/albums/{album_id}/shares"),
            json!({ "expires_at": "next tuesday" }),
            "RFC 3339",
        ),
        (
            format!("/api/albums/{album_id}/shares"),
            json!({ "expires_at": "2020-01-01T00:00:00Z" }),
            "passed",
        ),
    ] {
        let (status, answer) = api.post(&path, Some(ALICE), &body.to_string()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        let message = answer["error"]["message"].as_str().expect("message");
        assert!(message.contains(says), "{message:?} should say {says:?}");
    }
    // An album id that is not one names no album.
    assert_eq!(
        api.get("/api/albums/..%2Fetc", ALICE).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api.get("/api/albums", ALICE).await.1["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[tokio::test]
async fn a_link_shows_exactly_its_album_and_nothing_of_the_owner_beyond_it() {
    let api = api();
    api.alices_photos(5).await;
    let trip = api.new_album(ALICE, "Trip", &[id(1), id(2), id(4)]).await;
    let trip_id = trip["id"].as_str().expect("id");
    let other = api.new_album(ALICE, "Private", &[id(5)]).await;
    let share = api.new_share(trip_id, json!({})).await;
    let token = share["token"].as_str().expect("token");
    assert_eq!(token.len(), 22, "128 random bits, base64url");
    assert_eq!(share["url"], format!("{SITE_URL}/s/{token}"));
    assert_eq!(share["album_title"], "Trip");
    assert_eq!(share["allow_download"], false);

    let public = format!("/api/public/{token}");
    let (status, first) = api.public(&format!("{public}?limit=2")).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["title"], "Trip");
    assert_eq!(first["count"], 3);
    assert_eq!(first["allow_download"], false);
    assert_eq!(ids(&first), [id(4), id(2)]);
    let cursor = first["next_cursor"].as_str().expect("more");
    let (_, rest) = api
        .public(&format!("{public}?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(ids(&rest), [id(1)]);
    assert_eq!(rest["next_cursor"], Value::Null);

    for photo in first["items"].as_array().into_iter().flatten() {
        assert_eq!(photo["original_url"], Value::Null, "download not allowed");
        assert_eq!(
            location(photo),
            &Value::Null,
            "where it was taken stays private"
        );
        assert!(photo["thumb"]["url"].as_str().is_some() && photo["web"]["url"].as_str().is_some());
    }
    let text = first.to_string();
    for private in [id(3), id(5), "Private".to_owned(), other["id"].to_string()] {
        assert!(
            !text.contains(private.trim_matches('"')),
            "{private} leaked"
        );
    }

    // Cursors from anywhere else do not open here: the timeline's, the
    // album's own (signed in), another link's, and an edited one.
    let (_, timeline) = api.get("/api/photos?limit=1", ALICE).await;
    let (_, album_page) = api
        .get(&format!("/api/albums/{trip_id}/photos?limit=1"), ALICE)
        .await;
    let other_share = api
        .new_share(other["id"].as_str().expect("id"), json!({}))
        .await;
    let other_token = other_share["token"].as_str().expect("token");
    let (_, other_page) = api
        .public(&format!("/api/public/{other_token}?limit=0"))
        .await;
    assert_eq!(
        other_page["next_cursor"],
        Value::Null,
        "one photo, one page"
    );
    let (_, trip_page_one) = api.public(&format!("{public}?limit=1")).await;
    let trip_cursor = trip_page_one["next_cursor"]
        .as_str()
        .expect("more")
        .to_owned();
    let (status, _) = api
        .public(&format!("/api/public/{other_token}?cursor={trip_cursor}"))
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "this link's cursor on another link"
    );
    let mut edited = trip_cursor.clone();
    edited.replace_range(..1, if edited.starts_with('M') { "N" } else { "M" });
    for cursor in [
        timeline["next_cursor"].as_str().expect("more"),
        album_page["next_cursor"].as_str().expect("more"),
        &edited,
    ] {
        let (status, body) = api.public(&format!("{public}?cursor={cursor}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{cursor}: {body}");
    }

    // Taken out of the album, or deleted: gone from the link at once.
    api.delete(&format!("/api/albums/{trip_id}/photos/{}", id(4)), ALICE)
        .await;
    api.delete(&format!("/api/photos/{}", id(2)), ALICE).await;
    let (_, now) = api.public(&public).await;
    assert_eq!(ids(&now), [id(1)]);
    assert_eq!(now["count"], 1);
}

/// Before this change, a link with downloads on served the original, whose
/// EXIF holds where the photo was taken, though the link hid the location.
#[tokio::test]
async fn a_link_serves_originals_only_when_it_shows_the_location_too() {
    let api = api();
    api.alices_photos(1).await;
    // A HEIC this browser could make no preview of: its original, and nothing else.
    let heic = id(2);
    api.objects.put(&format!("u/{ALICE}/o/{heic}"), 4_200_000);
    let mut commit = support::api::commit(&heic);
    commit["content_type"] = json!("image/heic");
    commit["filename"] = json!("IMG_5195.HEIC");
    for preview in ["thumb", "web", "placeholder"] {
        commit.as_object_mut().expect("object").remove(preview);
    }
    let (status, answer) = api.commit(ALICE, &commit).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let album = api.new_album(ALICE, "Prints", &[id(1), heic.clone()]).await;
    let album_id = album["id"].as_str().expect("id");
    let item = |page: &Value, wanted: &str| {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|photo| photo["id"] == wanted)
            .cloned()
            .expect("in the page")
    };
    let api = &api;
    let page_of = |share: Value| {
        let token = share["token"].as_str().expect("token").to_owned();
        async move { api.public(&format!("/api/public/{token}")).await.1 }
    };

    // Downloads, location private: the web view, saved under the photo's name.
    let share = api
        .new_share(album_id, json!({ "allow_download": true }))
        .await;
    assert_eq!(
        (&share["allow_download"], &share["show_location"]),
        (&json!(true), &json!(false))
    );
    let page = page_of(share).await;
    assert_eq!(page["show_location"], false);
    let unpreviewed = item(&page, &heic);
    assert_eq!(
        (&unpreviewed["original_url"], &unpreviewed["download_url"]),
        (&Value::Null, &Value::Null),
        "no copy without the location to give: nothing to download"
    );
    let photo = &item(&page, &id(1));
    assert_eq!(photo["original_url"], Value::Null);
    assert_eq!(location(photo), &Value::Null);
    let url = photo["download_url"].as_str().expect("a copy to download");
    assert!(
        url.contains(&format!("/w/{}.webp", id(1))) && url.contains("download=IMG_0001.webp"),
        "{url}"
    );
    assert!(
        !page.to_string().contains("/o/"),
        "no original's URL at all"
    );

    // Downloads and location: the original, byte for byte, and where.
    let page = page_of(
        api.new_share(
            album_id,
            json!({ "allow_download": true, "show_location": true }),
        )
        .await,
    )
    .await;
    let photo = &item(&page, &id(1));
    let url = photo["original_url"].as_str().expect("the original");
    assert!(
        url.contains(&format!("/o/{}", id(1))) && url.contains("download=IMG_0001.JPG"),
        "{url}"
    );
    assert_eq!(photo["download_url"], Value::Null);
    assert_eq!(location(photo)["latitude"], 52.1);

    // Location without downloads: where, and nothing to download.
    let page = page_of(
        api.new_share(album_id, json!({ "show_location": true }))
            .await,
    )
    .await;
    let photo = &item(&page, &id(1));
    assert_eq!(
        (&photo["original_url"], &photo["download_url"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(location(photo)["latitude"], 52.1);

    // Neither.
    let page = page_of(api.new_share(album_id, json!({})).await).await;
    assert_eq!(page["allow_download"], false);
    let photo = &item(&page, &id(1));
    assert_eq!(
        (
            &photo["original_url"],
            &photo["download_url"],
            location(photo)
        ),
        (&Value::Null, &Value::Null, &Value::Null)
    );
}

/// A video's original may hold where it was taken in its own atoms, and it is
/// the only thing there is to play.
#[tokio::test]
async fn a_video_plays_for_its_owner_and_on_links_that_show_the_location_only() {
    let api = api();
    let video = id(3);
    api.upload_all(ALICE, &video);
    let mut commit = support::api::commit(&video);
    commit["content_type"] = json!("video/mp4");
    commit["filename"] = json!("VID_0001.mp4");
    commit["video"] = json!({ "duration_ms": 61_500 });
    let (status, answer) = api.commit(ALICE, &commit).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    let (_, mine) = api.get(&format!("/api/photos/{video}"), ALICE).await;
    assert_eq!(mine["video"], json!({ "duration_ms": 61_500 }));
    let play = mine["play_url"].as_str().expect("its owner can play it");
    assert!(play.contains(&format!("/o/{video}?signed-get")), "{play}");
    let (_, page) = api.get("/api/photos", ALICE).await;
    assert_eq!(page["items"][0]["play_url"], mine["play_url"]);

    let album = api
        .new_album(ALICE, "Clips", std::slice::from_ref(&video))
        .await;
    let album_id = album["id"].as_str().expect("id");
    for (share, plays) in [
        (json!({ "allow_download": true }), false),
        (json!({}), false),
        (json!({ "show_location": true }), true),
    ] {
        let link = api.new_share(album_id, share.clone()).await;
        let token = link["token"].as_str().expect("token");
        let (_, page) = api.public(&format!("/api/public/{token}")).await;
        let item = &page["items"][0];
        assert_eq!(item["video"]["duration_ms"], 61_500, "{share}");
        assert_eq!(item["play_url"].is_string(), plays, "{share}: {item}");
        if !plays {
            assert!(
                !page.to_string().contains("/o/"),
                "{share}: no original's URL at all"
            );
        }
    }

    // A photo has nothing to play.
    let (_, photo) = api.get(&format!("/api/photos/{video}"), ALICE).await;
    assert!(photo["play_url"].is_string());
    api.committed(ALICE, &id(4), "2024-03-01T12:00:00+01:00")
        .await;
    let (_, photo) = api.get(&format!("/api/photos/{}", id(4)), ALICE).await;
    assert_eq!(photo["play_url"], Value::Null);
}

#[tokio::test]
async fn unknown_revoked_and_expired_links_get_one_and_the_same_answer() {
    let api = api();
    api.alices_photos(1).await;
    let album = api.new_album(ALICE, "Gone soon", &[id(1)]).await;
    let album_id = album["id"].as_str().expect("id");
    let in_a_week = (OffsetDateTime::now_utc() + Duration::days(7))
        .format(&time::format_description::well_known::Rfc3339)
        .expect("time");
    let revoked = api
        .new_share(album_id, json!({ "expires_at": in_a_week }))
        .await;
    assert_eq!(revoked["expires_at"], in_a_week.as_str());
    let revoked = revoked["token"].as_str().expect("token").to_owned();
    assert_eq!(
        api.public(&format!("/api/public/{revoked}")).await.0,
        StatusCode::OK
    );

    let (status, _) = api.delete(&format!("/api/shares/{revoked}"), ALICE).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.delete(&format!("/api/shares/{revoked}"), ALICE).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "revoked once");

    // A link that expired an hour ago (made in the store: the API refuses
    // expiries in the past).
    let expired = ShareToken::random().expect("token");
    api.index.shares.lock().expect("lock").push(ShareRecord {
        token: expired.clone(),
        owner: Owner::new(ALICE).expect("owner"),
        album: AlbumId::parse(album_id).expect("album"),
        created_at: OffsetDateTime::now_utc() - Duration::days(2),
        expires_at: Some(OffsetDateTime::now_utc() - Duration::hours(1)),
        allow_download: true,
        show_location: false,
    });
    let (_, listed) = api.get("/api/shares", ALICE).await;
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(1),
        "{listed}"
    );
    assert_eq!(
        listed["items"][0]["expired"], true,
        "listed, marked expired"
    );

    // A link whose album was deleted since.
    let doomed = api.new_album(ALICE, "Doomed", &[id(1)]).await;
    let doomed_id = doomed["id"].as_str().expect("id");
    let orphan = api.new_share(doomed_id, json!({})).await;
    api.delete(&format!("/api/albums/{doomed_id}"), ALICE).await;

    let unknown = ShareToken::random().expect("token");
    let (status, expected) = api
        .get_public(&format!("/api/public/{}", unknown.as_str()))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for token in [
        revoked.as_str(),
        expired.as_str(),
        orphan["token"].as_str().expect("token"),
        "not-a-token",
        "",
    ] {
        let (status, body) = api.get_public(&format!("/api/public/{token}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{token:?}");
        assert_eq!(
            body, expected,
            "{token:?}: the same bytes as an unknown link"
        );
    }
}

#[tokio::test]
async fn links_are_listed_newest_first_with_their_albums_titles() {
    let api = api();
    api.alices_photos(2).await;
    let one = api.new_album(ALICE, "One", &[id(1)]).await;
    let two = api.new_album(ALICE, "Two", &[id(2)]).await;
    let first = api
        .new_share(one["id"].as_str().expect("id"), json!({}))
        .await;
    let second = api
        .new_share(
            two["id"].as_str().expect("id"),
            json!({ "allow_download": true }),
        )
        .await;
    let (status, listed) = api.get("/api/shares", ALICE).await;
    assert_eq!(status, StatusCode::OK);
    let items = listed["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["token"], second["token"]);
    assert_eq!(items[0]["album_title"], "Two");
    assert_eq!(items[0]["allow_download"], true);
    assert_eq!(items[1]["token"], first["token"]);
    assert_eq!(items[1]["album_title"], "One");
    assert_eq!(items[1]["expired"], false);
    assert_eq!(items[1]["expires_at"], Value::Null);
}

/// Where `photo` (as the API answered it) was taken: its EXIF's GPS, `Null`
/// when left out. The EXIF itself must be there, so a `Null` here means the
/// location was taken out, not that the answer's shape moved.
fn location(photo: &Value) -> &Value {
    assert!(
        photo["metadata"].is_object(),
        "the photo's EXIF is in the answer: {photo}"
    );
    &photo["metadata"]["gps"]
}

/// The bucket is the library: what the album routes did is kept in the bucket,
/// change by change, and those changes replayed give the album the index has.
#[tokio::test]
async fn an_albums_changes_kept_in_the_bucket_replay_to_the_album_the_index_has() {
    use lambda_index::store::album_log;

    let api = api();
    api.alices_photos(4).await;
    let album = api.new_album(ALICE, "Lisbon", &[id(1), id(2)]).await;
    let album_id = album["id"].as_str().expect("id").to_owned();
    let path = format!("/api/albums/{album_id}");
    api.post(
        &format!("{path}/photos"),
        Some(ALICE),
        &json!({ "ids": [id(3), id(4)] }).to_string(),
    )
    .await;
    api.delete(&format!("{path}/photos/{}", id(2)), ALICE).await;
    api.patch(
        &path,
        ALICE,
        &json!({ "title": "Summer in Lisbon", "cover_id": id(4) }),
    )
    .await;
    let kept_link = api
        .new_share(&album_id, json!({ "allow_download": true }))
        .await;
    let gone_link = api.new_share(&album_id, json!({})).await;
    let gone = gone_link["token"].as_str().expect("token");
    api.delete(&format!("/api/shares/{gone}"), ALICE).await;
    // Bob can change nothing of Alice's, in the index or the bucket.
    let before = api.objects.contents.lock().expect("lock").len();
    api.patch(&path, BOB, &json!({ "title": "mine" })).await;
    api.post(
        &format!("{path}/photos"),
        Some(BOB),
        &json!({ "ids": [id(1)] }).to_string(),
    )
    .await;
    api.delete(
        &format!(
            "/api/shares/{}",
            kept_link["token"].as_str().expect("token")
        ),
        BOB,
    )
    .await;
    assert_eq!(api.objects.contents.lock().expect("lock").len(), before);

    let prefix = format!("u/{ALICE}/a/{album_id}/");
    let kept = api.objects.kept_under(&prefix);
    let replayed = album_log::replay(
        kept.iter()
            .map(|(_, body)| album_log::decode(body).expect("each change reads")),
    )
    .expect("the album");
    let (_, page) = api.get(&format!("{path}/photos"), ALICE).await;
    let mut in_index = ids(&page);
    in_index.sort();
    let mut in_bucket = replayed.photos.clone();
    in_bucket.sort();
    assert_eq!(in_bucket, in_index);
    assert_eq!(replayed.title, "Summer in Lisbon");
    assert_eq!(replayed.cover, Some(id(4)));
    assert_eq!(
        replayed.shares.keys().cloned().collect::<Vec<_>>(),
        vec![kept_link["token"].as_str().expect("token").to_owned()]
    );

    api.delete(&path, ALICE).await;
    let kept = api.objects.kept_under(&prefix);
    assert_eq!(
        album_log::replay(
            kept.iter()
                .map(|(_, body)| album_log::decode(body).expect("reads"))
        ),
        None,
        "a deleted album replays to nothing"
    );
}
