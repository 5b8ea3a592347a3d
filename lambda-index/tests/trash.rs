//! How an owner keeps photos, through the API over the in-memory stores:
//! favourites, the archive and the trash as views (`/photos?view=`,
//! `/timeline`), `POST /photos/changes` for a selection (another user's ids
//! mixed in), what a share link shows, a trashed photo sent again, restoring
//! too late, the record kept in the bucket, and the purge.

use std::time::Duration;

use axum::http::StatusCode;
use lambda_index::{
    purge,
    store::{ObjectKey, Owner, PhotoId, PhotoIndex, StateChange, record_object},
};
use serde_json::{Value, json};
use time::OffsetDateTime;

mod support;
use support::api::{ALICE, Api, BOB, api, id, indexed};

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|photo| photo["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn view(api: &Api, user: &str, view: &str) -> Vec<String> {
    let (status, page) = api.get(&format!("/api/photos?view={view}"), user).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    ids(&page)
}

/// Alice's photos 1 to `count`, a day apart, 1 the newest.
async fn library(api: &Api, count: u8) -> Vec<String> {
    for n in 1..=count {
        api.committed(
            ALICE,
            &id(n),
            &format!("2024-05-{:02}T10:00:00+02:00", 30 - n),
        )
        .await;
    }
    (1..=count).map(id).collect()
}

fn owner(user: &str) -> Owner {
    Owner::new(user).expect("owner")
}

fn photo_id(text: &str) -> PhotoId {
    PhotoId::parse(text).expect("id")
}

