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

/// An iPhone's timed metadata track, declaring `keys` (in `mdta`).
fn timed_metadata(keys: &[&str]) -> Vec<u8> {
    let mut hdlr = vec![0; 8];
    hdlr.extend_from_slice(b"meta");
    hdlr.extend_from_slice(&[0; 12]);
    let table: Vec<u8> = keys
        .iter()
        .enumerate()
        .flat_map(|(index, key)| {
            let id = (index as u32 + 1).to_be_bytes();
            boxed(&id, &boxed(b"keyd", &[b"mdta", key.as_bytes()].concat()))
        })
        .collect();
    let mebx = boxed(b"mebx", &[vec![0; 8], boxed(b"keys", &table)].concat());
    let stsd = boxed(b"stsd", &[vec![0, 0, 0, 0, 0, 0, 0, 1], mebx].concat());
    boxed(
        b"trak",
        &boxed(
            b"mdia",
            &[
                boxed(b"hdlr", &hdlr),
                boxed(b"minf", &boxed(b"stbl", &stsd)),
            ]
            .concat(),
        ),
    )
}

/// A phone's MP4: 12 MiB of pictures, then its movie box with Android's place
/// in the user data and Apple's in QuickTime's metadata; `extra` tracks too.
fn phone_video(extra: &[&[u8; 4]]) -> Vec<u8> {
    phone_video_with(extra, &[])
}

