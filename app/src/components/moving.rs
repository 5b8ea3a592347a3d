//! What moves in a still: a motion photo's clip (inside its own file) or a
//! Live Photo's video (a file of its own), played muted over the picture, as
//! the phone that took it does. The lightbox plays it once on open and from
//! its button; a timeline tile while the mouse rests on it.

mod clip;

pub use clip::MovingClip;

use api_types::photo::{MotionVideo, Photo};

/// Where a still's movement comes from, if it has one.
#[derive(Debug, Clone, PartialEq)]
pub enum Movement {
    /// A motion photo: bytes `motion.start..` of the original at `url`.
    InFile { url: String, motion: MotionVideo },
    /// A Live Photo: its video, streamed from `url`.
    Live { url: String },
}

impl Movement {
    pub fn of(photo: &Photo) -> Option<Movement> {
        let url = photo.play_url.clone()?;
        match (&photo.details.motion, &photo.live) {
            (_, Some(_)) => Some(Movement::Live { url }),
            (Some(motion), None) => Some(Movement::InFile {
                url,
                motion: motion.clone(),
            }),
            (None, None) => None,
        }
    }

    /// What the button and the badge call it, as the phones do.
    pub fn name(&self) -> &'static str {
        match self {
            Movement::InFile { .. } => "Motion",
            Movement::Live { .. } => "Live",
        }
    }
}
