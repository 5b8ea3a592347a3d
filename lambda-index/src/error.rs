//! [`ApiError`]: every way an API request can fail, mapped once to an HTTP status and
//! the JSON body of DESIGN.md (`{"error":{"code","message"}}`).

use api_types::ErrorBody;
use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

use crate::auth::AuthError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Unknown routes, and anything the caller may not see: another user's photo is
    /// "not found", never "forbidden", so ids cannot be probed.
    #[error("not found")]
    NotFound,
    /// No token, or one that failed a check. Which check is logged, never answered.
    #[error("unauthorized: {0}")]
    Unauthorized(AuthError),
    /// The identity provider's keys cannot be fetched, so no token can be checked.
    #[error("sign-in service unavailable: {0}")]
    AuthUnavailable(String),
    /// A failure of ours; the details go to the log, not to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::AuthUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code the SPA maps to its own words.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::AuthUnavailable(_) => "auth_unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn public_message(&self) -> String {
        match self {
            ApiError::NotFound => "Nothing here.".to_owned(),
            ApiError::Unauthorized(_) => "Sign in to continue.".to_owned(),
            ApiError::AuthUnavailable(_) => {
                "Sign-in cannot be checked right now. Try again in a moment.".to_owned()
            }
            ApiError::Internal(_) => "Something went wrong on our side. Try again.".to_owned(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(detail) => tracing::error!(%detail, "request failed"),
            ApiError::AuthUnavailable(detail) => tracing::error!(%detail, "cannot verify tokens"),
            // The reason only: never the token itself.
            ApiError::Unauthorized(reason) => tracing::info!(%reason, "token refused"),
            ApiError::NotFound => {}
        }
        let body = ErrorBody::new(self.code(), self.public_message());
        let mut response = (self.status(), Json(body)).into_response();
        if matches!(self, ApiError::Unauthorized(_)) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
        }
        response
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::KeysUnavailable(detail) => ApiError::AuthUnavailable(detail),
            other => ApiError::Unauthorized(other),
        }
    }
}
