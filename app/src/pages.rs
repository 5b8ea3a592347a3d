//! One module per route.

pub mod auth_callback;
pub mod gallery;
pub mod not_found;
