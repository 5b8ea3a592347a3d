//! [`SignedIn`]: a handler that takes it runs only for a verified caller.

use std::sync::Arc;

use axum::{
    extract::{FromRef, FromRequestParts},
    http::{header, request::Parts},
};

use super::verifier::{AuthError, TokenVerifier, User};
use crate::ApiError;

/// The verified caller of this request.
#[derive(Debug, Clone)]
pub struct SignedIn(pub User);

impl<S> FromRequestParts<S> for SignedIn
where
    Arc<TokenVerifier>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                value
                    .strip_prefix("Bearer ")
                    .or_else(|| value.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or(AuthError::Missing)?;
        let verifier = Arc::<TokenVerifier>::from_ref(state);
        let user = verifier.verify(token).await?;
        Ok(SignedIn(user))
    }
}
