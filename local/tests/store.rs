//! The local object store over real TCP, as a browser and an attacker meet it: the
//! API's presigned PUTs work exactly as signed and in no other way, writes are
//! atomic, CORS lets the SPA's origin in, objects survive a restart, and the sweep
//! removes uploads that were never committed. (The SQLite index has its own tests,
//! `photo_index.rs`.)

mod support;

use std::{
    io::Write,
    net::TcpStream,
    time::{Duration, SystemTime},
};

use lambda_index::store::{
    Lifecycle, ObjectKey, ObjectStore, Owner, PENDING_TAG, PhotoId, PhotoIndex, PhotoRecord,
    Variant,
};
use local::sweep::Sweeper;
use support::store::{APP_ORIGIN, start};

const ALICE: &str = "a11ce000-0000-4000-8000-000000000001";
const BOB: &str = "b0b00000-0000-4000-8000-000000000002";
const ID: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const OTHER_ID: &str = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

fn alice_original() -> ObjectKey {
    ObjectKey::original(
        &Owner::new(ALICE).expect("owner"),
        &PhotoId::parse(ID).expect("id"),
    )
}

fn http() -> reqwest::Client {
    reqwest::Client::new()
}

/// The headers the browser sends with every PUT, as the API signed them.
const SIGNED_HEADERS: [(&str, &str); 2] = [("x-amz-tagging", PENDING_TAG), ("if-none-match", "*")];

/// PUTs `body` to `url` with `content_type`, as the browser does; the status and
/// S3's error code.
async fn put(url: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
    put_with(url, content_type, &SIGNED_HEADERS, body).await
}

async fn put_with(
    url: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (u16, String) {
    let mut request = http().put(url).header("content-type", content_type);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.body(body).send().await.expect("answer");
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let code = text
        .split("<Code>")
        .nth(1)
        .and_then(|rest| rest.split("</Code>").next())
        .unwrap_or_default()
        .to_owned();
    (status, code)
}

#[tokio::test]
async fn a_presigned_put_stores_exactly_the_signed_object_and_it_survives_a_restart() {
    let data = tempfile::tempdir().expect("dir");
    let running = start(data.path()).await;
    let key = alice_original();
    let body = b"the original, byte for byte".to_vec();
    let target = running
        .client
        .presign_put(&key, "image/jpeg", body.len() as u64)
        .expect("signs");
    let response = http()
        .put(&target.url)
        .header("content-type", "image/jpeg")
        .header("x-amz-tagging", PENDING_TAG)
        .header("if-none-match", "*")
        .header("origin", APP_ORIGIN)
        .body(body.clone())
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("etag").is_some(),
        "S3 answers an ETag"
    );
    assert_eq!(
        response
            .headers()
            .get("access-control-expose-headers")
            .and_then(|v| v.to_str().ok()),
        Some("etag,content-length,content-disposition,content-range,accept-ranges"),
        "the SPA can read the ETag"
    );
    assert_eq!(
        running.client.size(&key).await.expect("head"),
        Some(body.len() as u64)
    );
    let url = running.client.presign_get(&key).expect("signs");
    let fetched = http().get(&url).send().await.expect("answer");
    assert_eq!(fetched.status(), 200);
    assert_eq!(
        fetched.bytes().await.expect("body").to_vec(),
        body,
        "a presigned GET reads it back"
    );
    assert_eq!(
        running.client.presign_get(&key).expect("signs"),
        url,
        "the same URL all hour, so browsers cache"
    );
    let (status, _) = put(&url, "image/jpeg", vec![1]).await;
    assert_eq!(status, 403, "a GET URL cannot write");
    let download = running
        .client
        .presign_download(&key, "Été 2019 \"best\".jpg")
        .expect("signs");
    let saved = http().get(&download).send().await.expect("answer");
    assert_eq!(saved.status(), 200);
    assert_eq!(
        saved
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok()),
        Some(
            "attachment; filename=\"_t_ 2019 _best_.jpg\"; filename*=UTF-8''%C3%89t%C3%A9%202019%20%22best%22.jpg"
        ),
        "saved under its own name"
    );
    assert_eq!(saved.bytes().await.expect("body").to_vec(), body);
    let renamed = download.replace("best", "worst");
    assert_eq!(
        http().get(&renamed).send().await.expect("answer").status(),
        403,
        "the name is signed"
    );

    running.server.abort();
    let restarted = start(data.path()).await;
    assert_eq!(
        restarted.client.size(&key).await.expect("head"),
        Some(body.len() as u64),
        "objects live in the data directory"
    );
    let missing = ObjectKey::original(
        &Owner::new(ALICE).expect("owner"),
        &PhotoId::parse(OTHER_ID).expect("id"),
    );
    assert_eq!(restarted.client.size(&missing).await.expect("head"), None);
}

