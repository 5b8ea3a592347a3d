//! AWS Lambda entry point: the API router under `lambda_http`. Everything is built
//! here once per cold start, never per request, and nothing slow happens here: the
//! issuer's keys are fetched when the first token arrives.
//!
//! Environment (set by the CloudFormation stack):
//! - `SHOEBOX_ISSUER`: the Cognito user pool's issuer URL;
//! - `SHOEBOX_CLIENT_ID`: the SPA's app client id;
//! - `SHOEBOX_JWKS_URL` (optional): defaults to `<issuer>/.well-known/jwks.json`;
//! - `SHOEBOX_BUCKET_URL`: the media bucket, `https://{bucket}.s3.{region}.amazonaws.com`;
//! - `SHOEBOX_CURSOR_KEY`: 64 hex digits, the secret page cursors are sealed with;
//! - `SHOEBOX_SITE_URL`: where the SPA is served (`https://photos.example.com`),
//!   which share links point at;
//! - `SHOEBOX_TABLE`: the DynamoDB table (`store/dynamo.rs` describes it);
//! - `SHOEBOX_ORIGIN_SECRET`: 64 hex digits, the header CloudFront adds to every
//!   request it forwards; requests without it are refused (`origin.rs`). The
//!   API does not start without it: no check would be a silent way around
//!   CloudFront;
//! - `SHOEBOX_DYNAMODB_URL` (optional): defaults to `https://dynamodb.{region}.amazonaws.com`;
//! - `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`:
//!   set by Lambda itself from the function's role;
//! - `SHOEBOX_TASK=purge` (the stack's second function, run every hour by a
//!   schedule): instead of the API, the trash's purge (`purge.rs`), which
//!   needs only the stores (`SHOEBOX_BUCKET_URL`, `SHOEBOX_TABLE`).

use std::sync::Arc;

use lambda_http::{Error, run, tracing};
use lambda_index::{
    ApiError, ApiState, Limits,
    auth::{HttpJwks, IdentityConfig, TokenVerifier},
    cursor::CursorKey,
};

#[tokio::main]
async fn main() -> Result<(), Error> {
    tracing::init_default_subscriber();
    if std::env::var("SHOEBOX_TASK").as_deref() == Ok("purge") {
        return purge_on_schedule().await;
    }
    let required = |name: &str| {
        std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
    };
    let issuer = required("SHOEBOX_ISSUER")?;
    let client_id = required("SHOEBOX_CLIENT_ID")?;
    let jwks_url = std::env::var("SHOEBOX_JWKS_URL")
        .unwrap_or_else(|_| format!("{}/.well-known/jwks.json", issuer.trim_end_matches('/')));
    // One client for every outbound call: building one reads the root certificates.
    let http = lambda_index::http::client()?;
    let verifier = TokenVerifier::new(
        IdentityConfig { issuer, client_id },
        Arc::new(HttpJwks::new(jwks_url, http.clone())),
    );
    let (objects, index) = lambda_index::store::aws::stores_from_env(http)?;
    let index = Arc::new(index);
    let state = ApiState {
        verifier: Arc::new(verifier),
        objects: Arc::new(objects),
        index: index.clone(),
        albums: index,
        limits: Limits {
            deep_archive_after_days: deep_archive_after_days()?,
            ..Limits::default()
        },
        site_url: required("SHOEBOX_SITE_URL")?
            .trim_end_matches('/')
            .to_owned(),
        cursor_key: CursorKey::from_hex(&required("SHOEBOX_CURSOR_KEY")?)
            .ok_or("SHOEBOX_CURSOR_KEY must be 64 hex digits")?,
    };
    let origin_secret =
        lambda_index::origin::OriginSecret::parse(&required("SHOEBOX_ORIGIN_SECRET")?)?;
    let app = lambda_index::router(state).fallback(|| async { ApiError::NotFound });
    run(lambda_index::origin::only_through_cloudfront(
        app,
        &origin_secret,
    ))
    .await
}

/// How long one scheduled purge works before it leaves the rest to the next
/// hour: well inside the function's 15 minutes.
const PURGE_BUDGET: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// The purge function: each scheduled event (its content does not matter)
/// deletes for good what has been in the trash for 30 days.
async fn purge_on_schedule() -> Result<(), Error> {
    let http = lambda_index::http::client()?;
    let (objects, index) = lambda_index::store::aws::stores_from_env(http)?;
    let (objects, index) = (Arc::new(objects), Arc::new(index));
    lambda_http::lambda_runtime::run(lambda_http::service_fn(
        move |_: lambda_http::LambdaEvent<serde_json::Value>| {
            let (objects, index) = (objects.clone(), index.clone());
            async move {
                let now = time::OffsetDateTime::now_utc();
                let purged =
                    lambda_index::purge::run(objects.as_ref(), index.as_ref(), now, PURGE_BUDGET)
                        .await?;
                tracing::info!(
                    deleted = purged.deleted,
                    skipped = purged.skipped,
                    more = purged.more,
                    "purged the trash"
                );
                Ok::<_, Error>(serde_json::json!({
                    "deleted": purged.deleted,
                    "more": purged.more
                }))
            }
        },
    ))
    .await
}

/// The days after which photos' originals move to Glacier Deep Archive, when
/// the stack keeps them there (`SHOEBOX_ORIGINALS_CLASS=DEEP_ARCHIVE`). A
/// stack from before the setting has neither variable: nothing is archived.
fn deep_archive_after_days() -> Result<Option<u32>, String> {
    if std::env::var("SHOEBOX_ORIGINALS_CLASS").as_deref() != Ok("DEEP_ARCHIVE") {
        return Ok(None);
    }
    let days = std::env::var("SHOEBOX_ORIGINALS_AFTER_DAYS").unwrap_or_default();
    days.parse()
        .map(Some)
        .map_err(|_| format!("SHOEBOX_ORIGINALS_AFTER_DAYS must be a number of days, not {days:?}"))
}
