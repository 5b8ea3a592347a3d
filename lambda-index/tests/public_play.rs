//! A video on a share link that keeps the location private, in-process over
//! the in-memory stores (which keep these videos' bytes): the visitor asks to
//! play it and gets a copy whose boxes that could say where it was taken are
//! blanked, made once, byte for byte the original elsewhere.

use axum::http::StatusCode;
use serde_json::{Value, json};

mod support;
use support::api::{ALICE, Api, api, id};

const MIB: usize = 1024 * 1024;

fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = ((8 + body.len()) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

fn track(handler: &[u8; 4]) -> Vec<u8> {
    let mut hdlr = vec![0; 8];
    hdlr.extend_from_slice(handler);
    hdlr.extend_from_slice(&[0; 12]);
    boxed(
        b"trak",
        &[
            boxed(b"tkhd", &[0; 84]),
            boxed(b"mdia", &boxed(b"hdlr", &hdlr)),
        ]
        .concat(),
    )
}

/// A phone's MP4: 12 MiB of pictures, then its movie box with Android's place
/// in the user data and Apple's in QuickTime's metadata; `extra` tracks too.
fn phone_video(extra: &[&[u8; 4]]) -> Vec<u8> {
    let pictures: Vec<u8> = (0..12 * MIB).map(|i| (i % 251) as u8).collect();
    let mut movie = [
        boxed(b"mvhd", &[0; 100]),
        track(b"vide"),
        track(b"soun"),
        boxed(b"udta", &boxed(b"\xa9xyz", b"+48.8577+002.2950/")),
        boxed(
            b"meta",
            &boxed(b"keys", b"com.apple.quicktime.location.ISO6709"),
        ),
    ]
    .concat();
    for handler in extra {
        movie.extend(track(handler));
    }
    [
        boxed(b"ftyp", b"isom\0\0\0\0isom"),
        boxed(b"mdat", &pictures),
        boxed(b"moov", &movie),
    ]
    .concat()
}

/// Alice's video `n` with `bytes`, committed, in a new album: the album's id.
async fn shared_video(api: &Api, n: u8, bytes: Vec<u8>) -> String {
    let video = id(n);
    api.upload_all(ALICE, &video);
    let length = bytes.len();
    api.objects
        .put_bytes(&format!("u/{ALICE}/o/{video}"), bytes);
    let mut commit = support::api::commit(&video);
    commit["content_type"] = json!("video/mp4");
    commit["filename"] = json!("VID_0001.mp4");
    commit["bytes"] = json!(length);
    commit["video"] = json!({ "duration_ms": 4_000 });
    let (status, answer) = api.commit(ALICE, &commit).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let album = api.new_album(ALICE, "Clips", &[video]).await;
    album["id"].as_str().expect("id").to_owned()
}

async fn link(api: &Api, album: &str, share: Value) -> String {
    api.new_share(album, share).await["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

async fn play(api: &Api, token: &str, video: &str) -> (StatusCode, Value) {
    api.post(
        &format!("/api/public/{token}/photos/{video}/play"),
        None,
        "",
    )
    .await
}

#[tokio::test]
async fn a_private_link_plays_a_copy_without_the_place() {
    let api = api();
    let original = phone_video(&[]);
    let album = shared_video(&api, 1, original.clone()).await;
    let token = link(&api, &album, json!({})).await;
    let video = id(1);

    let (_, page) = api.public(&format!("/api/public/{token}")).await;
    let item = &page["items"][0];
    assert_eq!(item["play_url"], Value::Null);
    assert_eq!(item["play_on_request"], true, "{item}");

    let (status, answer) = play(&api, &token, &video).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let url = answer["play_url"].as_str().expect("a URL");
    assert!(
        url.contains(&format!("/s/{video}")),
        "the copy, not the original: {url}"
    );
    let copy = api.objects.contents.lock().expect("lock")[&format!("u/{ALICE}/s/{video}")].clone();
    assert_eq!(copy.len(), original.len(), "nothing moves");
    let text = String::from_utf8_lossy(&copy);
    assert!(
        !text.contains("48.8577") && !text.contains("ISO6709"),
        "no place in it"
    );
    let mdat = 8 + 16..8 + 16 + 12 * MIB;
    assert_eq!(
        copy[mdat.clone()],
        original[mdat],
        "the pictures as they were"
    );
    assert_eq!(
        api.objects.tag(&format!("u/{ALICE}/s/{video}")),
        None,
        "kept, not pending"
    );

    // Made once: the next visitor streams the same copy.
    let started = api
        .objects
        .started
        .load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(play(&api, &token, &video).await.1["play_url"], url);
    assert_eq!(
        api.objects
            .started
            .load(std::sync::atomic::Ordering::SeqCst),
        started
    );

    // Deleting the video deletes its copy.
    let (status, _) = api.delete(&format!("/api/photos/{video}"), ALICE).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        !api.objects
            .sizes
            .lock()
            .expect("lock")
            .contains_key(&format!("u/{ALICE}/s/{video}"))
    );
}

#[tokio::test]
async fn a_video_with_a_track_that_may_hold_the_place_is_refused_and_says_why() {
    let api = api();
    let album = shared_video(&api, 1, phone_video(&[b"meta"])).await;
    let token = link(&api, &album, json!({})).await;
    let (status, answer) = play(&api, &token, &id(1)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let message = answer["error"]["message"].as_str().expect("a message");
    assert!(message.contains("without where it was taken"), "{message}");
    assert!(
        !api.objects
            .sizes
            .lock()
            .expect("lock")
            .keys()
            .any(|key| key.contains("/s/")),
        "no copy left behind"
    );
}

#[tokio::test]
async fn only_the_links_own_videos_play_and_a_link_with_the_place_plays_the_original() {
    let api = api();
    let album = shared_video(&api, 1, phone_video(&[])).await;
    // A video of Alice's outside the album.
    shared_video(&api, 2, phone_video(&[])).await;
    let token = link(&api, &album, json!({})).await;
    assert_eq!(play(&api, &token, &id(2)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        play(&api, &token, "not-an-id").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        play(&api, "AAAAAAAAAAAAAAAAAAAAAA", &id(1)).await.0,
        StatusCode::NOT_FOUND
    );
    let open = link(&api, &album, json!({ "show_location": true })).await;
    let (status, answer) = play(&api, &open, &id(1)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        answer["play_url"]
            .as_str()
            .is_some_and(|url| url.contains(&format!("/o/{}", id(1)))),
        "{answer}"
    );
}
