//! [`DynamoClient`]: DynamoDB's JSON protocol over HTTPS, signed with SigV4 by
//! `aws-sigv4`. The index needs seven calls; this keeps the Lambda free of the
//! whole AWS SDK (its size and cold start) for the price of one small module.
//!
//! Throttling, 5xx and network errors are tried again, three attempts in all
//! with a short backoff (the SDK's standard policy); a conditional check that
//! fails is not an error here but an answer ([`CallError::ConditionFailed`]).

use std::time::{Duration, SystemTime};

use aws_sigv4::{
    http_request::{SignableBody, SignableRequest, SigningSettings, sign},
    sign::v4,
};
use serde_json::Value;

use crate::store::aws::AwsCredentials;

/// Attempts per call when DynamoDB is busy or unreachable.
const ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(50);

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("the condition did not hold")]
    ConditionFailed,
    /// Busy, down or unreachable, after every attempt.
    #[error("DynamoDB is unavailable: {0}")]
    Unavailable(String),
    /// DynamoDB refused the request itself: a bug, or a table that is not set
    /// up as this code expects.
    #[error("DynamoDB refused {operation}: {kind}: {message}")]
    Refused {
        operation: &'static str,
        kind: String,
        message: String,
    },
}

pub struct DynamoClient {
    endpoint: String,
    credentials: AwsCredentials,
    http: reqwest::Client,
}

impl DynamoClient {
    /// `endpoint`: `https://dynamodb.{region}.amazonaws.com`, or a local one.
    pub fn new(endpoint: &str, credentials: AwsCredentials) -> Result<DynamoClient, CallError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|error| CallError::Unavailable(error.to_string()))?;
        Ok(DynamoClient {
            endpoint: format!("{}/", endpoint.trim_end_matches('/')),
            credentials,
            http,
        })
    }

    /// Calls `operation` (`GetItem`, `Query`, …) with `body`; its JSON answer.
    pub async fn call(&self, operation: &'static str, body: &Value) -> Result<Value, CallError> {
        let body = serde_json::to_vec(body).map_err(|error| CallError::Refused {
            operation,
            kind: "SerializationException".into(),
            message: error.to_string(),
        })?;
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            match self.attempt(operation, &body).await {
                Err(CallError::Unavailable(why)) if attempt < ATTEMPTS => {
                    tracing::warn!(operation, attempt, %why, "DynamoDB call will be retried");
                    tokio::time::sleep(backoff).await;
                    backoff *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn attempt(&self, operation: &'static str, body: &[u8]) -> Result<Value, CallError> {
        let target = format!("DynamoDB_20120810.{operation}");
        let headers = [
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", target.as_str()),
        ];
        let signed = self
            .sign(&headers, body)
            .map_err(|message| CallError::Refused {
                operation,
                kind: "Signing".into(),
                message,
            })?;
        let mut request = self.http.post(&self.endpoint).body(body.to_vec());
        for (name, value) in headers.iter().copied().chain(
            signed
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        ) {
            request = request.header(name, value);
        }
        let response = request
            .send()
            .await
            .map_err(|error| CallError::Unavailable(error.without_url().to_string()))?;
        let status = response.status();
        let answer: Value = response
            .json()
            .await
            .map_err(|error| CallError::Unavailable(error.without_url().to_string()))?;
        if status.is_success() {
            return Ok(answer);
        }
        // `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`
        let kind = answer["__type"]
            .as_str()
            .unwrap_or_default()
            .rsplit('#')
            .next()
            .unwrap_or_default()
            .to_owned();
        let message = answer["message"]
            .as_str()
            .or_else(|| answer["Message"].as_str())
            .unwrap_or_default()
            .to_owned();
        match kind.as_str() {
            "ConditionalCheckFailedException" => Err(CallError::ConditionFailed),
            "ProvisionedThroughputExceededException"
            | "ThrottlingException"
            | "RequestLimitExceeded"
            | "InternalServerError"
            | "ServiceUnavailable" => Err(CallError::Unavailable(format!("{kind}: {message}"))),
            _ if status.is_server_error() => Err(CallError::Unavailable(format!(
                "{status}: {kind} {message}"
            ))),
            _ => Err(CallError::Refused {
                operation,
                kind,
                message,
            }),
        }
    }

    /// The SigV4 headers for a POST of `body` with `headers`.
    fn sign(&self, headers: &[(&str, &str)], body: &[u8]) -> Result<Vec<(String, String)>, String> {
        let identity = self.credentials.signing_credentials().into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.credentials.region)
            .name("dynamodb")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|error| error.to_string())?
            .into();
        let request = SignableRequest::new(
            "POST",
            &self.endpoint,
            headers.iter().copied(),
            SignableBody::Bytes(body),
        )
        .map_err(|error| error.to_string())?;
        let (instructions, _signature) = sign(request, &params)
            .map_err(|error| error.to_string())?
            .into_parts();
        let (signed_headers, _query) = instructions.into_parts();
        Ok(signed_headers
            .into_iter()
            .map(|header| (header.name().to_owned(), header.value().to_owned()))
            .collect())
    }
}
