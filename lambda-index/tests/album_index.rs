//! The [`AlbumIndex`] conformance suite against DynamoDB (dynalite, with a
//! table of its own for each test: `support/dynalite.rs`) and against the
//! in-memory stand-in the API tests use (`support/albums.rs`), so what those
//! tests build on behaves as the real stores do. SQLite runs the same suite in
//! `local/tests/albums.rs`. Without dynalite the DynamoDB checks fail, saying
//! why.
//!
//! [`AlbumIndex`]: lambda_index::store::AlbumIndex

mod support;

use std::sync::Arc;

use lambda_index::store::conformance::albums::Indexes;
use support::dynalite::{dynalite, fresh_table};

mod dynamodb {
    use super::*;

    async fn make() -> Option<Indexes> {
        Some(Indexes::of(Arc::new(fresh_table(dynalite()).await)))
    }

    lambda_index::album_index_conformance!(make);
    lambda_index::library_state_conformance!(make);
}

mod memory {
    use super::*;

    async fn make() -> Option<Indexes> {
        Some(Indexes::of(Arc::new(support::MemoryIndex::default())))
    }

    lambda_index::album_index_conformance!(make);
    lambda_index::library_state_conformance!(make);
}
