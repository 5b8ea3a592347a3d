//! The timeline on screen: the virtualized view, its tiles, the scrubber and
//! the bar for what is selected.

pub mod photo_tile;
pub mod scrubber;
pub mod selection_bar;
pub mod timeline_view;
