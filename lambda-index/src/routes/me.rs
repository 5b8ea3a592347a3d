//! `GET /me`: who the token says the caller is.

use api_types::Me;
use axum::Json;

use crate::auth::SignedIn;

pub(crate) async fn get(SignedIn(user): SignedIn) -> Json<Me> {
    Json(Me {
        id: user.id,
        name: user.name,
    })
}
