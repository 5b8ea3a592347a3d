//! The upload UI: the button that picks files, the drop target that is the whole
//! page, and the panel that shows the queue. The queue itself is
//! [`crate::upload::Uploads`].

pub mod drop_target;
pub mod upload_button;
pub mod upload_panel;
