//! One module per route.

pub mod album;
pub mod albums;
pub mod auth_callback;
pub mod gallery;
pub mod import;
pub mod not_found;
pub mod shared_album;
pub mod shared_links;
pub mod signed_in;
