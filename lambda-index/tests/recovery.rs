//! The bucket is the library: a library made through the API (photos, a Live
//! Photo, albums renamed, trimmed and deleted, share links made and revoked),
//! its index thrown away, is rebuilt from the bucket alone, into an empty
//! in-memory index and into a new DynamoDB table (dynalite), and answers
//! every page as it did before. `verify` finds what is missing or damaged
//! and repairs what can be.

use std::sync::Arc;

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use lambda_index::{
    ApiState,
    recovery::{
        Library, inventory, rebuild,
        verify::{self, Options, Problem},
    },
    store::{AlbumIndex, ObjectKey, ObjectStore, Owner, PhotoId, PhotoIndex, Variant},
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

mod support;
use support::{
    MemoryIndex, MemoryObjects,
    api::{ALICE, Api, BOB, api, id},
    dynalite::{dynalite, fresh_table},
    jwks, token_for, verifier_with,
};

const LIVE_ID: &str = "2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99";

/// Alice's library: five photos, a Live Photo, an album changed every way an
/// album changes, one deleted, a link kept and one revoked; and Bob's photo
/// and album beside it.
async fn a_library(api: &Api) -> (String, String) {
    for k in 1..=5 {
        api.committed(ALICE, &id(k), &format!("2024-03-{k:02}T12:00:00+01:00"))
            .await;
    }
    for (is_video, half) in [(false, id(6)), (true, id(7))] {
        api.upload_all(ALICE, &half);
        let mut body = support::api::commit(&half);
        body["metadata"]["live_id"] = json!(LIVE_ID);
        body["taken_at"] = json!("2024-04-01T09:00:00+01:00");
        if is_video {
            body["filename"] = json!("IMG_0042.MOV");
            body["content_type"] = json!("video/quicktime");
            body["video"] = json!({ "duration_ms": 2_900 });
        }
        let (status, answer) = api.commit(ALICE, &body).await;
        assert!(status.is_success(), "{answer}");
    }
    let album = api
        .new_album(ALICE, "Lisbon", &[id(1), id(2), id(3), id(6)])
        .await;
    let album_id = album["id"].as_str().expect("id").to_owned();
    let path = format!("/api/albums/{album_id}");
    let (status, _) = api
        .patch(
            &path,
            ALICE,
            &json!({ "title": "Summer in Lisbon", "cover_id": id(2) }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = api.delete(&format!("{path}/photos/{}", id(3)), ALICE).await;
    assert!(status.is_success());
    let kept = api
        .new_share(&album_id, json!({ "allow_download": true }))
        .await;
    let revoked = api.new_share(&album_id, json!({})).await;
    let (status, _) = api
        .delete(
            &format!("/api/shares/{}", revoked["token"].as_str().expect("token")),
            ALICE,
        )
        .await;
    assert!(status.is_success());
    let gone = api.new_album(ALICE, "Screenshots", &[id(4)]).await;
    let (status, _) = api
        .delete(
            &format!("/api/albums/{}", gone["id"].as_str().expect("id")),
            ALICE,
        )
        .await;
    assert!(status.is_success());

    api.committed(BOB, &id(9), "2023-01-01T00:00:00Z").await;
    api.new_album(BOB, "Bob's", &[id(9)]).await;
    (album_id, kept["token"].as_str().expect("token").to_owned())
}

/// A GET as `user` (or a visitor, with `None`) of the router over `state`.
async fn get(state: &ApiState, path: &str, user: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::get(path);
    if let Some(user) = user {
        request = request.header(header::AUTHORIZATION, format!("Bearer {}", token_for(user)));
    }
    let request = request.body(Body::empty()).expect("request");
    support::api::answer(lambda_index::router(state.clone()), request).await
}

/// Every page a person or a visitor sees of the library.
async fn pages(state: &ApiState, album: &str, token: &str) -> Vec<(String, StatusCode, Value)> {
    let mut seen = Vec::new();
    for (user, path) in [
        (Some(ALICE), "/api/photos".to_owned()),
        (Some(ALICE), "/api/timeline".to_owned()),
        (Some(ALICE), "/api/albums".to_owned()),
        (Some(ALICE), format!("/api/albums/{album}")),
        (Some(ALICE), format!("/api/albums/{album}/photos")),
        (Some(ALICE), "/api/shares".to_owned()),
        (Some(ALICE), format!("/api/photos/{}", id(6))),
        (Some(BOB), "/api/photos".to_owned()),
        (Some(BOB), "/api/albums".to_owned()),
        (None, format!("/api/public/{token}")),
    ] {
        let (status, body) = get(state, &path, user).await;
        seen.push((format!("{user:?} {path}"), status, body));
    }
    seen
}

fn state_over(
    objects: Arc<MemoryObjects>,
    index: Arc<dyn PhotoIndex>,
    albums: Arc<dyn AlbumIndex>,
) -> ApiState {
    let mut state = support::state_over(
        verifier_with(jwks(true)),
        objects,
        Arc::new(MemoryIndex::default()),
    );
    state.index = index;
    state.albums = albums;
    state
}

fn library<'a>(
    objects: &'a MemoryObjects,
    index: &'a dyn PhotoIndex,
    albums: &'a dyn AlbumIndex,
) -> Library<'a> {
    Library {
        objects,
        index,
        albums,
    }
}

/// Rebuilds the bucket of `api` into `index`, and checks that every page
/// answers as it did from the index the API kept.
async fn rebuilt_into<I: PhotoIndex + AlbumIndex + 'static>(index: Arc<I>) {
    let api = api();
    let (album, token) = a_library(&api).await;
    let before = pages(
        &state_over(api.objects.clone(), api.index.clone(), api.index.clone()),
        &album,
        &token,
    )
    .await;
    assert_eq!(before[0].2["items"].as_array().map(Vec::len), Some(6));
    assert_eq!(before[3].2["cover_id"], json!(id(2)), "a chosen cover");
    assert_eq!(before[3].2["count"], 3);
    assert_eq!(
        before[5].2["items"].as_array().map(Vec::len),
        Some(1),
        "one link"
    );
    assert_eq!(before[9].1, StatusCode::OK, "the link opens");

    let inventory = inventory::take(api.objects.as_ref()).await.expect("listed");
    let rebuilt = rebuild::rebuild(
        library(&api.objects, index.as_ref(), index.as_ref()),
        &inventory,
    )
    .await
    .expect("rebuilt");
    assert_eq!(rebuilt.problems, [], "nothing in the bucket was unusable");
    assert_eq!(
        (
            rebuilt.photos,
            rebuilt.albums,
            rebuilt.shares,
            rebuilt.in_albums
        ),
        (8, 2, 1, 4),
        "eight photos (the Live Photo's two halves among them), Alice's and \
         Bob's albums (not the deleted one), the link not revoked, and the \
         albums' photos: {rebuilt:?}"
    );

    let after = pages(
        &state_over(api.objects.clone(), index.clone(), index.clone()),
        &album,
        &token,
    )
    .await;
    for ((page, status, body), (_, status_after, body_after)) in before.iter().zip(&after) {
        assert_eq!(status, status_after, "{page}");
        assert_eq!(body, body_after, "{page} is answered as before");
    }

    // Again: nothing is added twice.
    let again = rebuild::rebuild(
        library(&api.objects, index.as_ref(), index.as_ref()),
        &inventory,
    )
    .await
    .expect("rebuilt again");
    assert_eq!(
        (
            again.photos,
            again.photos_already_there,
            again.albums,
            again.albums_already_there
        ),
        (0, 8, 0, 2)
    );
}

