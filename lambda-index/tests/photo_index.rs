//! The [`PhotoIndex`] conformance suite against DynamoDB (dynalite, a DynamoDB
//! look-alike from npm that keeps DynamoDB's paging quirks: a last page that comes
//! back empty with a `LastEvaluatedKey`) and against the in-memory stand-in the API
//! tests use. SQLite runs the same suite in `local/tests/photo_index.rs`.
//!
//! dynalite is started once per test binary, on loopback, in memory; each test
//! gets a table of its own. It needs `npm ci` (done by `cargo xtask setup`);
//! without it the DynamoDB tests say so and pass, except under `CI=true`, where
//! they fail.

mod support;

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        Arc, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use lambda_index::store::{
    AwsCredentials, PhotoIndex,
    dynamo::{DynamoConfig, DynamoIndex},
};

mod memory {
    use super::*;

    async fn make() -> Arc<dyn PhotoIndex> {
        Arc::new(support::MemoryIndex::default())
    }

    lambda_index::photo_index_conformance!(make);
}

mod dynamodb {
    use super::*;

    async fn make() -> Arc<dyn PhotoIndex> {
        match dynalite() {
            Some(endpoint) => Arc::new(fresh_table(endpoint).await),
            // Without dynalite (and outside CI) the suite runs on memory, so the
            // test still checks something and says why.
            None => Arc::new(support::MemoryIndex::default()),
        }
    }

    lambda_index::photo_index_conformance!(make);
}

/// dynalite's address, started on first use; `None` (with a message) when it
/// is not installed and this is not CI.
fn dynalite() -> Option<&'static str> {
    static SERVER: OnceLock<Option<(Child, String)>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let root = manifest_dir().join("..");
            if !root.join("node_modules/dynalite").exists() {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "dynalite is missing: run `cargo xtask setup` (npm ci)"
                );
                eprintln!("dynalite is not installed (npm ci): DynamoDB tests ran on memory");
                return None;
            }
            // Tables are ready at once; the server ends when our stdin closes,
            // that is when this test binary exits, however it exits.
            let script = "
                const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0 });
                server.listen(0, '127.0.0.1', () => console.log(server.address().port));
                process.stdin.on('end', () => process.exit(0));
                process.stdin.resume();";
            let mut child = Command::new("node")
                .args(["-e", script])
                .current_dir(&root)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .expect("node starts dynalite");
            let stdout = child.stdout.take().expect("stdout");
            let mut line = String::new();
            BufReader::new(stdout)
                .read_line(&mut line)
                .expect("dynalite prints its port");
            let port: u16 = line.trim().parse().expect("a port number");
            Some((child, format!("http://127.0.0.1:{port}")))
        })
        .as_ref()
        .map(|(_, endpoint)| endpoint.as_str())
}

async fn fresh_table(endpoint: &str) -> DynamoIndex {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let index = DynamoIndex::new(DynamoConfig {
        endpoint: endpoint.to_owned(),
        table: format!("photos-{}", NEXT.fetch_add(1, Ordering::Relaxed)),
        credentials: AwsCredentials {
            region: "us-east-1".into(),
            access_key_id: "AKIDTEST".into(),
            secret_access_key: "test-secret".into(),
            session_token: None,
        },
    })
    .expect("client");
    index.create_table().await.expect("table");
    index
}

/// This crate's folder. Read when the test runs (`cargo test` sets it), not baked
/// in when it was built: clones share one target dir, and a binary built from
/// another clone would name that clone's folder.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
