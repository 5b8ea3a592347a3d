//! Multipart uploads on the local store, driven as the API and the browser
//! will: the API starts and finishes an upload (`S3Bucket`, signed in
//! headers); each part goes to its own presigned URL. What a user relies on:
//! the file arrives whole and byte for byte, a resumed upload learns which parts
//! are there, a part URL is good for its own part only, nothing already stored
//! is replaced, a cancelled upload leaves nothing, and a stored video can be
//! read from the middle (ranged GET) without fetching it all.

mod support;

use std::path::Path;

use lambda_index::store::{ObjectKey, ObjectStore, Owner, PhotoId, s3::multipart::MIN_PART_BYTES};
use local::sweep::Sweeper;
use support::store::{APP_ORIGIN, start};

const ALICE: &str = "a11ce000-0000-4000-8000-000000000001";
const ID: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn key() -> ObjectKey {
    ObjectKey::original(
        &Owner::new(ALICE).expect("owner"),
        &PhotoId::parse(ID).expect("id"),
    )
}

/// A file of `len` bytes that is different everywhere, so a part out of place
/// or twice shows.
fn file(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 1024) as u8).collect()
}

/// PUTs `body` to a presigned part URL, as the browser does: the status and
/// the part's ETag.
async fn send_part(url: &str, body: &[u8]) -> (u16, Option<String>) {
    let response = reqwest::Client::new()
        .put(url)
        .header("origin", APP_ORIGIN)
        .body(body.to_vec())
        .send()
        .await
        .expect("answer");
    let etag = response
        .headers()
        .get("etag")
        .and_then(|etag| etag.to_str().ok())
        .map(str::to_owned);
    (response.status().as_u16(), etag)
}

#[tokio::test]
async fn a_file_sent_in_parts_arrives_whole_and_can_be_read_from_the_middle() {
    let data = tempfile::tempdir().expect("dir");
    let client = start(data.path()).await.client;
    let key = key();
    let part = MIN_PART_BYTES as usize;
    let whole = file(2 * part + 12_345);
    let chunks: Vec<&[u8]> = whole.chunks(part).collect();
    assert_eq!(chunks.len(), 3);

    let upload = client
        .create_multipart(&key, "video/mp4")
        .await
        .expect("starts");
    // The last part first, then the first: parts may arrive in any order.
    for number in [3u32, 1] {
        let body = chunks[number as usize - 1];
        let target = client
            .presign_part(&key, &upload, number, body.len() as u64)
            .expect("signs");
        assert_eq!(target.method, "PUT");
        let (status, etag) = send_part(&target.url, body).await;
        assert_eq!((status, etag.is_some()), (200, true), "part {number}");
    }
    // A reload: which parts are there already?
    let there = client
        .list_parts(&key, &upload)
        .await
        .expect("lists")
        .expect("the upload is there");
    assert_eq!(
        there
            .iter()
            .map(|p| (p.number, p.bytes))
            .collect::<Vec<_>>(),
        [(1, part as u64), (3, 12_345)],
        "the two parts sent, and no others"
    );
    // Only the missing one is sent.
    let target = client
        .presign_part(&key, &upload, 2, part as u64)
        .expect("signs");
    assert_eq!(send_part(&target.url, chunks[1]).await.0, 200);
    let parts = client
        .list_parts(&key, &upload)
        .await
        .expect("lists")
        .expect("the upload is there");
    assert_eq!(parts.len(), 3);
    assert!(
        client
            .complete_multipart(&key, &upload, &parts)
            .await
            .expect("finishes")
    );
    assert_eq!(
        client.size(&key).await.expect("head"),
        Some(whole.len() as u64)
    );
    assert_eq!(
        client.list_parts(&key, &upload).await.expect("lists"),
        None,
        "a finished upload is gone"
    );

    // Read from the middle, as a video player seeks.
    let url = client.presign_get(&key).expect("signs");
    let middle = part as u64 - 10;
    let response = reqwest::Client::new()
        .get(&url)
        .header("range", format!("bytes={middle}-{}", middle + 99))
        .header("origin", APP_ORIGIN)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 206, "a partial answer");
    assert_eq!(
        response
            .headers()
            .get("content-range")
            .and_then(|v| v.to_str().ok()),
        Some(format!("bytes {middle}-{}/{}", middle + 99, whole.len()).as_str())
    );
    assert!(
        response
            .headers()
            .get("access-control-expose-headers")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|exposed| exposed.to_lowercase().contains("content-range")),
        "the browser may read where the bytes are"
    );
    let bytes = response.bytes().await.expect("body");
    assert_eq!(
        &bytes[..],
        &whole[middle as usize..middle as usize + 100],
        "the bytes across the parts' seam, in order"
    );
}