#[tokio::test]
async fn each_change_moves_photos_between_the_views_and_their_counts() {
    let api = api();
    let mine = library(&api, 4).await;
    let [a, b, c, d] = [&mine[0], &mine[1], &mine[2], &mine[3]].map(String::as_str);
    for (change, ids) in [
        ("favorite", vec![a, b]),
        ("archive", vec![b, c]),
        ("trash", vec![d]),
    ] {
        let (status, answer) = api.change(ALICE, change, &ids).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["done"], json!(ids), "{change}: {answer}");
    }
    assert_eq!(view(&api, ALICE, "timeline").await, [a]);
    assert_eq!(view(&api, ALICE, "favorites").await, [a, b]);
    assert_eq!(view(&api, ALICE, "archive").await, [b, c]);
    assert_eq!(view(&api, ALICE, "trash").await, [d]);
    let (_, timeline) = api.get("/api/timeline", ALICE).await;
    assert_eq!(
        timeline["views"],
        json!({"timeline": 1, "favorites": 2, "archive": 2, "trash": 1})
    );
    assert_eq!(timeline["total"], 1, "the timeline's own counts");
    let (_, archive) = api.get("/api/timeline?view=archive", ALICE).await;
    assert_eq!(archive["total"], 2);
    assert_eq!(archive["months"], json!([{"month": "2024-05", "count": 2}]));

    // Each photo says how it is kept.
    let (_, shown) = api.get(&format!("/api/photos/{b}"), ALICE).await;
    assert_eq!(
        (&shown["favorite"], &shown["in_archive"]),
        (&json!(true), &json!(true))
    );
    let (_, trashed) = api.get(&format!("/api/photos/{d}"), ALICE).await;
    let at = OffsetDateTime::parse(
        trashed["trashed"]["at"].as_str().expect("at"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("a time");
    let purge_at = OffsetDateTime::parse(
        trashed["trashed"]["purge_at"].as_str().expect("purge_at"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("a time");
    assert_eq!(purge_at - at, time::Duration::days(30));

    // Undone, everything is back in the timeline.
    for (change, ids) in [
        ("unfavorite", vec![a, b]),
        ("unarchive", vec![b, c]),
        ("restore", vec![d]),
    ] {
        let (_, answer) = api.change(ALICE, change, &ids).await;
        assert_eq!(answer["done"], json!(ids), "{change}: {answer}");
    }
    assert_eq!(view(&api, ALICE, "timeline").await, mine);
    let (_, timeline) = api.get("/api/timeline", ALICE).await;
    assert_eq!(
        timeline["views"],
        json!({"timeline": 4, "favorites": 0, "archive": 0, "trash": 0})
    );
}

#[tokio::test]
async fn a_selection_with_another_users_photos_changes_only_the_callers() {
    let api = api();
    let mine = library(&api, 2).await;
    api.committed(BOB, &id(9), "2024-05-01T10:00:00+02:00")
        .await;
    let bobs = id(9);
    let asked = [
        mine[0].as_str(),
        bobs.as_str(),
        "not-an-id",
        mine[1].as_str(),
    ];
    for change in ["favorite", "archive", "trash", "restore", "delete_forever"] {
        let (status, answer) = api.change(ALICE, change, &asked).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(
            answer["not_found"],
            json!([bobs, "not-an-id"]),
            "{change}: {answer}"
        );
    }
    // Bob's photo is as he left it.
    assert_eq!(
        view(&api, BOB, "timeline").await,
        std::slice::from_ref(&bobs)
    );
    let (_, his) = api.get(&format!("/api/photos/{bobs}"), BOB).await;
    assert!(
        his.get("favorite").is_none() && his.get("trashed").is_none(),
        "{his}"
    );
    // And neither of Alice's was deleted for good out of the timeline.
    assert!(mine.iter().all(|photo| indexed(&api, ALICE, photo)));
}

#[tokio::test]
async fn bad_changes_and_views_are_refused_and_say_why() {
    let api = api();
    library(&api, 1).await;
    let too_many: Vec<String> = (0..101).map(|n| format!("{n:064x}")).collect();
    let too_many: Vec<&str> = too_many.iter().map(String::as_str).collect();
    for (change, ids) in [("trash", vec![]), ("trash", too_many)] {
        let (status, body) = api.change(ALICE, change, &ids).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|message| message.contains("1 to 100")),
            "{body}"
        );
    }
    let (status, _) = api.change(ALICE, "shred", &[&id(1)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = api.get("/api/photos?view=deleted", ALICE).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _) = api.get("/api/timeline?view=Trash", ALICE).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.change(ALICE, "trash", &[&id(1)]).await;
    assert_eq!(status, StatusCode::OK);
    // A cursor is sealed for its view: the timeline's does not page the trash.
    for n in 2..=3 {
        api.committed(ALICE, &id(n), "2024-05-01T10:00:00+02:00")
            .await;
    }
    let (_, page) = api.get("/api/photos?limit=1", ALICE).await;
    let cursor = page["next_cursor"].as_str().expect("more");
    let (status, _) = api
        .get(&format!("/api/photos?view=trash&cursor={cursor}"), ALICE)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_share_link_shows_no_trashed_photo_and_nothing_of_how_its_owner_keeps_them() {
    let api = api();
    let mine = library(&api, 3).await;
    let album = api.new_album(ALICE, "Trip", &mine).await;
    let share = api
        .new_share(album["id"].as_str().expect("id"), json!({}))
        .await;
    let token = share["token"].as_str().expect("token");
    api.change(ALICE, "favorite", &[&mine[0]]).await;
    api.change(ALICE, "archive", &[&mine[0]]).await;
    api.change(ALICE, "trash", &[&mine[1]]).await;
    let (status, page) = api.public(&format!("/api/public/{token}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(ids(&page), [mine[0].clone(), mine[2].clone()]);
    assert_eq!(page["count"], 2);
    let first = &page["items"][0];
    assert!(
        first.get("favorite").is_none() && first.get("in_archive").is_none(),
        "{first}"
    );
    // The owner's album lists it no more either, until it is restored.
    let path = format!("/api/albums/{}/photos", album["id"].as_str().expect("id"));
    let (_, photos) = api.get(&path, ALICE).await;
    assert_eq!(ids(&photos).len(), 2);
    api.change(ALICE, "restore", &[&mine[1]]).await;
    let (_, page) = api.public(&format!("/api/public/{token}")).await;
    assert_eq!(ids(&page), mine);
}

#[tokio::test]
async fn a_trashed_photo_sent_again_is_restored_not_uploaded() {
    let api = api();
    let mine = library(&api, 2).await;
    api.change(ALICE, "trash", &[&mine[0], &mine[1]]).await;
    let (_, answer) = api
        .uploads(ALICE, json!([support::api::file(&mine[0])]))
        .await;
    assert_eq!(answer["files"][0]["status"], "exists", "{answer}");
    // A commit of the same file (another device that had uploaded it) too.
    let (status, _) = api.commit(ALICE, &support::api::commit(&mine[1])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view(&api, ALICE, "timeline").await, mine);
    assert!(view(&api, ALICE, "trash").await.is_empty());
}

#[tokio::test]
async fn a_photo_trashed_more_than_30_days_ago_is_not_restored_and_says_why() {
    let api = api();
    let mine = library(&api, 1).await;
    let long_ago = OffsetDateTime::now_utc() - time::Duration::days(31);
    api.index
        .change(
            &owner(ALICE),
            &photo_id(&mine[0]),
            StateChange::Trash { at: long_ago },
        )
        .await
        .expect("change");
    let (_, answer) = api.change(ALICE, "restore", &[&mine[0]]).await;
    assert_eq!(answer["done"], json!([]), "{answer}");
    let message = answer["refused"][0]["message"].as_str().expect("why");
    assert!(
        message.contains("IMG_0001") || message.contains("30 days"),
        "{message}"
    );
    assert!(message.contains("can no longer be restored"), "{message}");
}

#[tokio::test]
async fn the_record_kept_in_the_bucket_follows_every_change() {
    let api = api();
    let mine = library(&api, 1).await;
    api.change(ALICE, "favorite", &[&mine[0]]).await;
    api.change(ALICE, "trash", &[&mine[0]]).await;
    let key = ObjectKey::photo_record(&owner(ALICE), &photo_id(&mine[0]));
    let kept = api
        .objects
        .contents
        .lock()
        .expect("lock")
        .get(key.as_str())
        .cloned()
        .expect("a record object");
    let record = record_object::decode(&kept, owner(ALICE)).expect("reads");
    assert!(record.state.favorite && record.state.trashed_at.is_some());
}

#[tokio::test]
async fn the_purge_deletes_what_was_trashed_30_days_ago_and_nothing_else() {
    let api = api();
    let mine = library(&api, 4).await;
    let alice = owner(ALICE);
    let now = OffsetDateTime::now_utc();
    let trash = |n: usize, days: i64| {
        let id = photo_id(&mine[n]);
        let index = api.index.clone();
        let alice = alice.clone();
        async move {
            index
                .change(
                    &alice,
                    &id,
                    StateChange::Trash {
                        at: now - time::Duration::days(days),
                    },
                )
                .await
                .expect("change");
        }
    };
    trash(0, 31).await;
    trash(1, 40).await;
    trash(2, 29).await;
    let files = |n: usize| {
        let id = &mine[n];
        [
            format!("u/{ALICE}/o/{id}"),
            format!("u/{ALICE}/t/{id}.webp"),
            format!("u/{ALICE}/w/{id}.webp"),
            format!("u/{ALICE}/m/{id}.json"),
        ]
    };
    // Out of time before it starts: nothing is done, and it says more is due.
    let purged = purge::run(
        api.objects.as_ref(),
        api.index.as_ref(),
        now,
        Duration::ZERO,
    )
    .await
    .expect("purge");
    assert_eq!((purged.deleted, purged.more), (0, true));

    let purged = purge::run(
        api.objects.as_ref(),
        api.index.as_ref(),
        now,
        Duration::from_secs(60),
    )
    .await
    .expect("purge");
    assert_eq!((purged.deleted, purged.more), (2, false));
    for n in [0, 1] {
        assert!(!indexed(&api, ALICE, &mine[n]), "{n} is gone");
        for key in files(n) {
            assert!(!api.stored(&key), "{key} went with it");
        }
    }
    for n in [2, 3] {
        assert!(indexed(&api, ALICE, &mine[n]), "{n} stays");
        assert!(api.stored(&files(n)[0]));
    }
    assert_eq!(view(&api, ALICE, "trash").await, [mine[2].clone()]);
    // A day later than its 30 days, the last one goes too.
    let purged = purge::run(
        api.objects.as_ref(),
        api.index.as_ref(),
        now + time::Duration::days(2),
        Duration::from_secs(60),
    )
    .await
    .expect("purge");
    assert_eq!(purged.deleted, 1);
    assert_eq!(view(&api, ALICE, "timeline").await, [mine[3].clone()]);
}
