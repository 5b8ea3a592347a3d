//! Loading `/config.json`, the one place environment-specific values come from.

use api_types::RuntimeConfig;
use gloo_net::http::Request;
use web_sys::RequestCache;

use crate::error::ConfigError;

/// Fetches and checks the runtime config. Bypasses the HTTP cache's freshness rules
/// (`no-cache`), so a redeploy that moves the API is seen on the next load.
pub async fn load(url: &str) -> Result<RuntimeConfig, ConfigError> {
    let response = Request::get(url)
        .cache(RequestCache::NoCache)
        .send()
        .await
        .map_err(|error| ConfigError::Unreachable(error.to_string()))?;
    if !response.ok() {
        return Err(ConfigError::Status {
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    let text = response
        .text()
        .await
        .map_err(|error| ConfigError::Unreachable(error.to_string()))?;
    parse(&text)
}

/// Parses and validates the config's text.
pub fn parse(text: &str) -> Result<RuntimeConfig, ConfigError> {
    let config: RuntimeConfig =
        serde_json::from_str(text).map_err(|error| ConfigError::Malformed(error.to_string()))?;
    config.validate().map_err(ConfigError::Invalid)?;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_in_place_of_json_is_malformed() {
        let error = parse("<!DOCTYPE html><html></html>").expect_err("not JSON");
        assert!(matches!(error, ConfigError::Malformed(_)), "{error:?}");
    }

    #[test]
    fn a_missing_section_is_malformed_and_named() {
        let error = parse(r#"{"api_base":"/api"}"#).expect_err("no auth");
        match error {
            ConfigError::Malformed(message) => assert!(message.contains("auth"), "{message}"),
            other => panic!("expected Malformed, got {other:?}"),
        }
    }
}
