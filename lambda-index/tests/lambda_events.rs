//! The API as AWS Lambda hands it requests: real event payloads (an HTTP API
//! behind CloudFront, which is how the stack calls it, and a function URL)
//! through `lambda_http`'s own conversion, then the router. What must survive the
//! trip: the method and path, the query, the bearer token, and bodies that API
//! Gateway chose to base64-encode.

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use base64::Engine as _;
use serde_json::{Value, json};

mod support;
use support::api::{ALICE, ID, api, file};

const VIA_CLOUDFRONT: &str = include_str!("fixtures/lambda/http-api-via-cloudfront.json");
const FUNCTION_URL: &str = include_str!("fixtures/lambda/function-url.json");

/// `fixture` with this request's line, token and body put in, as `lambda_http`
/// turns it into an HTTP request.
fn event(
    fixture: &str,
    method: &str,
    path_and_query: &str,
    user: Option<&str>,
    body: Option<&[u8]>,
) -> Request<Body> {
    event_with(fixture, method, path_and_query, user, body, &[])
}

fn event_with(
    fixture: &str,
    method: &str,
    path_and_query: &str,
    user: Option<&str>,
    body: Option<&[u8]>,
    headers: &[(&str, &str)],
) -> Request<Body> {
    let mut event: Value = serde_json::from_str(fixture).expect("fixture");
    for (name, value) in headers {
        event["headers"][*name] = json!(value);
    }
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    event["rawPath"] = json!(path);
    event["rawQueryString"] = json!(query);
    event["requestContext"]["http"]["method"] = json!(method);
    event["requestContext"]["http"]["path"] = json!(path);
    if let Some(user) = user {
        event["headers"]["authorization"] = json!(format!("Bearer {}", support::token_for(user)));
    }
    if let Some(body) = body {
        // API Gateway base64-encodes bodies it does not take for text.
        event["body"] = json!(base64::engine::general_purpose::STANDARD.encode(body));
        event["isBase64Encoded"] = json!(true);
        event["headers"]["content-type"] = json!("application/json");
        event["headers"]["content-length"] = json!(body.len().to_string());
    }
    let request = lambda_http::request::from_str(&event.to_string()).expect("a v2 event");
    let (parts, body) = request.into_parts();
    Request::from_parts(parts, Body::from(body.to_vec()))
}

#[tokio::test]
async fn a_signed_in_request_through_cloudfront_and_the_http_api_reaches_its_route() {
    let api = api();
    for fixture in [VIA_CLOUDFRONT, FUNCTION_URL] {
        let (status, body) = api
            .send(event(fixture, "GET", "/api/me", Some(ALICE), None))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["id"], ALICE, "the bearer token arrived intact");

        let (status, body) = api.send(event(fixture, "GET", "/api/me", None, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    }
}

#[tokio::test]
async fn a_base64_encoded_body_is_decoded_before_the_route_reads_it() {
    let api = api();
    let body = json!({ "files": [file(ID)] }).to_string();
    let (status, answer) = api
        .send(event(
            VIA_CLOUDFRONT,
            "POST",
            "/api/uploads",
            Some(ALICE),
            Some(body.as_bytes()),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["files"][0]["status"], "upload");
    assert!(
        answer["files"][0]["targets"]["original"]["url"]
            .as_str()
            .expect("url")
            .contains(&format!("u/{ALICE}/o/{ID}"))
    );
}

#[tokio::test]
async fn the_query_string_reaches_the_route() {
    let api = api();
    let (status, body) = api
        .send(event(
            VIA_CLOUDFRONT,
            "GET",
            "/api/photos?cursor=abc&month=2024-05",
            Some(ALICE),
            None,
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["error"]["message"], "Ask for a cursor or a month, not both.",
        "both parameters were seen"
    );
}

#[tokio::test]
async fn a_share_link_and_an_unknown_path_answer_the_apis_json_404() {
    let api = api();
    for path in ["/api/public/bm90LWEtcmVhbC10b2tlbg", "/api/no-such-thing"] {
        let (status, body) = api
            .send(event(VIA_CLOUDFRONT, "GET", path, None, None))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"]["code"], "not_found", "{path}: {body}");
    }
}

#[tokio::test]
async fn with_an_origin_secret_only_requests_through_cloudfront_are_answered() {
    use lambda_index::origin::{ORIGIN_HEADER, OriginSecret, only_through_cloudfront};
    const SECRET: &str = "5ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2e75ec2";
    let mut api = api();
    let secret = OriginSecret::parse(SECRET).expect("64 hex digits");
    api.router = only_through_cloudfront(api.router, &secret);
    let me = |headers: &[(&str, &str)]| {
        api.send(event_with(
            VIA_CLOUDFRONT,
            "GET",
            "/api/me",
            Some(ALICE),
            None,
            headers,
        ))
    };
    let (status, body) = me(&[(ORIGIN_HEADER, SECRET)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Straight to API Gateway's own endpoint, even with a valid token; or with
    // a guessed secret.
    let guessed = SECRET.replace("ec2", "ec3");
    for headers in [
        &[][..],
        &[(ORIGIN_HEADER, "")][..],
        &[(ORIGIN_HEADER, guessed.as_str())][..],
    ] {
        let (status, body) = me(headers).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        assert_eq!(body["error"]["code"], "not_found");
    }
}
