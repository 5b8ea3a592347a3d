//! Albums and their share links: the dialogs that make, name, fill and share
//! an album, used by the album pages and by the timeline's selection bar.

pub mod add_to_album;
pub mod share_dialog;
pub mod title_dialog;

/// Most photo ids the API takes in one request; bigger selections go in parts.
pub const IDS_PER_REQUEST: usize = 1_000;
