//! One module per route.

pub mod gallery;
pub mod not_found;