#[tokio::test]
async fn a_stored_file_is_never_replaced_by_a_later_upload() {
    let data = tempfile::tempdir().expect("dir");
    let running = start(data.path()).await;
    let key = alice_original();
    let sign = || {
        running
            .client
            .presign_put(&key, "image/jpeg", 5)
            .expect("signs")
            .url
    };
    assert_eq!(put(&sign(), "image/jpeg", b"first".to_vec()).await.0, 200);
    // Another device, or a retry whose first answer was lost: a fresh URL for
    // the same file. The store keeps what it has (and the browser takes 412
    // as "already there").
    assert_eq!(
        put(&sign(), "image/jpeg", b"later".to_vec()).await,
        (412, "PreconditionFailed".to_owned())
    );
    let url = running.client.presign_get(&key).expect("signs");
    let kept = http().get(&url).send().await.expect("answer");
    assert_eq!(kept.bytes().await.expect("body").as_ref(), b"first");
}

#[tokio::test]
async fn a_commit_can_keep_an_uploaded_object_and_keeping_a_missing_one_is_no_error() {
    let data = tempfile::tempdir().expect("dir");
    let running = start(data.path()).await;
    let key = alice_original();
    let target = running
        .client
        .presign_put(&key, "image/jpeg", 3)
        .expect("signs");
    assert_eq!(put(&target.url, "image/jpeg", b"abc".to_vec()).await.0, 200);
    // PutObjectTagging (an original) and DeleteObjectTagging (a preview), signed
    // with a Content-MD5 as S3 asks: the store takes both.
    running
        .client
        .keep(&key, Lifecycle::Original)
        .await
        .expect("the original is kept");
    running
        .client
        .keep(&key, Lifecycle::Hot)
        .await
        .expect("a preview is kept");
    let missing = ObjectKey::original(
        &Owner::new(BOB).expect("owner"),
        &PhotoId::parse(ID).expect("id"),
    );
    running
        .client
        .keep(&missing, Lifecycle::Original)
        .await
        .expect("nothing there, nothing to keep");
    assert_eq!(running.client.size(&key).await.expect("head"), Some(3));
}

