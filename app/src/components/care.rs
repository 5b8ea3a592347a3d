//! How the owner keeps photos, shown: the views of the library as tabs
//! ([`view_tabs`]), the toast that undoes the last change ([`undo_toast`]),
//! the trash's own header with "Empty trash" ([`trash_header`]) and the
//! heart ([`favorite_button`]). The rules behind them are `crate::care`.

pub mod favorite_button;
pub mod trash_header;
pub mod undo_toast;
pub mod view_tabs;