#[tokio::test]
async fn a_part_url_is_good_for_its_own_part_length_and_upload_only() {
    let data = tempfile::tempdir().expect("dir");
    let client = start(data.path()).await.client;
    let key = key();
    let upload = client
        .create_multipart(&key, "video/mp4")
        .await
        .expect("starts");
    let other = client
        .create_multipart(&key, "video/mp4")
        .await
        .expect("starts");
    let body = file(1000);
    let target = client.presign_part(&key, &upload, 1, 1000).expect("signs");

    let as_part_two = target.url.replace("partNumber=1", "partNumber=2");
    assert_eq!(send_part(&as_part_two, &body).await.0, 403, "another part");
    let into_other = target.url.replace(&upload, &other);
    assert_eq!(send_part(&into_other, &body).await.0, 403, "another upload");
    assert_eq!(
        send_part(&target.url, &body[..999]).await.0,
        403,
        "another length"
    );
    let expired = client
        .presign_part_signed_at(
            &key,
            &upload,
            1,
            1000,
            std::time::SystemTime::now() - std::time::Duration::from_secs(3600),
        )
        .expect("signs");
    assert_eq!(send_part(&expired.url, &body).await.0, 403, "expired");
    assert_eq!(
        client.list_parts(&key, &upload).await.expect("lists"),
        Some(Vec::new()),
        "nothing got in"
    );
    assert!(client.presign_part(&key, &upload, 0, 1).is_err());
    assert!(client.presign_part(&key, &upload, 10_001, 1).is_err());
}

#[tokio::test]
async fn a_stored_file_is_never_replaced_and_a_cancelled_upload_leaves_nothing() {
    let data = tempfile::tempdir().expect("dir");
    let client = start(data.path()).await.client;
    let key = key();
    let first = file(3000);
    let upload = client
        .create_multipart(&key, "video/mp4")
        .await
        .expect("starts");
    let target = client.presign_part(&key, &upload, 1, 3000).expect("signs");
    assert_eq!(send_part(&target.url, &first).await.0, 200);
    let parts = client
        .list_parts(&key, &upload)
        .await
        .expect("lists")
        .expect("there");
    assert!(
        client
            .complete_multipart(&key, &upload, &parts)
            .await
            .expect("finishes")
    );

    // A second upload of the same key (another device, a retry) is refused at
    // the end, and the stored file stays as it was.
    let again = client
        .create_multipart(&key, "video/mp4")
        .await
        .expect("starts");
    let target = client.presign_part(&key, &again, 1, 10).expect("signs");
    assert_eq!(send_part(&target.url, &[9; 10]).await.0, 200);
    let parts = client
        .list_parts(&key, &again)
        .await
        .expect("lists")
        .expect("there");
    assert!(
        !client
            .complete_multipart(&key, &again, &parts)
            .await
            .expect("answers"),
        "an object is there already"
    );
    assert_eq!(client.size(&key).await.expect("head"), Some(3000));

    // Cancelling: the parts go, and the upload with them.
    client.abort_multipart(&key, &again).await.expect("aborts");
    assert_eq!(client.list_parts(&key, &again).await.expect("lists"), None);
    client
        .abort_multipart(&key, &again)
        .await
        .expect("aborting twice is fine");
    let leftovers: Vec<String> = walk(data.path())
        .into_iter()
        .filter(|name| name.contains(&again))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new(), "no part left on disk");
}

