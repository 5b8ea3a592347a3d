//! AWS Lambda entry point: the API router under `lambda_http`. Everything slow or
//! fallible is built here once per cold start, never per request.

use lambda_http::{Error, run, tracing};

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing::init_default_subscriber();
    let app = lambda_index::router().fallback(|| async { lambda_index::ApiError::NotFound });
    run(app).await
}
