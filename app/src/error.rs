//! The SPA's errors, each with the words a person sees for it. Raw details (status
//! codes, parser messages) stay available for the console and bug reports.

use api_types::ConfigProblem;

/// Why the runtime config could not be used; the app cannot start without it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    #[error("could not reach the server: {0}")]
    Unreachable(String),
    #[error("the server answered {status} {status_text}")]
    Status { status: u16, status_text: String },
    #[error("the file is not valid JSON for Shoebox: {0}")]
    Malformed(String),
    #[error("the file has a bad value: {0}")]
    Invalid(ConfigProblem),
}

impl ConfigError {
    /// One sentence for the error screen: what happened, from the user's side.
    pub fn user_message(&self) -> &'static str {
        match self {
            ConfigError::Unreachable(_) => {
                "Shoebox could not reach its server. Check your connection and try again."
            }
            ConfigError::Status { status: 404, .. } => {
                "This Shoebox is missing its settings file (config.json). Whoever runs it needs to redeploy it."
            }
            ConfigError::Status { .. } => {
                "Shoebox's server could not hand out its settings right now. Try again in a moment."
            }
            ConfigError::Malformed(_) | ConfigError::Invalid(_) => {
                "This Shoebox's settings file (config.json) is broken. Whoever runs it needs to fix or redeploy it."
            }
        }
    }

    /// Whether trying again could help without anyone changing the deployment.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ConfigError::Unreachable(_) | ConfigError::Status { status: 500.., .. }
        )
    }
}
