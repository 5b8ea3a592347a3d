//! `S3Bucket` against a stand-in HTTP server that answers exactly as S3 does
//! for an original in Glacier Deep Archive: a GET refused with 403
//! `InvalidObjectState`, a HEAD whose `x-amz-storage-class` and `x-amz-restore`
//! say where a restore stands, and `POST ?restore` answering 202, 409 or
//! 200. (The in-memory double of the API tests is checked against the same
//! answers in `deep_archive.rs`; this is the client that meets real S3.)

use std::sync::{Arc, Mutex};

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, Method, StatusCode},
    response::{IntoResponse, Response},
};
use lambda_index::store::{
    Availability, AwsCredentials, ObjectKey, Owner, PhotoId, RestoreAsked, RestoreTier, StoreError,
    s3::{S3Bucket, S3Config},
};

/// Where the stand-in's one archived object stands.
#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Archived,
    Restoring,
    Restored,
}

#[derive(Clone)]
struct Stand {
    stage: Arc<Mutex<Stage>>,
    /// The restore requests' bodies.
    asked: Arc<Mutex<Vec<String>>>,
}

async fn answer(State(stand): State<Stand>, request: Request) -> Response {
    let stage = *stand.stage.lock().expect("lock");
    let restore_asked = request.uri().query() == Some("restore");
    match (request.method().clone(), restore_asked) {
        (Method::POST, true) => {
            let body = axum::body::to_bytes(request.into_body(), 1 << 16)
                .await
                .unwrap_or_default();
            stand
                .asked
                .lock()
                .expect("lock")
                .push(String::from_utf8_lossy(&body).into_owned());
            match stage {
                Stage::Archived => {
                    *stand.stage.lock().expect("lock") = Stage::Restoring;
                    StatusCode::ACCEPTED.into_response()
                }
                Stage::Restoring => (
                    StatusCode::CONFLICT,
                    "<Error><Code>RestoreAlreadyInProgress</Code></Error>",
                )
                    .into_response(),
                Stage::Restored => StatusCode::OK.into_response(),
            }
        }
        (Method::HEAD, _) => {
            let mut headers = HeaderMap::new();
            headers.insert("content-length", HeaderValue::from_static("4200000"));
            headers.insert(
                "x-amz-storage-class",
                HeaderValue::from_static("DEEP_ARCHIVE"),
            );
            match stage {
                Stage::Archived => {}
                Stage::Restoring => {
                    headers.insert(
                        "x-amz-restore",
                        HeaderValue::from_static("ongoing-request=\"true\""),
                    );
                }
                Stage::Restored => {
                    headers.insert(
                        "x-amz-restore",
                        HeaderValue::from_static(
                            "ongoing-request=\"false\", expiry-date=\"Mon, 14 Dec 2026 00:00:00 GMT\"",
                        ),
                    );
                }
            }
            (StatusCode::OK, headers).into_response()
        }
        (Method::GET, _) if stage != Stage::Restored => (
            StatusCode::FORBIDDEN,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidObjectState</Code>\
             <Message>The operation is not valid for the object's storage class</Message>\
             <StorageClass>DEEP_ARCHIVE</StorageClass></Error>",
        )
            .into_response(),
        (Method::GET, _) => "the original's bytes".into_response(),
        _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
}

#[tokio::test]
async fn an_archived_original_as_s3_answers_for_it() {
    let stand = Stand {
        stage: Arc::new(Mutex::new(Stage::Archived)),
        asked: Arc::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let address = listener.local_addr().expect("address");
    let app = Router::new().fallback(answer).with_state(stand.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let bucket = S3Bucket::new(S3Config {
        bucket_url: format!("http://{address}/media"),
        credentials: AwsCredentials {
            region: "eu-west-1".into(),
            access_key_id: "AKIDTEST".into(),
            secret_access_key: "secret".into(),
            session_token: None,
        },
        http: reqwest::Client::new(),
    })
    .expect("a bucket");
    let owner = Owner::new("alice").expect("owner");
    let key = ObjectKey::original(&owner, &PhotoId::parse(&"a".repeat(64)).expect("id"));

    assert_eq!(
        bucket.availability(&key).await.expect("a HEAD"),
        Some(Availability::Archived)
    );
    match bucket.read(&key, 0..100).await {
        Err(StoreError::Archived(what)) => assert_eq!(what, key.as_str()),
        other => panic!("a GET of an archived object is Archived, not {other:?}"),
    }
    assert_eq!(
        bucket
            .restore(&key, RestoreTier::Bulk)
            .await
            .expect("asked"),
        RestoreAsked::Started
    );
    let asked = stand.asked.lock().expect("lock").clone();
    assert!(
        asked[0].contains("<Tier>Bulk</Tier>") && asked[0].contains("<Days>7</Days>"),
        "{asked:?}"
    );
    assert_eq!(
        bucket.availability(&key).await.expect("a HEAD"),
        Some(Availability::Restoring)
    );
    assert_eq!(
        bucket
            .restore(&key, RestoreTier::Standard)
            .await
            .expect("asked again"),
        RestoreAsked::AlreadyRestoring,
        "S3's 409 is an answer, not a failure"
    );

    *stand.stage.lock().expect("lock") = Stage::Restored;
    let restored = bucket
        .availability(&key)
        .await
        .expect("a HEAD")
        .expect("there");
    assert!(restored.readable(), "{restored:?}");
    assert_eq!(
        bucket.read(&key, 0..100).await.expect("readable"),
        b"the original's bytes"
    );
    assert_eq!(
        bucket
            .restore(&key, RestoreTier::Bulk)
            .await
            .expect("asked"),
        RestoreAsked::AlreadyRestored
    );
}
