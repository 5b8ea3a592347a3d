//! The [`PhotoIndex`] conformance suite against DynamoDB (dynalite, a DynamoDB
//! look-alike from npm that keeps DynamoDB's paging quirks: a last page that comes
//! back empty with a `LastEvaluatedKey`) and against the in-memory stand-in the API
//! tests use. SQLite runs the same suite in `local/tests/photo_index.rs`.
//!
//! dynalite is started once per test binary, with a table of its own for each
//! test (`support/dynalite.rs`); without it the DynamoDB tests run on memory
//! and say so, except under `CI=true`, where they fail.

mod support;

use std::sync::Arc;

use lambda_index::store::PhotoIndex;
use support::dynalite::{dynalite, fresh_table};

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
