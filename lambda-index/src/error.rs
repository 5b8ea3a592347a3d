//! [`ApiError`]: every way an API request can fail, mapped once to an HTTP status and
//! the JSON body of DESIGN.md (`{"error":{"code","message"}}`).

use api_types::ErrorBody;
use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Unknown routes, and anything the caller may not see: another user's photo is
    /// "not found", never "forbidden", so ids cannot be probed.
    #[error("not found")]
    NotFound,
    /// A failure of ours; the details go to the log, not to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code the SPA maps to its own words.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::Internal(_) => "internal",
        }
    }

    fn public_message(&self) -> String {
        match self {
            ApiError::NotFound => "Nothing here.".to_owned(),
            ApiError::Internal(_) => "Something went wrong on our side. Try again.".to_owned(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let body = ErrorBody::new(self.code(), self.public_message());
        (self.status(), Json(body)).into_response()
    }
}
