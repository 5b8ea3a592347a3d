//! [`DynamoClient`]: DynamoDB's JSON protocol over HTTPS, signed with SigV4 by
//! `aws-sigv4`. The index needs a handful of calls; this keeps the Lambda free of
//! the whole AWS SDK (its size and cold start) for the price of one small module.
//!
//! Every answer is sorted once, by [`classify`] (a pure function, tested on
//! DynamoDB's own error bodies): a conditional check that failed is an answer
//! ([`CallError::ConditionFailed`]); throttling, 5xx and network errors are
//! tried again, three attempts in all, with exponential backoff and full
//! jitter (the SDK's standard policy), all inside [`CALL_BUDGET`], so an API
//! request's few calls end well within API Gateway's 29 s; anything else is a
//! refusal (a bug, or a table not set up as expected: a 500 and a log line).
//! The batch calls ([`DynamoClient::batch_get`], [`DynamoClient::batch_write`])
//! also ask again for what DynamoDB left unprocessed, backing off, until all is
//! done or a bounded number of rounds has passed.

use std::time::{Duration, SystemTime};

use aws_sigv4::{
    http_request::{SignableBody, SignableRequest, SigningSettings, sign},
    sign::v4,
};
use serde_json::{Value, json};

use crate::store::aws::AwsCredentials;

