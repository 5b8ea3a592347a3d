//! `GET /config.json` for the local stack: the SPA talks to this same origin for the
//! API and (from the sign-in issue on) for the built-in identity provider, which
//! serves Cognito's paths.

use api_types::{AuthConfig, RuntimeConfig, UploadConfig};
use axum::{
    Json, Router,
    http::{HeaderValue, header},
    routing::get,
};

/// The OAuth client id the built-in identity provider registers for the SPA.
pub const LOCAL_CLIENT_ID: &str = "shoebox-local";

/// 200 MiB: the largest original a phone or camera file is expected to be.
pub const DEFAULT_MAX_ORIGINAL_BYTES: u64 = 200 * 1024 * 1024;

pub fn local(origin: &str) -> RuntimeConfig {
    RuntimeConfig {
        api_base: lambda_index::API_PREFIX.to_owned(),
        auth: AuthConfig {
            issuer: origin.to_owned(),
            authorize_url: format!("{origin}/oauth2/authorize"),
            token_url: format!("{origin}/oauth2/token"),
            logout_url: format!("{origin}/logout"),
            client_id: LOCAL_CLIENT_ID.to_owned(),
            scopes: ["openid", "email", "profile"].map(str::to_owned).to_vec(),
            redirect_path: "/auth/callback".to_owned(),
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
        assert_eq!(local("http://127.0.0.1:8080").validate(), Ok(()));
    }
}