/// [`phone_video`], with an iPhone's timed metadata declaring `timed_keys`.
fn phone_video_with(extra: &[&[u8; 4]], timed_keys: &[&str]) -> Vec<u8> {
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
    if !timed_keys.is_empty() {
        movie.extend(timed_metadata(timed_keys));
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

/// Whether any copy to share is in the store.
fn any_copy(api: &Api) -> bool {
    api.objects
        .sizes
        .lock()
        .expect("lock")
        .keys()
        .any(|key| key.contains("/s/"))
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
    api.delete_for_good(&video, ALICE).await;
    assert!(!any_copy(&api), "the copy goes with it");
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
    assert!(!any_copy(&api), "no copy left behind");
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

/// A JPEG that says where it was taken (its EXIF, as text here), then the
/// clip: `(file, where the clip starts)`.
fn motion_photo(clip: &[u8]) -> (Vec<u8>, usize) {
    let mut file = b"\xff\xd8\xff\xe1Exif GPS +51.5007-000.1246 \xff\xd9".to_vec();
    file.extend(std::iter::repeat_n(0x55, 3 * MIB));
    let start = file.len();
    file.extend_from_slice(clip);
    (file, start)
}

#[tokio::test]
async fn a_private_link_plays_a_motion_photos_clip_as_a_file_of_its_own_without_the_place() {
    let api = api();
    let clip = phone_video(&[]);
    let (file, start) = motion_photo(&clip);
    let still = id(3);
    api.upload_all(ALICE, &still);
    api.objects
        .put_bytes(&format!("u/{ALICE}/o/{still}"), file.clone());
    let mut commit = support::api::commit(&still);
    commit["filename"] = json!("PXL_20240501_101010.MP.jpg");
    commit["bytes"] = json!(file.len());
    commit["motion"] = json!({ "start": start, "bytes": clip.len(), "duration_ms": 1_500 });
    let (status, answer) = api.commit(ALICE, &commit).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let album = api
        .new_album(ALICE, "Motion", std::slice::from_ref(&still))
        .await;
    let token = link(&api, album["id"].as_str().expect("id"), json!({})).await;

    let (_, page) = api.public(&format!("/api/public/{token}")).await;
    let item = &page["items"][0];
    assert_eq!(
        item["play_url"],
        Value::Null,
        "not the original: its EXIF says where"
    );
    assert_eq!(item["play_on_request"], true, "{item}");
    assert_eq!(item["motion"]["bytes"], clip.len(), "{item}");

    let (status, answer) = play(&api, &token, &still).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let url = answer["play_url"].as_str().expect("a URL");
    assert!(url.contains(&format!("/s/{still}")), "{url}");
    let copy = api.objects.contents.lock().expect("lock")[&format!("u/{ALICE}/s/{still}")].clone();
    assert_eq!(
        copy.len(),
        clip.len(),
        "the clip alone, not the picture before it"
    );
    assert_eq!(&copy[4..8], b"ftyp", "a file of its own");
    let text = String::from_utf8_lossy(&copy);
    assert!(
        !text.contains("48.8577") && !text.contains("51.5007"),
        "no place in it"
    );
    let mdat = 8 + 16..8 + 16 + 12 * MIB;
    assert_eq!(copy[mdat.clone()], clip[mdat], "the pictures as they were");

    // Deleting the photo deletes the copy of its clip.
    api.delete_for_good(&still, ALICE).await;
    assert!(!any_copy(&api), "the copy goes with it");
}

/// A Live Photo: the still (in the album) and its video, whose timed
/// metadata declares `timed_keys`; the link's token and both ids.
async fn shared_live_photo(api: &Api, timed_keys: &[&str]) -> (String, String, String) {
    const LIVE_ID: &str = "2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99";
    let (still, video) = (id(4), id(5));
    api.upload_all(ALICE, &still);
    let mut body = support::api::commit(&still);
    body["filename"] = json!("IMG_0042.HEIC");
    body["metadata"]["live_id"] = json!(LIVE_ID);
    let (status, answer) = api.commit(ALICE, &body).await;
    assert!(status.is_success(), "{answer}");

    let bytes = phone_video_with(&[], timed_keys);
    api.upload_all(ALICE, &video);
    let length = bytes.len();
    api.objects
        .put_bytes(&format!("u/{ALICE}/o/{video}"), bytes);
    let mut body = support::api::commit(&video);
    body["filename"] = json!("IMG_0042.MOV");
    body["content_type"] = json!("video/quicktime");
    body["bytes"] = json!(length);
    body["video"] = json!({ "duration_ms": 2_900 });
    body["metadata"]["live_id"] = json!(LIVE_ID);
    let (status, answer) = api.commit(ALICE, &body).await;
    assert!(status.is_success(), "{answer}");

    let album = api
        .new_album(ALICE, "Live", std::slice::from_ref(&still))
        .await;
    let token = link(api, album["id"].as_str().expect("id"), json!({})).await;
    (token, still, video)
}

#[tokio::test]
async fn a_private_link_plays_a_live_photos_video_with_its_still_image_time_but_no_place() {
    let api = api();
    let (token, still, video) =
        shared_live_photo(&api, &["com.apple.quicktime.still-image-time"]).await;
    let (_, page) = api.public(&format!("/api/public/{token}")).await;
    let item = &page["items"][0];
    assert_eq!(item["play_url"], Value::Null);
    assert_eq!(item["play_on_request"], true, "{item}");
    assert_eq!(item["live"]["id"], video.as_str(), "{item}");

    let (status, answer) = play(&api, &token, &still).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(
        answer["play_url"]
            .as_str()
            .is_some_and(|url| url.contains(&format!("/s/{video}"))),
        "a copy of the video: {answer}"
    );
    let copy = api.objects.contents.lock().expect("lock")[&format!("u/{ALICE}/s/{video}")].clone();
    let text = String::from_utf8_lossy(&copy);
    assert!(
        !text.contains("48.8577") && !text.contains("ISO6709"),
        "no place in it"
    );
    assert!(
        text.contains("still-image-time"),
        "the phone's marker stays"
    );

    // The video alone is not on the link: asking for it is a 404.
    assert_eq!(play(&api, &token, &video).await.0, StatusCode::NOT_FOUND);
    // Deleting the Live Photo deletes the copy too.
    api.delete_for_good(&still, ALICE).await;
    assert!(!any_copy(&api), "no copy left behind");
}

#[tokio::test]
async fn a_live_photo_whose_timed_metadata_may_hold_the_place_is_refused_and_says_why() {
    let api = api();
    let (token, still, _) = shared_live_photo(
        &api,
        &[
            "com.apple.quicktime.still-image-time",
            "com.apple.quicktime.location.ISO6709",
        ],
    )
    .await;
    let (status, answer) = play(&api, &token, &still).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let message = answer["error"]["message"].as_str().expect("a message");
    assert!(message.contains("location.ISO6709"), "{message}");
}
