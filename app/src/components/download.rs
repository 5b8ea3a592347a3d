//! Downloading many originals as one zip: the question before it
//! ([`zip_dialog`]: what, how many, folders or not) and the note while it
//! runs ([`zip_toast`]), which stays across pages until it is done.

pub mod zip_dialog;
pub mod zip_toast;
