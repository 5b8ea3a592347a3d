//! The recovery tools as an operator runs them on this machine: a data folder
//! whose index is gone, but whose store holds the photos, their records and
//! the albums' changes, is rebuilt by `shoebox-local rebuild-index`; `verify`
//! then finds the two agree, and finds an original whose bytes changed on
//! disk. And the store lists itself a page at a time, over S3.

use std::{path::Path, process::Command};

use lambda_index::recovery::{self, Library, Task, verify};
use lambda_index::store::conformance::dynalite;
use lambda_index::store::{
    AlbumId, AlbumIndex, ObjectKey, ObjectStore, Owner, PhotoId, PhotoIndex, PhotoRecord,
    ShareRecord, ShareToken, View,
    album_log::{self, AlbumEvent},
    conformance::{fresh_owner, record},
    record_object,
    s3::S3Bucket,
};
use local::photo_index::SqliteIndex;
use sha2::{Digest, Sha256};
use time::macros::datetime;

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_shoebox-local");

/// Runs `shoebox-local --data DATA ARGS`: its exit code and what it printed.
fn shoebox(data: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(BIN)
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

/// What commits and album routes leave in the store, and nothing in any
/// index: three photos (original, previews, record) and an album of two of
/// them with a link. The photos, and the link.
async fn a_library_in_the_store(client: &S3Bucket, me: &Owner) -> (Vec<PhotoRecord>, ShareRecord) {
    let me = me.clone();

    // Three photos as a commit leaves them: original, previews, record.
    let mut photos: Vec<PhotoRecord> = Vec::new();
    for n in 1..=3u8 {
        let bytes = vec![n; 3_000 + usize::from(n)];
        let mut photo = record(&me, &format!("p{n}"), datetime!(2024-06-01 12:00 +02:00));
        photo.id = PhotoId::parse(&hex::encode(Sha256::digest(&bytes))).expect("id");
        photo.details.bytes = bytes.len() as u64;
        client
            .put(&ObjectKey::original(&me, &photo.id), bytes, "image/jpeg")
            .await
            .expect("original");
        for (variant, preview) in [
            (lambda_index::store::Variant::Thumb, &photo.thumb),
            (lambda_index::store::Variant::Web, &photo.web),
        ] {
            let preview = preview.as_ref().expect("a preview");
            let key =
                ObjectKey::preview(&me, &photo.id, variant, &preview.content_type).expect("key");
            client
                .put(&key, vec![0; 100], &preview.content_type)
                .await
                .expect("preview");
        }
        client
            .put(
                &ObjectKey::photo_record(&me, &photo.id),
                record_object::encode(&photo).expect("record"),
                record_object::CONTENT_TYPE,
            )
            .await
            .expect("record");
        photos.push(photo);
    }
    // An album of two of them, with a link.
    let album = AlbumId::random().expect("id");
    let token = ShareToken::random().expect("token");
    let at = datetime!(2026-12-07 10:00 UTC);
    let share = ShareRecord {
        token: token.clone(),
        owner: me.clone(),
        album: album.clone(),
        created_at: at,
        expires_at: None,
        allow_download: true,
        show_location: false,
    };
    for (at, change) in [
        (
            at,
            AlbumEvent::Created {
                title: "Alps".into(),
            },
        ),
        (
            at,
            AlbumEvent::added(&[photos[0].id.clone(), photos[2].id.clone()]),
        ),
        (at, AlbumEvent::shared(&share).expect("shared")),
    ] {
        let (key, body) = album_log::entry(&me, &album, at, change).expect("entry");
        client
            .put(&key, body, album_log::CONTENT_TYPE)
            .await
            .expect("change");
    }
    (photos, share)
}

#[tokio::test]
async fn a_lost_index_is_rebuilt_from_the_store_and_then_checks_out() {
    let data = tempfile::tempdir().expect("dir");
    let me = fresh_owner("me");
    let store = support::store::start(data.path()).await;
    let (mut photos, share) = a_library_in_the_store(&store.client, &me).await;
    let token = share.token.clone();
    store.server.abort();
    drop(store);
    // The index is lost.
    for name in ["index.sqlite3", "index.sqlite3-wal", "index.sqlite3-shm"] {
        let _ = std::fs::remove_file(data.path().join(name));
    }

    let (code, said) = shoebox(data.path(), &["rebuild-index"]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("Put back 3 photos (0 were there already), 1 albums")
            && said.contains("and 1 share links"),
        "{said}"
    );

    let index = SqliteIndex::open(data.path()).expect("index");
    let mut page = index
        .page(&me, View::Timeline, None, 10)
        .await
        .expect("page");
    page.sort_by(|a, b| a.id.cmp(&b.id));
    photos.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(page, photos, "every photo as it was committed");
    let albums = index.albums(&me).await.expect("albums");
    assert_eq!(albums.len(), 1);
    assert_eq!((albums[0].title.as_str(), albums[0].count), ("Alps", 2));
    assert_eq!(index.share(&token).await.expect("share"), Some(share));

    let (code, said) = shoebox(data.path(), &["verify"]);
    assert_eq!(code, 0, "{said}");
    assert!(
        said.contains("Checked 3 photos and 1 albums of 1 people"),
        "{said}"
    );
    assert!(said.contains("The index and the bucket agree"), "{said}");

    // A disk that flipped bits in an original: same size, other bytes.
    let changed = &photos[1];
    let file = data
        .path()
        .join("store/media")
        .join(ObjectKey::original(&me, &changed.id).as_str());
    std::fs::write(&file, vec![0xff; changed.details.bytes as usize]).expect("written");
    let (code, said) = shoebox(data.path(), &["verify"]);
    assert_eq!(code, 1, "{said}");
    assert!(
        said.contains(&format!(
            "photo {} of {}: its original's bytes have changed",
            changed.id,
            me.as_str()
        )),
        "{said}"
    );
    // A quick check reads sizes only, and does not see it.
    let (code, said) = shoebox(data.path(), &["verify", "--quick"]);
    assert_eq!(code, 0, "{said}");
}

/// The AWS path (`shoebox-admin`): the same tools over the S3 protocol (the
/// local store) and a new DynamoDB table (dynalite).
#[tokio::test]
async fn a_new_dynamodb_table_is_rebuilt_from_an_s3_bucket() {
    let data = tempfile::tempdir().expect("dir");
    let me = fresh_owner("me");
    let store = support::store::start(data.path()).await;
    let (photos, share) = a_library_in_the_store(&store.client, &me).await;
    let (table, _) = dynalite::fresh_named_table(dynalite::dynalite()).await;
    let library = Library {
        objects: &store.client,
        index: &table,
        albums: &table,
    };
    let outcome = recovery::run(library, Task::Rebuild)
        .await
        .expect("rebuilt");
    assert!(!outcome.problems_left, "{}", outcome.report);
    assert_eq!(
        table
            .page(&me, View::Timeline, None, 10)
            .await
            .expect("page")
            .len(),
        photos.len()
    );
    assert_eq!(table.share(&share.token).await.expect("share"), Some(share));
    let options = verify::Options {
        repair: false,
        hash: true,
    };
    let outcome = recovery::run(library, Task::Verify(options))
        .await
        .expect("checked");
    assert!(!outcome.problems_left, "{}", outcome.report);
    assert!(
        outcome.report.contains("Checked 3 photos and 1 albums"),
        "{}",
        outcome.report
    );
}

#[test]
fn a_folder_without_shoebox_data_is_refused_not_rebuilt_empty() {
    let empty = tempfile::tempdir().expect("dir");
    let (code, said) = shoebox(&empty.path().join("nothing-here"), &["rebuild-index"]);
    assert_eq!(code, 1);
    assert!(said.starts_with("error: no Shoebox data at"), "{said}");
    assert!(
        !empty.path().join("nothing-here").exists(),
        "nothing made up"
    );
}

#[tokio::test]
async fn the_store_lists_itself_a_page_at_a_time() {
    let data = tempfile::tempdir().expect("dir");
    let store = support::store::start(data.path()).await;
    let me = fresh_owner("me");
    // One more than a page (S3's 1,000), and one object outside the prefix.
    let keys: Vec<ObjectKey> = (0..1001)
        .map(|n| {
            ObjectKey::photo_record(
                &me,
                &lambda_index::store::conformance::id_for(&n.to_string()),
            )
        })
        .collect();
    for chunk in keys.chunks(50) {
        futures::future::join_all(
            chunk
                .iter()
                .map(|key| store.client.put(key, b"{}".to_vec(), "application/json")),
        )
        .await
        .into_iter()
        .collect::<Result<Vec<()>, _>>()
        .expect("written");
    }
    let other = fresh_owner("other");
    store
        .client
        .put(
            &ObjectKey::photo_record(&other, &keys_id()),
            b"{}".to_vec(),
            "application/json",
        )
        .await
        .expect("written");

    let prefix = format!("u/{}/", me.as_str());
    let first = store.client.list(&prefix, None).await.expect("a page");
    assert_eq!(first.objects.len(), 1000);
    assert!(first.more);
    let last = first.objects.last().expect("a key").key.clone();
    let rest = store
        .client
        .list(&prefix, Some(&last))
        .await
        .expect("a page");
    assert_eq!(rest.objects.len(), 1);
    assert!(!rest.more);
    let mut listed: Vec<String> = first
        .objects
        .iter()
        .chain(&rest.objects)
        .map(|object| object.key.clone())
        .collect();
    let mut expected: Vec<String> = keys.iter().map(|key| key.as_str().to_owned()).collect();
    expected.sort();
    assert_eq!(
        listed, expected,
        "every key once, in order, none of another's"
    );
    listed.dedup();
    assert_eq!(listed.len(), 1001);
    assert!(
        first
            .objects
            .iter()
            .all(|object| object.bytes == 2 && !object.archived)
    );
}

fn keys_id() -> PhotoId {
    lambda_index::store::conformance::id_for("someone else's")
}
