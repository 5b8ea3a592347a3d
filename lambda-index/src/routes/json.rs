//! JSON in and out: [`JsonBody`], axum's `Json` extractor with its rejections
//! turned into [`ApiError::BadRequest`], so a malformed body gets the API's one
//! error shape; and [`SizedJson`], for answers whose size is known roughly.

use axum::{
    Json,
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::{Serialize, de::DeserializeOwned};

use crate::ApiError;

pub(crate) struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(ApiError::BadRequest(describe(&rejection))),
        }
    }
}

fn describe(rejection: &JsonRejection) -> String {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "Send the body as JSON (Content-Type: application/json).".to_owned()
        }
        // serde's words name the field and what was wrong with it.
        other => other.body_text(),
    }
}

/// A JSON answer written into a buffer of about its size. axum's `Json` starts
/// at 128 bytes and grows; a page of photos is tens of kilobytes, so it would
/// be copied a dozen times on the way.
pub(crate) struct SizedJson<T> {
    pub value: T,
    pub expected_bytes: usize,
}

impl<T: Serialize> IntoResponse for SizedJson<T> {
    fn into_response(self) -> Response {
        let mut body = Vec::with_capacity(self.expected_bytes);
        match serde_json::to_writer(&mut body, &self.value) {
            Ok(()) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            Err(error) => {
                ApiError::Internal(format!("cannot write the answer: {error}")).into_response()
            }
        }
    }
}
