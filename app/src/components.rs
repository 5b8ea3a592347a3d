//! Components shared by several pages.

pub mod confirm_dialog;
pub mod header;
pub mod lightbox;
pub mod session_banner;
pub mod startup_error;
pub mod timeline;
pub mod upload;
