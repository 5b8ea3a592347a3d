//! The HTTP client for every outbound call of the API: the issuer's keys, S3 and
//! DynamoDB. Building one reads the system's root certificates, which was most of
//! the Lambda's init when each of the three built its own (`cargo xtask bench
//! --only lambda`): the Lambda's `main` builds one and hands each a clone, which
//! also shares its connection pool. Callers set their timeouts per request.

/// A new client. Build it once per process (or per runtime) and clone it.
pub fn client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder().build()
}