#[tokio::test]
async fn presigned_urls_are_refused_when_abused() {
    let data = tempfile::tempdir().expect("dir");
    let running = start(data.path()).await;
    let key = alice_original();
    let body = vec![7u8; 1000];
    let url = running
        .client
        .presign_put(&key, "image/jpeg", 1000)
        .expect("signs")
        .url;

    let tampered = {
        let at = url.find("X-Amz-Signature=").expect("signature") + "X-Amz-Signature=".len();
        let flipped = if &url[at..=at] == "0" { "1" } else { "0" };
        format!("{}{flipped}{}", &url[..at], &url[at + 1..])
    };
    let expired = running
        .client
        .presign_put_signed_at(
            &key,
            "image/jpeg",
            1000,
            SystemTime::now() - Duration::from_secs(16 * 60),
        )
        .expect("signs")
        .url;
    let other_id = url.replace(ID, OTHER_ID);
    let other_user = url.replace(&format!("u/{ALICE}/"), &format!("u/{BOB}/"));
    let thumb_key = url.replace(&format!("/o/{ID}"), &format!("/t/{ID}.webp"));
    let unsigned = format!("{}/media/{}", running.origin, key.as_str());

    let cases = [
        (
            "tampered signature",
            tampered,
            "image/jpeg",
            1000,
            "SignatureDoesNotMatch",
        ),
        ("expired", expired, "image/jpeg", 1000, "AccessDenied"),
        (
            "reused for another photo",
            other_id,
            "image/jpeg",
            1000,
            "SignatureDoesNotMatch",
        ),
        (
            "reused under another user's prefix",
            other_user,
            "image/jpeg",
            1000,
            "SignatureDoesNotMatch",
        ),
        (
            "reused for another variant",
            thumb_key,
            "image/jpeg",
            1000,
            "SignatureDoesNotMatch",
        ),
        (
            "another content type",
            url.clone(),
            "text/html",
            1000,
            "SignatureDoesNotMatch",
        ),
        (
            "a longer body",
            url.clone(),
            "image/jpeg",
            5000,
            "SignatureDoesNotMatch",
        ),
        (
            "a shorter body",
            url.clone(),
            "image/jpeg",
            10,
            "SignatureDoesNotMatch",
        ),
        (
            "no signature at all",
            unsigned,
            "image/jpeg",
            1000,
            "AccessDenied",
        ),
    ];
    for (what, url, content_type, length, code) in cases {
        let (status, found) = put(&url, content_type, vec![1u8; length]).await;
        assert_eq!((status, found.as_str()), (403, code), "{what}");
    }
    // Without the pending tag an upload would never expire if left uncommitted;
    // without the condition it could replace a photo already kept.
    for (what, headers) in [
        ("without the pending tag", vec![("if-none-match", "*")]),
        (
            "tagged as a kept original",
            vec![
                ("x-amz-tagging", "shoebox-kind=original"),
                ("if-none-match", "*"),
            ],
        ),
        (
            "without if-none-match",
            vec![("x-amz-tagging", PENDING_TAG)],
        ),
    ] {
        let (status, found) = put_with(&url, "image/jpeg", &headers, body.clone()).await;
        assert_eq!(
            (status, found.as_str()),
            (403, "SignatureDoesNotMatch"),
            "{what}"
        );
    }
    assert_eq!(
        running.client.size(&key).await.expect("head"),
        None,
        "nothing was written"
    );
    let bob = ObjectKey::original(
        &Owner::new(BOB).expect("owner"),
        &PhotoId::parse(ID).expect("id"),
    );
    assert_eq!(running.client.size(&bob).await.expect("head"), None);

    let (status, _) = put(&url, "image/jpeg", body).await;
    assert_eq!(status, 200, "the URL itself still works as signed");
}

#[tokio::test]
async fn the_spas_origin_passes_the_cors_preflight_and_others_do_not() {
    let data = tempfile::tempdir().expect("dir");
    let running = start(data.path()).await;
    let url = running
        .client
        .presign_put(&alice_original(), "image/jpeg", 10)
        .expect("signs")
        .url;
    let preflight = |origin: &'static str| {
        http()
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", origin)
            .header("access-control-request-method", "PUT")
            .header(
                "access-control-request-headers",
                "content-type,x-amz-tagging,if-none-match",
            )
            .send()
    };
    let ours = preflight(APP_ORIGIN).await.expect("answer");
    assert_eq!(ours.status(), 200);
    let header = |response: &reqwest::Response, name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header(&ours, "access-control-allow-origin").as_deref(),
        Some(APP_ORIGIN)
    );
    assert!(
        header(&ours, "access-control-allow-methods")
            .expect("methods")
            .contains("PUT")
    );
    let allowed = header(&ours, "access-control-allow-headers").expect("headers");
    assert!(
        ["content-type", "x-amz-tagging", "if-none-match"]
            .iter()
            .all(|name| allowed.contains(name)),
        "{allowed}"
    );

    let theirs = preflight("https://evil.example").await.expect("answer");
    assert_eq!(header(&theirs, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_put_cut_off_midway_leaves_no_object_behind() {
    let data = tempfile::tempdir().expect("dir");
    let running = start(data.path()).await;
    let key = alice_original();
    let url = running
        .client
        .presign_put(&key, "image/jpeg", 1_000_000)
        .expect("signs")
        .url;
    let path_and_query = &url[running.origin.len()..];
    let address = running.origin.trim_start_matches("http://").to_owned();
    let request = format!(
        "PUT {path_and_query} HTTP/1.1\r\nhost: {address}\r\ncontent-type: image/jpeg\r\ncontent-length: 1000000\r\n\r\n"
    );
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(&address).expect("connects");
        stream.write_all(request.as_bytes()).expect("headers");
        stream
            .write_all(&vec![9u8; 400_000])
            .expect("part of the body");
        stream.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(200));
        // Dropped here: the connection is cut with 600 kB still to come.
    })
    .await
    .expect("client");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        running.client.size(&key).await.expect("head"),
        None,
        "no partial object"
    );
    let leftovers: Vec<String> = std::fs::read_dir(local::object_store::root(data.path()))
        .expect("store root")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".part"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new(), "no temp file left");
}

