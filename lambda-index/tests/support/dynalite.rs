//! dynalite, a DynamoDB look-alike from npm that keeps DynamoDB's paging quirks
//! (a last page that comes back empty with a `LastEvaluatedKey`), for the tests
//! of [`DynamoIndex`]: started once per test binary, on loopback, in memory,
//! with a table of its own for each test. It needs `npm ci` (done by `cargo
//! xtask setup`); without it [`dynalite`] says so and answers `None`, except
//! under `CI=true`, where it fails.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use lambda_index::store::{
    AwsCredentials,
    dynamo::{DynamoConfig, DynamoIndex},
};

/// dynalite's address, started on first use; `None` (with a message) when it
/// is not installed and this is not CI.
pub fn dynalite() -> Option<&'static str> {
    static SERVER: OnceLock<Option<(Child, String)>> = OnceLock::new();
    SERVER
        .get_or_init(|| {
            let root = manifest_dir().join("..");
            if !root.join("node_modules/dynalite").exists() {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "dynalite is missing: run `cargo xtask setup` (npm ci)"
                );
                eprintln!(
                    "dynalite is not installed (npm ci): the DynamoDB tests did not run on it"
                );
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

/// An index over a new, empty table at `endpoint`.
pub async fn fresh_table(endpoint: &str) -> DynamoIndex {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let index = DynamoIndex::new(DynamoConfig {
        endpoint: endpoint.to_owned(),
        table: format!("photos-{}", NEXT.fetch_add(1, Ordering::Relaxed)),
        http: reqwest::Client::new(),
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
