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
    /// The request itself is wrong; the message says what, in the caller's terms.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A commit came before all of the photo's files were in the store (or with
    /// other sizes than promised). Upload them, then commit again.
    #[error("upload incomplete: {0}")]
    UploadIncomplete(String),
    /// The caller has done too much of something in too short a time (the
    /// message says what); the same request works again after `retry_after`
    /// seconds.
    #[error("too many requests: {message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// A share link's visitor asked to play a video that cannot be shown
    /// without where it was taken (the message says why, in plain words).
    #[error("unshareable: {0}")]
    Unshareable(String),
    /// The original is in Glacier Deep Archive: restore it first
    /// (`POST /photos/{id}/restore`), then ask again.
    #[error("archived: {0}")]
    Archived(String),
    /// The object store or the index is down or busy: worth retrying.
    #[error("storage unavailable: {0}")]
    StorageUnavailable(String),
    /// A failure of ours; the details go to the log, not to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::AuthUnavailable(_) | ApiError::StorageUnavailable(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UploadIncomplete(_) | ApiError::Archived(_) => StatusCode::CONFLICT,
            ApiError::Unshareable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code the SPA maps to its own words.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound => "not_found",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::AuthUnavailable(_) => "auth_unavailable",
            ApiError::BadRequest(_) => "invalid_request",
            ApiError::UploadIncomplete(_) => "upload_incomplete",
            ApiError::Unshareable(_) => "unshareable",
            ApiError::Archived(_) => "archived",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::StorageUnavailable(_) => "storage_unavailable",
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
            // About the caller's own request: safe and useful to say.
            ApiError::BadRequest(detail)
            | ApiError::UploadIncomplete(detail)
            | ApiError::Unshareable(detail) => detail.clone(),
            ApiError::TooManyRequests { message, .. } => message.clone(),
            ApiError::Archived(_) => {
                "This original is in deep archive: restore it first, then try again.".to_owned()
            }
            ApiError::StorageUnavailable(_) => {
                "Photo storage is not answering right now. Try again in a moment.".to_owned()
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
            ApiError::StorageUnavailable(detail) => tracing::warn!(%detail, "storage unavailable"),
            ApiError::BadRequest(detail)
            | ApiError::UploadIncomplete(detail)
            | ApiError::Unshareable(detail) => {
                tracing::info!(%detail, "request refused")
            }
            ApiError::TooManyRequests { message, .. } => {
                tracing::warn!(%message, "request slowed down")
            }
            ApiError::Archived(detail) => tracing::info!(%detail, "original archived"),
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
        if let ApiError::TooManyRequests { retry_after, .. } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        // Nothing was done, and the keys may be back in a moment: the SPA
        // asks again after this long instead of showing an error.
        if matches!(self, ApiError::AuthUnavailable(_)) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
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

impl From<crate::store::StoreError> for ApiError {
    fn from(error: crate::store::StoreError) -> Self {
        match error {
            crate::store::StoreError::Unavailable(detail) => ApiError::StorageUnavailable(detail),
            crate::store::StoreError::Archived(detail) => ApiError::Archived(detail),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<crate::purge::PurgeError> for ApiError {
    fn from(error: crate::purge::PurgeError) -> Self {
        match error {
            crate::purge::PurgeError::Index(error) => error.into(),
            crate::purge::PurgeError::Store(error) => error.into(),
        }
    }
}

impl From<crate::store::IndexError> for ApiError {
    fn from(error: crate::store::IndexError) -> Self {
        match error {
            crate::store::IndexError::Unavailable(detail) => ApiError::StorageUnavailable(detail),
            other => ApiError::Internal(other.to_string()),
        }
    }
}