fn walk(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            names.extend(walk(&path));
        } else {
            names.push(path.to_string_lossy().into_owned());
        }
    }
    names
}

#[tokio::test]
async fn the_sweep_gives_up_multipart_uploads_left_unfinished() {
    let data = tempfile::tempdir().expect("dir");
    let running = start(data.path()).await;
    let (client, index) = (running.client, running.index);
    let key = key();
    let left = client
        .create_multipart(&key, "video/mp4")
        .await
        .expect("starts");
    let target = client.presign_part(&key, &left, 1, 10).expect("signs");
    assert_eq!(send_part(&target.url, &[1; 10]).await.0, 200);

    let patient = Sweeper::new(
        data.path(),
        index.clone(),
        std::time::Duration::from_secs(3600),
    );
    let swept = tokio::task::spawn_blocking(move || patient.sweep())
        .await
        .expect("task")
        .expect("sweeps");
    assert_eq!(
        swept.aborted_uploads, 0,
        "an upload under way is left alone"
    );
    assert!(
        client
            .list_parts(&key, &left)
            .await
            .expect("lists")
            .is_some()
    );

    let eager = Sweeper::new(data.path(), index, std::time::Duration::ZERO);
    let swept = tokio::task::spawn_blocking(move || eager.sweep())
        .await
        .expect("task")
        .expect("sweeps");
    assert_eq!(swept.aborted_uploads, 1);
    assert_eq!(
        client.list_parts(&key, &left).await.expect("lists"),
        None,
        "the upload is gone"
    );
    let leftovers: Vec<String> = walk(data.path())
        .into_iter()
        .filter(|name| name.contains(&left))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new(), "and all its files");
}

/// What a share link's copy of a video takes (`scrub::copy`): the API reads a
/// range of the original, and makes another object from parts the store
/// copies out of it and parts the API sends, signed in headers.
#[tokio::test]
async fn a_copy_is_made_from_copied_ranges_and_sent_parts() {
    let data = tempfile::tempdir().expect("dir");
    let client = start(data.path()).await.client;
    let original = key();
    let part = MIN_PART_BYTES as usize;
    let whole = file(2 * part + 777);
    let upload = client
        .create_multipart(&original, "video/mp4")
        .await
        .expect("starts");
    let sent = client
        .upload_part(&original, &upload, 1, whole.clone())
        .await
        .expect("sends");
    assert!(
        client
            .complete_multipart(&original, &upload, &[sent])
            .await
            .expect("finishes")
    );
    assert_eq!(
        client.read(&original, 10..20).await.expect("reads"),
        whole[10..20],
        "a range, not the file"
    );
    assert_eq!(
        client
            .read(&original, whole.len() as u64 - 5..whole.len() as u64 + 100)
            .await
            .expect("reads"),
        whole[whole.len() - 5..],
        "fewer at the end"
    );

    let copy = ObjectKey::shareable(
        &Owner::new(ALICE).expect("owner"),
        &PhotoId::parse(ID).expect("id"),
    );
    let upload = client
        .create_multipart(&copy, "video/mp4")
        .await
        .expect("starts");
    let first = client
        .copy_part(&copy, &upload, 1, &original, 0..part as u64)
        .await
        .expect("the store copies");
    let mut last = whole[part..].to_vec();
    last[..4].copy_from_slice(b"free");
    let second = client
        .upload_part(&copy, &upload, 2, last.clone())
        .await
        .expect("sends");
    assert_eq!(
        (first.bytes, second.bytes),
        (part as u64, last.len() as u64)
    );
    assert!(
        client
            .complete_multipart(&copy, &upload, &[first, second])
            .await
            .expect("finishes")
    );
    let made = client
        .read(&copy, 0..whole.len() as u64)
        .await
        .expect("reads");
    assert_eq!(made.len(), whole.len());
    assert_eq!(made[..part], whole[..part], "the copied range");
    assert_eq!(made[part..], last[..], "the sent part");
}
