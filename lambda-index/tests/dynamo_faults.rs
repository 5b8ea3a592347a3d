//! The DynamoDB client against a stand-in that misbehaves on purpose (a small
//! server on loopback answering from a script): throttling is tried again,
//! validation errors are not, unprocessed keys are asked for again, and a
//! DynamoDB that hangs gives up within the call's budget.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{Router, extract::State, http::StatusCode, routing::post};
use lambda_index::store::{
    AwsCredentials,
    dynamo::{CallError, DynamoClient, client::CALL_BUDGET},
};
use serde_json::{Value, json};

/// What the stand-in answers, in order; the last answer repeats.
#[derive(Clone)]
enum Answer {
    Json(u16, Value),
    Hang,
}

#[derive(Clone, Default)]
struct Script {
    answers: Arc<Mutex<VecDeque<Answer>>>,
    seen: Arc<Mutex<Vec<Value>>>,
}

async fn answer(State(script): State<Script>, body: String) -> (StatusCode, String) {
    script
        .seen
        .lock()
        .expect("lock")
        .push(serde_json::from_str(&body).unwrap_or(Value::Null));
    let next = {
        let mut answers = script.answers.lock().expect("lock");
        if answers.len() > 1 {
            answers.pop_front()
        } else {
            answers.front().cloned()
        }
    };
    match next.expect("a scripted answer") {
        Answer::Json(status, body) => (
            StatusCode::from_u16(status).expect("status"),
            body.to_string(),
        ),
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            (StatusCode::OK, "{}".into())
        }
    }
}

/// A client of a stand-in that answers `answers`, and what it was sent.
async fn client(answers: Vec<Answer>) -> (DynamoClient, Arc<Mutex<Vec<Value>>>) {
    let script = Script::default();
    script.answers.lock().expect("lock").extend(answers);
    let seen = script.seen.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let app = Router::new().route("/", post(answer)).with_state(script);
    tokio::spawn(async move { axum::serve(listener, app).await });
    let credentials = AwsCredentials {
        region: "us-east-1".into(),
        access_key_id: "AKIDTEST".into(),
        secret_access_key: "test-secret".into(),
        session_token: None,
    };
    let client = DynamoClient::new(
        &format!("http://{address}"),
        credentials,
        reqwest::Client::new(),
    );
    (client, seen)
}

fn error(kind: &str) -> Answer {
    Answer::Json(
        400,
        json!({"__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"), "message": "scripted"}),
    )
}

#[tokio::test]
async fn throttling_is_tried_again_and_then_answers() {
    let (client, seen) = client(vec![
        error("ProvisionedThroughputExceededException"),
        error("ThrottlingException"),
        Answer::Json(200, json!({"Item": {"pk": {"S": "U#a"}}})),
    ])
    .await;
    let answer = client
        .call("GetItem", &json!({"TableName": "t"}))
        .await
        .expect("answered on the third try");
    assert_eq!(answer["Item"]["pk"]["S"], "U#a");
    assert_eq!(seen.lock().expect("lock").len(), 3);
}

#[tokio::test]
async fn throttling_that_does_not_end_is_unavailable_after_three_tries() {
    let (client, seen) = client(vec![error("ThrottlingException")]).await;
    let result = client.call("Query", &json!({"TableName": "t"})).await;
    assert!(
        matches!(result, Err(CallError::Unavailable(_))),
        "{result:?}"
    );
    assert_eq!(seen.lock().expect("lock").len(), 3);
}

#[tokio::test]
async fn a_validation_error_is_a_refusal_sent_once() {
    let (client, seen) = client(vec![error("ValidationException")]).await;
    let result = client.call("Query", &json!({"TableName": "t"})).await;
    assert!(
        matches!(result, Err(CallError::Refused { ref kind, .. }) if kind == "ValidationException"),
        "{result:?}"
    );
    assert_eq!(seen.lock().expect("lock").len(), 1, "a bug is not retried");
}

#[tokio::test]
async fn unprocessed_keys_are_asked_for_again_until_all_are_read() {
    let item = |id: &str| json!({"pk": {"S": "U#a"}, "sk": {"S": format!("P#{id}")}});
    let key = |id: &str| json!({"pk": {"S": "U#a"}, "sk": {"S": format!("P#{id}")}});
    let (client, seen) = client(vec![
        Answer::Json(
            200,
            json!({"Responses": {"t": [item("1")]}, "UnprocessedKeys": {"t": {"Keys": [key("2")]}}}),
        ),
        Answer::Json(
            200,
            json!({"Responses": {"t": [item("2")]}, "UnprocessedKeys": {}}),
        ),
    ])
    .await;
    let items = client
        .batch_get("t", &[key("1"), key("2")], None, true)
        .await
        .expect("all read");
    assert_eq!(items, [item("1"), item("2")]);
    let seen = seen.lock().expect("lock");
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1]["RequestItems"]["t"]["Keys"],
        json!([key("2")]),
        "the second round asks only for what was left"
    );
}

/// Before this change, three attempts of 10 s each could outlast API
/// Gateway's 29 s, and the person got a gateway timeout instead of an answer.
#[tokio::test]
async fn a_dynamodb_that_hangs_is_given_up_on_within_the_calls_budget() {
    let (client, _) = client(vec![Answer::Hang]).await;
    let started = tokio::time::Instant::now();
    let result = client.call("GetItem", &json!({"TableName": "t"})).await;
    assert!(
        matches!(result, Err(CallError::Unavailable(_))),
        "{result:?}"
    );
    assert!(
        started.elapsed() <= CALL_BUDGET + Duration::from_secs(1),
        "gave up after {:?}",
        started.elapsed()
    );
}