#[tokio::test]
async fn an_empty_index_rebuilt_from_the_bucket_answers_every_page_as_before() {
    rebuilt_into(Arc::new(MemoryIndex::default())).await;
}

#[tokio::test]
async fn a_new_dynamodb_table_rebuilt_from_the_bucket_answers_every_page_as_before() {
    rebuilt_into(Arc::new(fresh_table(dynalite()).await)).await;
}

/// Photo `n` of `user` with real bytes, so its id is their SHA-256.
async fn real_photo(api: &Api, user: &str, n: u8) -> String {
    let bytes: Vec<u8> = (0..10_000u32).map(|at| (at * u32::from(n)) as u8).collect();
    let id = hex::encode(Sha256::digest(&bytes));
    api.objects
        .put_bytes(&format!("u/{user}/o/{id}"), bytes.clone());
    api.objects.put(&format!("u/{user}/t/{id}.webp"), 21_000);
    api.objects.put(&format!("u/{user}/w/{id}.webp"), 140_000);
    let mut body = support::api::commit(&id);
    body["bytes"] = json!(bytes.len());
    body["taken_at"] = json!(format!("2024-05-{n:02}T12:00:00Z"));
    let (status, answer) = api.commit(user, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    id
}

async fn check(api: &Api, repair: bool) -> verify::Verified {
    let inventory = inventory::take(api.objects.as_ref()).await.expect("listed");
    verify::verify(
        library(&api.objects, api.index.as_ref(), api.index.as_ref()),
        &inventory,
        Options { repair, hash: true },
    )
    .await
    .expect("checked")
}

/// What a check found, as (photo or album, problem, repaired).
fn found(verified: &verify::Verified) -> Vec<(String, Problem, bool)> {
    let mut found: Vec<_> = verified
        .findings
        .iter()
        .map(|finding| {
            (
                finding.subject.clone(),
                finding.problem.clone(),
                finding.repaired,
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[tokio::test]
async fn a_whole_library_checks_out_byte_for_byte() {
    let api = api();
    let ids: Vec<String> =
        futures::future::join_all((1..=3).map(|n| real_photo(&api, ALICE, n))).await;
    api.new_album(ALICE, "Best", &ids[..2]).await;
    let verified = check(&api, false).await;
    assert_eq!(found(&verified), []);
    assert_eq!((verified.photos, verified.albums), (3, 1));
    assert_eq!(verified.bytes_hashed, 30_000, "every original read whole");
}

#[tokio::test]
async fn what_is_missing_or_damaged_is_found_and_what_can_be_is_repaired() {
    let api = api();
    let lost = real_photo(&api, ALICE, 1).await;
    let changed = real_photo(&api, ALICE, 2).await;
    let no_thumb = real_photo(&api, ALICE, 3).await;
    let no_record = real_photo(&api, ALICE, 4).await;
    let unindexed = real_photo(&api, ALICE, 5).await;
    let album = api
        .new_album(
            ALICE,
            "Kept only in the index",
            std::slice::from_ref(&no_record),
        )
        .await;
    let album_id = album["id"].as_str().expect("id").to_owned();
    let alice = Owner::new(ALICE).expect("owner");

    api.objects
        .delete(&ObjectKey::original(
            &alice,
            &PhotoId::parse(&lost).expect("id"),
        ))
        .await
        .expect("deleted");
    api.objects
        .put_bytes(&format!("u/{ALICE}/o/{changed}"), vec![7; 10_000]);
    api.objects
        .delete(
            &ObjectKey::preview(
                &alice,
                &PhotoId::parse(&no_thumb).expect("id"),
                Variant::Thumb,
                "image/webp",
            )
            .expect("key"),
        )
        .await
        .expect("deleted");
    api.objects
        .delete(&ObjectKey::photo_record(
            &alice,
            &PhotoId::parse(&no_record).expect("id"),
        ))
        .await
        .expect("deleted");
    api.index
        .remove(&alice, &PhotoId::parse(&unindexed).expect("id"))
        .await
        .expect("removed");
    // An album made before albums were kept in the bucket: its changes gone.
    for (key, _) in api.objects.kept_under(&format!("u/{ALICE}/a/{album_id}/")) {
        api.objects.sizes.lock().expect("lock").remove(&key);
        api.objects.contents.lock().expect("lock").remove(&key);
    }
    // An upload never committed.
    let stray = "ab".repeat(32);
    api.objects.put(&format!("u/{ALICE}/o/{stray}"), 5);

    let photo = |id: &str| format!("photo {id}");
    let expected = |repaired: bool| {
        let mut expected = vec![
            (photo(&lost), Problem::OriginalMissing, false),
            (
                photo(&changed),
                Problem::OriginalDamaged {
                    sha256: hex::encode(Sha256::digest(vec![7; 10_000])),
                },
                false,
            ),
            (
                photo(&no_thumb),
                Problem::PreviewMissing(Variant::Thumb),
                repaired,
            ),
            (photo(&no_record), Problem::RecordMissing, repaired),
            (photo(&unindexed), Problem::NotIndexed, repaired),
            (photo(&stray), Problem::NeverCommitted, false),
            (
                format!("album {album_id}"),
                Problem::AlbumNotInBucket,
                repaired,
            ),
        ];
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        expected
    };

    let looked = check(&api, false).await;
    assert_eq!(found(&looked), expected(false), "a look changes nothing");
    assert_eq!(looked.unresolved().count(), 6, "all but the stray upload");
    assert_eq!(found(&check(&api, false).await), expected(false));

    let repaired = check(&api, true).await;
    assert_eq!(found(&repaired), expected(true));
    assert_eq!(
        repaired.unresolved().count(),
        2,
        "an original lost or changed needs the owner's files"
    );
    assert_eq!(
        api.objects.kept_under(&format!("u/{ALICE}/p/")).len(),
        1,
        "the lost thumbnail is asked of the next browser"
    );

    // Repaired for good: the next check finds only what cannot be.
    let next = check(&api, false).await;
    let left: Vec<_> = found(&next)
        .into_iter()
        .map(|(subject, _, _)| subject)
        .collect();
    let mut cannot = vec![
        photo(&lost),
        photo(&changed),
        photo(&no_thumb),
        photo(&stray),
    ];
    cannot.sort();
    assert_eq!(left, cannot);
    assert!(indexed(&api, &unindexed).await, "put back in the index");

    // The album written to the bucket rebuilds as it was.
    let fresh = Arc::new(MemoryIndex::default());
    let inventory = inventory::take(api.objects.as_ref()).await.expect("listed");
    let rebuilt = rebuild::rebuild(
        library(&api.objects, fresh.as_ref(), fresh.as_ref()),
        &inventory,
    )
    .await
    .expect("rebuilt");
    assert_eq!((rebuilt.albums, rebuilt.in_albums), (1, 1), "{rebuilt:?}");
    let state = state_over(api.objects.clone(), fresh.clone(), fresh);
    let (_, albums) = get(&state, "/api/albums", Some(ALICE)).await;
    assert_eq!(albums["items"][0]["title"], "Kept only in the index");
    assert_eq!(albums["items"][0]["count"], 1);
}

#[tokio::test]
async fn a_record_that_is_not_one_is_reported_and_the_rest_rebuilt() {
    let api = api();
    let good = real_photo(&api, ALICE, 1).await;
    let bad = real_photo(&api, ALICE, 2).await;
    api.objects
        .put_bytes(&format!("u/{ALICE}/m/{bad}.json"), b"{ not json".to_vec());
    // Bob's record under Alice's name is not Alice's photo.
    let bobs = real_photo(&api, BOB, 3).await;
    let bobs_record = api
        .objects
        .contents
        .lock()
        .expect("lock")
        .get(&format!("u/{BOB}/m/{bobs}.json"))
        .cloned()
        .expect("Bob's record");
    api.objects
        .put_bytes(&format!("u/{ALICE}/m/{}.json", id(8)), bobs_record);
    api.objects.put(&format!("u/{ALICE}/o/{}", id(8)), 10_000);

    let fresh = MemoryIndex::default();
    let inventory = inventory::take(api.objects.as_ref()).await.expect("listed");
    let rebuilt = rebuild::rebuild(library(&api.objects, &fresh, &fresh), &inventory)
        .await
        .expect("rebuilt");
    assert_eq!(rebuilt.photos, 2, "Alice's good photo and Bob's");
    let mut problems: Vec<String> = rebuilt.problems.iter().map(|p| p.key.clone()).collect();
    problems.sort();
    let mut expected = [
        format!("u/{ALICE}/m/{bad}.json"),
        format!("u/{ALICE}/m/{}.json", id(8)),
    ];
    expected.sort();
    assert_eq!(problems, expected);
    let alice = Owner::new(ALICE).expect("owner");
    assert!(
        fresh
            .get(&alice, &PhotoId::parse(&good).expect("id"))
            .await
            .expect("index")
            .is_some()
    );
}

async fn indexed(api: &Api, id: &str) -> bool {
    api.index
        .get(
            &Owner::new(ALICE).expect("owner"),
            &PhotoId::parse(id).expect("id"),
        )
        .await
        .expect("index")
        .is_some()
}