/// Attempts per call when DynamoDB is busy or unreachable.
const ATTEMPTS: u32 = 3;
/// The backoff before the second attempt is at most this, then doubles.
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
/// One call's attempts and waits all end within this (one attempt waits at
/// most [`ATTEMPT_TIMEOUT`]); DynamoDB answers in milliseconds when well.
pub const CALL_BUDGET: Duration = Duration::from_secs(6);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
/// DynamoDB's most keys in one `BatchGetItem`, and requests in one `BatchWriteItem`.
const BATCH_GET_KEYS: usize = 100;
const BATCH_WRITE_REQUESTS: usize = 25;
/// Rounds of asking again for unprocessed keys or writes, the waits doubling
/// from 25 ms up to 1 s (about 6 s in all), before the batch counts as
/// unavailable.
const BATCH_ROUNDS: u32 = 10;

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
    pub fn new(endpoint: &str, credentials: AwsCredentials, http: reqwest::Client) -> DynamoClient {
        DynamoClient {
            endpoint: format!("{}/", endpoint.trim_end_matches('/')),
            credentials,
            http,
        }
    }

    /// Calls `operation` (`GetItem`, `Query`, …) with `body`; its JSON answer.
    pub async fn call(&self, operation: &'static str, body: &Value) -> Result<Value, CallError> {
        let body = serde_json::to_vec(body).map_err(|error| CallError::Refused {
            operation,
            kind: "SerializationException".into(),
            message: error.to_string(),
        })?;
        let deadline = tokio::time::Instant::now() + CALL_BUDGET;
        let mut attempt = 1;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let result = self
                .attempt(operation, &body, left.min(ATTEMPT_TIMEOUT))
                .await;
            match result {
                Err(CallError::Unavailable(why)) if attempt < ATTEMPTS => {
                    let wait = full_jitter(FIRST_BACKOFF * 2u32.pow(attempt - 1));
                    let now = tokio::time::Instant::now();
                    if now + wait + Duration::from_millis(100) >= deadline {
                        return Err(CallError::Unavailable(format!(
                            "{why} (no time left to try again)"
                        )));
                    }
                    tracing::warn!(operation, attempt, %why, "DynamoDB call will be retried");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// The items of `table` under `keys` (at most one each; missing ones are
    /// left out), in no particular order. `projection` names the attributes to
    /// read (all when `None`). A key named twice is refused by DynamoDB: the
    /// caller asks about each once.
    pub async fn batch_get(
        &self,
        table: &str,
        keys: &[Value],
        projection: Option<&str>,
        consistent: bool,
    ) -> Result<Vec<Value>, CallError> {
        let mut items = Vec::new();
        for chunk in keys.chunks(BATCH_GET_KEYS) {
            let mut request = json!({"Keys": chunk, "ConsistentRead": consistent});
            if let Some(projection) = projection {
                request["ProjectionExpression"] = json!(projection);
            }
            let mut pending = Some(request);
            let mut backoff = Backoff::new("BatchGetItem");
            while let Some(request) = pending.take() {
                let answer = self
                    .call("BatchGetItem", &json!({"RequestItems": {table: request}}))
                    .await?;
                if let Some(found) = answer["Responses"][table].as_array() {
                    items.extend(found.iter().cloned());
                }
                // Keys DynamoDB had no capacity for this time: ask again, later.
                let unprocessed = &answer["UnprocessedKeys"][table];
                if unprocessed["Keys"]
                    .as_array()
                    .is_some_and(|keys| !keys.is_empty())
                {
                    backoff.wait().await?;
                    pending = Some(unprocessed.clone());
                }
            }
        }
        Ok(items)
    }

    /// Runs `requests` (each `{"PutRequest": …}` or `{"DeleteRequest": …}`) on
    /// `table`, 25 to a call, until DynamoDB has done every one. Unconditional,
    /// as `BatchWriteItem` is: for writes that are safe to repeat.
    pub async fn batch_write(&self, table: &str, requests: &[Value]) -> Result<(), CallError> {
        for chunk in requests.chunks(BATCH_WRITE_REQUESTS) {
            let mut pending = chunk.to_vec();
            let mut backoff = Backoff::new("BatchWriteItem");
            while !pending.is_empty() {
                let answer = self
                    .call("BatchWriteItem", &json!({"RequestItems": {table: pending}}))
                    .await?;
                pending = answer["UnprocessedItems"][table]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                if !pending.is_empty() {
                    backoff.wait().await?;
                }
            }
        }
        Ok(())
    }

    async fn attempt(
        &self,
        operation: &'static str,
        body: &[u8],
        timeout: Duration,
    ) -> Result<Value, CallError> {
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
        let mut request = self
            .http
            .post(&self.endpoint)
            .timeout(timeout)
            .body(body.to_vec());
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
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|error| CallError::Unavailable(error.without_url().to_string()))?;
        classify(operation, status, &bytes)
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

/// What an answer of DynamoDB means: its JSON on success, else the class of
/// its error. `status` and `body` as they came; `operation` for the message.
pub fn classify(operation: &'static str, status: u16, body: &[u8]) -> Result<Value, CallError> {
    let answer: Option<Value> = serde_json::from_slice(body).ok();
    if (200..300).contains(&status) {
        return answer.ok_or_else(|| {
            CallError::Unavailable(format!("{operation} answered {status} with no JSON"))
        });
    }
    let answer = answer.unwrap_or(Value::Null);
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
        | "LimitExceededException"
        | "InternalServerError"
        | "ServiceUnavailable"
        | "TransactionConflictException" => {
            Err(CallError::Unavailable(format!("{kind}: {message}")))
        }
        _ if status >= 500 => Err(CallError::Unavailable(format!(
            "{status}: {kind} {message}"
        ))),
        _ => Err(CallError::Refused {
            operation,
            kind,
            message,
        }),
    }
}

/// A wait of up to `cap`, uniformly at random ("full jitter"), so clients
/// throttled together do not come back together. Without randomness, `cap`.
fn full_jitter(cap: Duration) -> Duration {
    let mut bytes = [0u8; 4];
    match getrandom::getrandom(&mut bytes) {
        Ok(()) => cap.mul_f64(f64::from(u32::from_le_bytes(bytes)) / f64::from(u32::MAX)),
        Err(_) => cap,
    }
}

/// The waits between rounds of a batch call's unprocessed part.
struct Backoff {
    operation: &'static str,
    next: Duration,
    rounds: u32,
}

impl Backoff {
    fn new(operation: &'static str) -> Backoff {
        Backoff {
            operation,
            next: Duration::from_millis(25),
            rounds: 0,
        }
    }

    async fn wait(&mut self) -> Result<(), CallError> {
        self.rounds += 1;
        if self.rounds > BATCH_ROUNDS {
            return Err(CallError::Unavailable(format!(
                "{} left work unprocessed after {BATCH_ROUNDS} rounds",
                self.operation
            )));
        }
        tokio::time::sleep(full_jitter(self.next)).await;
        self.next = (self.next * 2).min(Duration::from_secs(1));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: &str) -> Vec<u8> {
        json!({"__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"), "message": "m"})
            .to_string()
            .into_bytes()
    }

    #[test]
    fn each_answer_falls_in_one_class() {
        assert_eq!(
            classify("GetItem", 200, br#"{"Item":{}}"#).expect("ok"),
            json!({"Item": {}})
        );
        assert!(matches!(
            classify("PutItem", 400, &error("ConditionalCheckFailedException")),
            Err(CallError::ConditionFailed)
        ));
        for busy in [
            "ProvisionedThroughputExceededException",
            "ThrottlingException",
            "RequestLimitExceeded",
            "InternalServerError",
        ] {
            assert!(
                matches!(
                    classify("Query", 400, &error(busy)),
                    Err(CallError::Unavailable(_))
                ),
                "{busy}"
            );
        }
        assert!(
            matches!(
                classify("Query", 503, b"<html>"),
                Err(CallError::Unavailable(_))
            ),
            "a 5xx without JSON is worth another try"
        );
        assert!(
            matches!(
                classify("Query", 200, b"not json"),
                Err(CallError::Unavailable(_))
            ),
            "a cut answer too"
        );
        match classify("Query", 400, &error("ValidationException")) {
            Err(CallError::Refused {
                kind, operation, ..
            }) => {
                assert_eq!((kind.as_str(), operation), ("ValidationException", "Query"));
            }
            other => panic!("a validation error is a bug, not a retry: {other:?}"),
        }
        assert!(matches!(
            classify("Query", 400, &error("ResourceNotFoundException")),
            Err(CallError::Refused { .. })
        ));
    }

    #[test]
    fn jitter_stays_under_its_cap() {
        let cap = Duration::from_millis(400);
        let waits: Vec<Duration> = (0..50).map(|_| full_jitter(cap)).collect();
        assert!(waits.iter().all(|wait| *wait <= cap));
        assert!(
            waits.iter().any(|wait| *wait < cap / 2) && waits.iter().any(|wait| *wait > cap / 2),
            "spread over the range: {waits:?}"
        );
    }
}
