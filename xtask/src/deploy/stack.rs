//! What the deploy tells the stack (its parameters, the secrets made on the
//! first deploy) and what it reads back from it (`/config.json` from the
//! outputs).

use std::{collections::BTreeMap, fs, io::Read};

use anyhow::{Context, bail};
use api_types::{AuthConfig, RuntimeConfig, UploadConfig};

use super::{FIRST_DEPLOY, Options, SECRET_ENV};

/// What the deploy found of the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stack {
    New,
    /// `has_origin_secret` is false for a stack made before the API required one.
    Existing {
        has_origin_secret: bool,
    },
}

/// The stack's parameters this deploy sets. The rest keep their values.
pub(super) fn parameters(
    options: &Options,
    stack: Stack,
    code_bucket: &str,
    code_key: &str,
) -> anyhow::Result<Vec<(&'static str, String)>> {
    let mut parameters = vec![
        ("ApiCodeBucket", code_bucket.to_owned()),
        ("ApiCodeKey", code_key.to_owned()),
    ];
    let secret = options
        .google_client_secret
        .clone()
        .or_else(|| std::env::var(SECRET_ENV).ok())
        .filter(|secret| !secret.is_empty());
    for (name, value) in [
        ("GoogleClientId", options.google_client_id.clone()),
        ("GoogleClientSecret", secret),
        ("AuthDomainPrefix", options.auth_domain.clone()),
        ("AllowedEmails", options.allowed_emails.clone()),
        ("DomainName", options.domain.clone()),
        ("CertificateArn", options.certificate_arn.clone()),
        ("OriginalsStorageClass", options.originals_class.clone()),
        (
            "OriginalsTransitionDays",
            options.originals_after_days.map(|days| days.to_string()),
        ),
        ("EnableWaf", options.waf.map(|waf| waf.to_string())),
    ] {
        if let Some(value) = value {
            parameters.push((name, value));
        }
    }
    if stack == Stack::New {
        let missing: Vec<&str> = FIRST_DEPLOY
            .iter()
            .filter(|(name, _)| !parameters.iter().any(|(given, _)| given == name))
            .map(|(_, option)| *option)
            .collect();
        if !missing.is_empty() {
            bail!(
                "a new stack needs {} (docs/deploy.md says where each comes from)",
                missing.join(", ")
            );
        }
        parameters.push(("CursorKey", random_hex(32)?));
    }
    if matches!(
        stack,
        Stack::New
            | Stack::Existing {
                has_origin_secret: false
            }
    ) {
        parameters.push(("OriginSecret", random_hex(32)?));
    }
    Ok(parameters)
}

/// `/config.json` for the SPA, from the stack's outputs.
pub(super) fn runtime_config(outputs: &BTreeMap<String, String>) -> anyhow::Result<RuntimeConfig> {
    let output = |name: &str| {
        outputs
            .get(name)
            .map(|value| value.trim_end_matches('/').to_owned())
            .with_context(|| format!("the stack has no output {name}"))
    };
    let sign_in = output("AuthDomainUrl")?;
    let config = RuntimeConfig {
        api_base: "/api".to_owned(),
        auth: AuthConfig {
            issuer: output("Issuer")?,
            authorize_url: format!("{sign_in}/oauth2/authorize"),
            token_url: format!("{sign_in}/oauth2/token"),
            logout_url: format!("{sign_in}/logout"),
            client_id: output("UserPoolClientId")?,
            scopes: ["openid", "email", "profile"].map(str::to_owned).to_vec(),
            redirect_path: "/auth/callback".to_owned(),
            jwks_url_override: None,
            revoke_url: Some(format!("{sign_in}/oauth2/revoke")),
            // The stack's only provider: sign-in goes straight to Google.
            identity_provider: Some("Google".to_owned()),
        },
        upload: UploadConfig {
            max_original_bytes: api_types::config::DEFAULT_MAX_ORIGINAL_BYTES,
            concurrency: 4,
        },
    };
    config
        .validate()
        .map_err(|problem| anyhow::anyhow!("the stack's outputs make a bad config: {problem}"))?;
    Ok(config)
}

pub(super) fn random_hex(bytes: usize) -> anyhow::Result<String> {
    let mut buffer = vec![0u8; bytes];
    fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut buffer))
        .context("reading /dev/urandom")?;
    Ok(hex::encode(buffer))
}
