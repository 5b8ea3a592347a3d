//! dynalite, a DynamoDB look-alike from npm that keeps DynamoDB's paging quirks
//! (a last page that comes back empty with a `LastEvaluatedKey`), for the tests
//! of [`DynamoIndex`] (this crate's and the local stack's): started once per
//! test binary, on loopback, in memory, with a table of its own for each
//! test. It needs `npm ci` (done by `cargo xtask setup`, which `./x test`
//! runs); without it the tests that need it fail, saying so, rather than pass
//! without having run.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::{
        OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use crate::store::{
    AwsCredentials,
    dynamo::{DynamoConfig, DynamoIndex},
};

/// dynalite's address, started on first use.
pub fn dynalite() -> &'static str {
    static SERVER: OnceLock<(Child, String)> = OnceLock::new();
    let (_, endpoint) = SERVER.get_or_init(|| {
        let root = manifest_dir().join("..");
        assert!(
            root.join("node_modules/dynalite").exists(),
            "dynalite is missing, so the DynamoDB tests cannot run: \
                 `cargo xtask setup` installs it (npm ci)"
        );
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
        (child, format!("http://127.0.0.1:{port}"))
    });
    endpoint
}

/// An index over a new, empty table at `endpoint`.
pub async fn fresh_table(endpoint: &str) -> DynamoIndex {
    fresh_named_table(endpoint).await.0
}

/// [`fresh_table`], and the table's name.
pub async fn fresh_named_table(endpoint: &str) -> (DynamoIndex, String) {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let table = format!("photos-{}", NEXT.fetch_add(1, Ordering::Relaxed));
    let index = DynamoIndex::new(DynamoConfig {
        endpoint: endpoint.to_owned(),
        table: table.clone(),
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
    (index, table)
}

/// The folder of the crate under test. Read when the test runs (`cargo test` sets it), not baked
/// in when it was built: clones share one target dir, and a binary built from
/// another clone would name that clone's folder.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
