//! The local object store served over real TCP on a free port, for the tests
//! that meet it as a browser and the API do (`store.rs`, `multipart.rs`).

use std::path::Path;

use lambda_index::store::s3::S3Bucket;
use local::{Storage, object_store::Store, photo_index::SqliteIndex};

/// The SPA's origin the store lets in (CORS).
pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";

pub struct Running {
    pub origin: String,
    /// The API's client of the store.
    pub client: S3Bucket,
    pub index: SqliteIndex,
    pub store: Store,
    pub server: tokio::task::JoinHandle<()>,
}

/// The store of `data`, served on a free port.
pub async fn start(data: &Path) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let origin = format!("http://{}", listener.local_addr().expect("address"));
    let (_, store, index) = Storage::open(data, &origin).expect("storage");
    let router = store.router(APP_ORIGIN).expect("router");
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serves");
    });
    Running {
        client: store.client(&origin).expect("client"),
        origin,
        index,
        store,
        server,
    }
}
