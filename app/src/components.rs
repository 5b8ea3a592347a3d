//! Components shared by several pages.

pub mod header;
pub mod startup_error;
