//! The [`AlbumIndex`] conformance suite against DynamoDB (dynalite, with a
//! table of its own for each test: `support/dynalite.rs`). SQLite runs the same
//! suite in `local/tests/albums.rs`. Without dynalite (and outside CI) the
//! checks say so and pass without running; under `CI=true` they fail.
//!
//! [`AlbumIndex`]: lambda_index::store::AlbumIndex

mod support;

use std::sync::Arc;

use lambda_index::store::conformance::albums::Indexes;
use support::dynalite::{dynalite, fresh_table};

async fn make() -> Option<Indexes> {
    let endpoint = dynalite()?;
    Some(Indexes::of(Arc::new(fresh_table(endpoint).await)))
}

lambda_index::album_index_conformance!(make);