fn record(owner: &str, id: &str) -> PhotoRecord {
    let taken_at = time::OffsetDateTime::parse(
        "2019-09-26T16:38:00+02:00",
        &time::format_description::well_known::Rfc3339,
    )
    .expect("time");
    PhotoRecord {
        owner: Owner::new(owner).expect("owner"),
        id: PhotoId::parse(id).expect("id"),
        taken_at,
        uploaded_at: taken_at,
        details: api_types::photo::PhotoDetails {
            filename: "IMG_0001.JPG".into(),
            content_type: "image/jpeg".into(),
            bytes: 10,
            width: Some(4032),
            height: Some(3024),
            metadata: api_types::photo::Metadata {
                orientation: 1,
                ..Default::default()
            },
            placeholder: None,
            video: None,
            motion: None,
            imported: None,
        },
        thumb: None,
        web: None,
        live: None,
        state: Default::default(),
    }
}

#[tokio::test]
async fn the_sweep_removes_uncommitted_uploads_once_their_grace_is_over() {
    let data = tempfile::tempdir().expect("dir");
    let running = start(data.path()).await;
    let owner = Owner::new(ALICE).expect("owner");
    let (committed, abandoned) = (
        PhotoId::parse(ID).expect("id"),
        PhotoId::parse(OTHER_ID).expect("id"),
    );
    let keys = |id: &PhotoId| {
        [
            ObjectKey::original(&owner, id),
            ObjectKey::preview(&owner, id, Variant::Thumb, "image/webp").expect("thumb"),
            ObjectKey::preview(&owner, id, Variant::Web, "image/webp").expect("web"),
        ]
    };
    for key in keys(&committed).iter().chain(keys(&abandoned).iter()) {
        let url = running
            .client
            .presign_put(key, "image/webp", 3)
            .expect("signs")
            .url;
        assert_eq!(put(&url, "image/webp", vec![1, 2, 3]).await.0, 200);
    }
    running
        .index
        .insert(&record(ALICE, ID))
        .await
        .expect("indexed");

    let patient = Sweeper::new(
        data.path(),
        running.index.clone(),
        Duration::from_secs(3600),
    );
    let swept = tokio::task::spawn_blocking(move || patient.sweep())
        .await
        .expect("task")
        .expect("sweeps");
    assert_eq!(
        (swept.kept, swept.waiting, swept.removed),
        (3, 3, 0),
        "young uploads may still be committed"
    );

    let eager = Sweeper::new(data.path(), running.index.clone(), Duration::ZERO);
    let swept = tokio::task::spawn_blocking(move || eager.sweep())
        .await
        .expect("task")
        .expect("sweeps");
    assert_eq!((swept.kept, swept.removed), (3, 3));
    for key in keys(&abandoned) {
        assert_eq!(
            running.client.size(&key).await.expect("head"),
            None,
            "{}",
            key.as_str()
        );
    }
    for key in keys(&committed) {
        assert_eq!(
            running.client.size(&key).await.expect("head"),
            Some(3),
            "{}",
            key.as_str()
        );
    }
    let sidecars = std::fs::read_dir(local::object_store::root(data.path()))
        .expect("root")
        .filter(|entry| {
            entry
                .as_ref()
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .starts_with(".bucket-")
        })
        .count();
    assert_eq!(sidecars, 6, "the swept objects' metadata went with them");
    drop(running.store);
}
