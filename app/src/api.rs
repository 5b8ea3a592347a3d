//! The API client: the one place the SPA calls `/api`. Adds the bearer token
//! (renewed first when about to expire), maps every failure to [`ApiError`], and
//! treats a 401 as the end of the session.

use api_types::{ErrorBody, Me};
use gloo_net::http::Request;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::auth::Auth;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("not signed in")]
    SignedOut,
    #[error("network: {0}")]
    Network(String),
    #[error("{status} {code}: {message}")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    #[error("unexpected answer: {0}")]
    Unexpected(String),
}

#[derive(Clone, Copy)]
pub struct Api {
    base: StoredValue<String>,
    auth: Auth,
}

impl Api {
    pub fn new(base: String, auth: Auth) -> Self {
        Self {
            base: StoredValue::new(base.trim_end_matches('/').to_owned()),
            auth,
        }
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        self.get("/me").await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let token = self.auth.access_token().await.ok_or(ApiError::SignedOut)?;
        let url = format!("{}{path}", self.base.get_value());
        let response = Request::get(&url)
            .header("Authorization", &format!("Bearer {token}"))
            .send()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))?;
        match response.status() {
            200..=299 => response
                .json::<T>()
                .await
                .map_err(|error| ApiError::Unexpected(error.to_string())),
            401 => {
                self.auth.mark_expired();
                Err(ApiError::SignedOut)
            }
            status => {
                let body = response.json::<ErrorBody>().await.ok();
                Err(ApiError::Server {
                    status,
                    code: body
                        .as_ref()
                        .map_or_else(String::new, |b| b.error.code.clone()),
                    message: body.map_or_else(String::new, |b| b.error.message),
                })
            }
        }
    }
}
