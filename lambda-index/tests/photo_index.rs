//! The [`PhotoIndex`] conformance suite against DynamoDB (dynalite, a DynamoDB
//! look-alike from npm that keeps DynamoDB's paging quirks: a last page that comes
//! back empty with a `LastEvaluatedKey`) and against the in-memory stand-in the API
//! tests use. SQLite runs the same suite in `local/tests/photo_index.rs`.
//!
//! dynalite is started once per test binary, with a table of its own for each
//! test (`support/dynalite.rs`); without it the DynamoDB tests fail, saying why
//! (never a quiet pass on a weaker stand-in).

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
        Arc::new(fresh_table(dynalite()).await)
    }

    lambda_index::photo_index_conformance!(make);
}
