//! Components shared by several pages.

pub mod header;
pub mod session_banner;
pub mod startup_error;
pub mod upload;
