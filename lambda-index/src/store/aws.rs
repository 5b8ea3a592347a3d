//! [`AwsCredentials`]: who signs the API's requests to S3 and DynamoDB (the
//! Lambda's role in AWS; the local stack's own key pair at home); and
//! [`stores_from_env`], the bucket and table a deployment names.

use aws_credential_types::Credentials;

use super::{
    dynamo::{DynamoConfig, DynamoIndex},
    s3::{S3Bucket, S3Config},
};

/// The bucket and the table the environment names (`SHOEBOX_BUCKET_URL`,
/// `SHOEBOX_TABLE`, and `SHOEBOX_DYNAMODB_URL` for an endpoint other than
/// the region's), signed for with [`AwsCredentials::from_env`]: what the
/// Lambda serves from, and what `shoebox-admin` checks and rebuilds.
pub fn stores_from_env(http: reqwest::Client) -> Result<(S3Bucket, DynamoIndex), String> {
    let required = |name: &str| {
        std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
    };
    let credentials = AwsCredentials::from_env()?;
    let objects = S3Bucket::new(S3Config {
        bucket_url: required("SHOEBOX_BUCKET_URL")?
            .trim_end_matches('/')
            .to_owned(),
        credentials: credentials.clone(),
        http: http.clone(),
    })
    .map_err(|error| error.to_string())?;
    let index = DynamoIndex::new(DynamoConfig {
        endpoint: std::env::var("SHOEBOX_DYNAMODB_URL")
            .unwrap_or_else(|_| format!("https://dynamodb.{}.amazonaws.com", credentials.region)),
        table: required("SHOEBOX_TABLE")?,
        credentials,
        http,
    })
    .map_err(|error| error.to_string())?;
    Ok((objects, index))
}

/// A region and the keys to sign for it. `Debug` never shows the secret or
/// the session token.
#[derive(Clone)]
pub struct AwsCredentials {
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Set when the credentials are temporary (a Lambda's role).
    pub session_token: Option<String>,
}

impl AwsCredentials {
    /// The keys from the environment Lambda sets from the function's role.
    pub fn from_env() -> Result<AwsCredentials, String> {
        let required = |name: &str| {
            std::env::var(name).map_err(|_| format!("the environment variable {name} is not set"))
        };
        Ok(AwsCredentials {
            region: required("AWS_REGION")?,
            access_key_id: required("AWS_ACCESS_KEY_ID")?,
            secret_access_key: required("AWS_SECRET_ACCESS_KEY")?,
            session_token: std::env::var("AWS_SESSION_TOKEN").ok(),
        })
    }

    /// As `aws-sigv4` takes them (`.into()` an identity).
    pub(crate) fn signing_credentials(&self) -> Credentials {
        Credentials::new(
            &self.access_key_id,
            &self.secret_access_key,
            self.session_token.clone(),
            None,
            "shoebox",
        )
    }
}

impl std::fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}
