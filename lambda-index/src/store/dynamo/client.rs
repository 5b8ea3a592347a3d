//! [`DynamoClient`]: DynamoDB's JSON protocol over HTTPS, signed with SigV4 by
//! `aws-sigv4`. The index needs a handful of calls; this keeps the Lambda free of
//! the whole AWS SDK (its size and cold start) for the price of one small module.
//!
//! Throttling, 5xx and network errors are tried again, three attempts in all
//! with a short backoff (the SDK's standard policy); a conditional check that
//! fails is not an error here but an answer ([`CallError::ConditionFailed`]).
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
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
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
        let mut request = self
            .http
            .post(&self.endpoint)
            .timeout(Duration::from_secs(10))
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
        tokio::time::sleep(self.next).await;
        self.next = (self.next * 2).min(Duration::from_secs(1));
        Ok(())
    }
}
