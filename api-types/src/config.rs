//! `GET /config.json`: everything environment-specific the SPA needs at start.
//! The deploy script writes it from stack outputs; the local stack serves its own.

use serde::{Deserialize, Serialize};

/// The runtime configuration. Nothing environment-specific is compiled into the wasm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuntimeConfig {
    /// Where the API lives: a path on the same origin (`/api`) or an absolute URL.
    pub api_base: String,
    pub auth: AuthConfig,
    pub upload: UploadConfig,
}

/// The OIDC provider: Cognito's Hosted UI in AWS, the built-in provider locally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthConfig {
    pub issuer: String,
    pub authorize_url: String,
    pub token_url: String,
    pub logout_url: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub redirect_path: String,
    /// The provider's keys, for checking id tokens. Default: Cognito's
    /// `<issuer>/.well-known/jwks.json` (see [`AuthConfig::jwks_url`]).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "jwks_url")]
    pub jwks_url_override: Option<String>,
    /// Where sign-out revokes the refresh token (Cognito: `/oauth2/revoke`), if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoke_url: Option<String>,
    /// Cognito's `identity_provider` for the authorize request (`Google`): with
    /// one way in, its Hosted UI goes straight to that provider instead of
    /// showing a page with one button.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_provider: Option<String>,
}

impl AuthConfig {
    pub fn jwks_url(&self) -> String {
        self.jwks_url_override.clone().unwrap_or_else(|| {
            format!(
                "{}/.well-known/jwks.json",
                self.issuer.trim_end_matches('/')
            )
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadConfig {
    /// Originals larger than this are refused before any byte is sent.
    pub max_original_bytes: u64,
    /// How many files upload at once.
    pub concurrency: u32,
}

/// Why a config that parsed as JSON still cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub field: &'static str,
    pub reason: &'static str,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` {}", self.field, self.reason)
    }
}

impl std::error::Error for ConfigProblem {}

/// Originals up to this size upload unless a deployment says otherwise: a
/// long 4K video from a phone, sent in parts (`upload::parts`).
pub const DEFAULT_MAX_ORIGINAL_BYTES: u64 = 50 * 1024 * 1024 * 1024;

/// The largest concurrency we accept: more parallel PUTs only contend for bandwidth.
pub const MAX_UPLOAD_CONCURRENCY: u32 = 16;

impl RuntimeConfig {
    /// Checks what serde cannot: that the values make sense together.
    pub fn validate(&self) -> Result<(), ConfigProblem> {
        let problem = |field, reason| Err(ConfigProblem { field, reason });
        if !is_path_or_http_url(&self.api_base) {
            return problem(
                "api_base",
                "must be a path starting with / or an http(s) URL",
            );
        }
        let jwks_url = self.auth.jwks_url();
        let revoke_url = self
            .auth
            .revoke_url
            .clone()
            .unwrap_or_else(|| jwks_url.clone());
        for (field, url) in [
            ("auth.issuer", &self.auth.issuer),
            ("auth.authorize_url", &self.auth.authorize_url),
            ("auth.token_url", &self.auth.token_url),
            ("auth.logout_url", &self.auth.logout_url),
            ("auth.jwks_url", &jwks_url),
            ("auth.revoke_url", &revoke_url),
        ] {
            if !is_http_url(url) {
                return problem(field, "must be an http(s) URL");
            }
        }
        if self.auth.client_id.trim().is_empty() {
            return problem("auth.client_id", "must not be empty");
        }
        if !self.auth.scopes.iter().any(|scope| scope == "openid") {
            return problem("auth.scopes", "must include openid");
        }
        if !self.auth.redirect_path.starts_with('/') {
            return problem("auth.redirect_path", "must be a path starting with /");
        }
        if self.upload.max_original_bytes == 0 {
            return problem("upload.max_original_bytes", "must be more than zero");
        }
        if !(1..=MAX_UPLOAD_CONCURRENCY).contains(&self.upload.concurrency) {
            return problem("upload.concurrency", "must be between 1 and 16");
        }
        Ok(())
    }
}

fn is_http_url(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    matches!(rest, Some(host) if !host.is_empty() && !host.starts_with('/'))
}

fn is_path_or_http_url(value: &str) -> bool {
    (value.starts_with('/') && !value.starts_with("//")) || is_http_url(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RuntimeConfig {
        serde_json::from_str(
            r#"{ "api_base": "/api",
                 "auth": { "issuer": "http://127.0.0.1:8080", "authorize_url": "http://127.0.0.1:8080/oauth2/authorize",
                           "token_url": "http://127.0.0.1:8080/oauth2/token", "logout_url": "http://127.0.0.1:8080/logout",
                           "client_id": "shoebox-local", "scopes": ["openid","email","profile"],
                           "redirect_path": "/auth/callback" },
                 "upload": { "max_original_bytes": 209715200, "concurrency": 4 } }"#,
        )
        .expect("the DESIGN.md example parses")
    }

    #[test]
    fn the_documented_example_is_valid() {
        assert_eq!(sample().validate(), Ok(()));
    }

    /// Makes one value of a valid config nonsense.
    type Breakage = fn(&mut RuntimeConfig);

    #[test]
    fn each_nonsense_value_names_its_field() {
        let cases: [(&str, Breakage); 10] = [
            ("api_base", |c| c.api_base = "//evil.example".into()),
            ("api_base", |c| c.api_base = "api".into()),
            ("auth.issuer", |c| {
                c.auth.issuer = "javascript:alert(1)".into()
            }),
            ("auth.token_url", |c| c.auth.token_url = "https://".into()),
            ("auth.client_id", |c| c.auth.client_id = " ".into()),
            ("auth.scopes", |c| c.auth.scopes = vec!["email".into()]),
            ("auth.redirect_path", |c| c.auth.redirect_path = "cb".into()),
            ("upload.max_original_bytes", |c| {
                c.upload.max_original_bytes = 0
            }),
            ("upload.concurrency", |c| c.upload.concurrency = 0),
            ("upload.concurrency", |c| c.upload.concurrency = 17),
        ];
        for (field, break_it) in cases {
            let mut config = sample();
            break_it(&mut config);
            let problem = config.validate().expect_err(field);
            assert_eq!(problem.field, field);
        }
    }

    #[test]
    fn an_absolute_api_base_is_accepted() {
        let mut config = sample();
        config.api_base = "https://abc.cloudfront.net/api".into();
        assert_eq!(config.validate(), Ok(()));
    }

    #[test]
    fn the_jwks_is_cognitos_unless_named() {
        let mut config = sample();
        assert_eq!(
            config.auth.jwks_url(),
            "http://127.0.0.1:8080/.well-known/jwks.json"
        );
        config.auth.jwks_url_override = Some("https://keys.example/jwks".into());
        assert_eq!(config.auth.jwks_url(), "https://keys.example/jwks");
    }
}
