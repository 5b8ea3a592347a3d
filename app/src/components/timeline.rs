//! The timeline on screen: the virtualized view, its tiles and the scrubber.

pub mod photo_tile;
pub mod scrubber;
pub mod timeline_view;
