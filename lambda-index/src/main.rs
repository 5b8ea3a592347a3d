//! AWS Lambda entry point: the API router under `lambda_http`. Everything is built
//! here once per cold start, never per request, and nothing slow happens here: the
//! issuer's keys are fetched when the first token arrives.
//!
//! Environment (set by the CloudFormation stack):
//! - `SHOEBOX_ISSUER`: the Cognito user pool's issuer URL;
//! - `SHOEBOX_CLIENT_ID`: the SPA's app client id;
//! - `SHOEBOX_JWKS_URL` (optional): defaults to `<issuer>/.well-known/jwks.json`.

use std::sync::Arc;

use lambda_http::{Error, run, tracing};
use lambda_index::{
    ApiError, ApiState,
    auth::{HttpJwks, IdentityConfig, TokenVerifier},
};

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing::init_default_subscriber();
    let required = |name: &str| {
        std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
    };
    let issuer = required("SHOEBOX_ISSUER")?;
    let client_id = required("SHOEBOX_CLIENT_ID")?;
    let jwks_url = std::env::var("SHOEBOX_JWKS_URL")
        .unwrap_or_else(|_| format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/')));
    let verifier = TokenVerifier::new(
        IdentityConfig { issuer, client_id },
        Arc::new(HttpJwks::new(jwks_url)?),
    );
    let state = ApiState {
        verifier: Arc::new(verifier),
    };
    let app = lambda_index::router(state).fallback(|| async { ApiError::NotFound });
    run(app).await
}
