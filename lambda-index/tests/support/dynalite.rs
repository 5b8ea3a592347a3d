//! dynalite for this crate's tests: the launcher and fresh tables are the
//! conformance module's (`store/conformance/dynalite.rs`, shared with the local
//! stack's tests); a table holding items as older code wrote them is here.

#[allow(unused_imports)] // Not every test binary meets DynamoDB.
pub use lambda_index::store::conformance::dynalite::{dynalite, fresh_named_table, fresh_table};
use lambda_index::store::dynamo::DynamoIndex;

/// An index over a new table holding exactly `items`, put as they are (in
/// DynamoDB's JSON), as an older version of the code wrote them.
#[allow(dead_code)] // Not every test binary reads old items.
pub async fn table_holding(endpoint: &str, items: &[serde_json::Value]) -> DynamoIndex {
    let (index, table) = fresh_named_table(endpoint).await;
    let http = reqwest::Client::new();
    for item in items {
        // dynalite checks that a request is signed, not the signature.
        let answer = http
            .post(endpoint)
            .header("X-Amz-Target", "DynamoDB_20120810.PutItem")
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("X-Amz-Date", "20261206T000000Z")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDTEST/20261206/us-east-1/dynamodb/aws4_request, \
                 SignedHeaders=host, Signature=00",
            )
            .json(&serde_json::json!({ "TableName": table, "Item": item }))
            .send()
            .await
            .expect("dynalite answers");
        assert!(
            answer.status().is_success(),
            "PutItem: {}",
            answer.text().await.unwrap_or_default()
        );
    }
    index
}
