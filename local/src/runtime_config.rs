//! `GET /config.json` for the local stack: the SPA talks to this same origin for the
//! API, and for sign-in either to the built-in identity provider on this origin or
//! to an external one; both serve Cognito's paths.

use api_types::{AuthConfig, RuntimeConfig, UploadConfig};
use axum::{
    Json, Router,
    http::{HeaderValue, header},
    routing::get,
};

/// The OAuth client id the built-in identity provider registers for the SPA.
pub const LOCAL_CLIENT_ID: &str = "shoebox-local";

pub use api_types::config::DEFAULT_MAX_ORIGINAL_BYTES;

/// The SPA's config with the built-in provider: everything on this origin.
pub fn built_in(origin: &str) -> RuntimeConfig {
    with_issuer(origin, LOCAL_CLIENT_ID)
}

/// The SPA's config with an external provider that serves Cognito's paths.
pub fn external(issuer: &str, client_id: &str, jwks_url: &str) -> RuntimeConfig {
    let mut config = with_issuer(issuer.trim_end_matches('/'), client_id);
    config.auth.jwks_url_override = Some(jwks_url.to_owned());
    config
}

fn with_issuer(issuer: &str, client_id: &str) -> RuntimeConfig {
    RuntimeConfig {
        api_base: lambda_index::API_PREFIX.to_owned(),
        auth: AuthConfig {
            issuer: issuer.to_owned(),
            authorize_url: format!("{issuer}/oauth2/authorize"),
            token_url: format!("{issuer}/oauth2/token"),
            logout_url: format!("{issuer}/logout"),
            client_id: client_id.to_owned(),
            scopes: ["openid", "email", "profile"].map(str::to_owned).to_vec(),
            redirect_path: "/auth/callback".to_owned(),
            jwks_url_override: None,
            revoke_url: Some(format!("{issuer}/oauth2/revoke")),
            identity_provider: None,
        },
        upload: UploadConfig {
            max_original_bytes: DEFAULT_MAX_ORIGINAL_BYTES,
            concurrency: 4,
        },
    }
}

pub(crate) fn router(config: RuntimeConfig) -> Router {
    Router::new().route(
        "/config.json",
        get(move || {
            let config = config.clone();
            // Revalidated on every load: a redeploy may point the SPA elsewhere.
            async move {
                (
                    [(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))],
                    Json(config),
                )
            }
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_config_passes_the_spas_own_checks() {
        assert_eq!(built_in("http://127.0.0.1:8080").validate(), Ok(()));
        assert_eq!(
            external("https://idp.example/", "abc", "https://idp.example/jwks").validate(),
            Ok(())
        );
    }
}
