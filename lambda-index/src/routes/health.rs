//! `GET /health`: public, cheap, and never touches a store, so it can back a load
//! balancer or an uptime check.

use api_types::Health;
use axum::Json;

pub(crate) async fn get() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}
