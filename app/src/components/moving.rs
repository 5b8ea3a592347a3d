//! What moves in a still: a motion photo's clip (inside its own file) or a
//! Live Photo's video (a file of its own), played muted over the picture, as
//! the phone that took it does. The lightbox plays it once on open and from
//! its button; a timeline tile while the mouse rests on it.

mod clip;

pub use clip::MovingClip;

use api_types::photo::{MotionVideo, Photo};

use crate::timeline::Source;

/// Where a still's movement comes from, if it has one.
#[derive(Debug, Clone, PartialEq)]
pub enum Movement {
    /// A motion photo: bytes `motion.start..` of the original at `url`.
    InFile { url: String, motion: MotionVideo },
    /// A Live Photo: its video, streamed from `url`.
    Live { url: String },
    /// On a share link that keeps the place private, whose visitor may not
    /// have the original: a copy without the place, asked for (by the
    /// link's `token` and the still's `id`) when it first plays, then
    /// streamed. `live`: a Live Photo's video, else a motion photo's clip.
    Asked {
        token: String,
        id: String,
        live: bool,
    },
}

impl Movement {
    /// The movement of `photo`, shown from `source`.
    pub fn of(photo: &Photo, source: &Source) -> Option<Movement> {
        let live = photo.live.is_some();
        match (&photo.play_url, &photo.details.motion, source) {
            (_, None, _) if !live => None,
            (Some(url), _, _) if live => Some(Movement::Live { url: url.clone() }),
            (Some(url), Some(motion), _) => Some(Movement::InFile {
                url: url.clone(),
                motion: motion.clone(),
            }),
            (None, _, Source::Shared(token)) if photo.play_on_request => Some(Movement::Asked {
                token: token.clone(),
                id: photo.id.clone(),
                live,
            }),
            _ => None,
        }
    }

    /// What the button and the badge call it, as the phones do.
    pub fn name(&self) -> &'static str {
        match self {
            Movement::InFile { .. } | Movement::Asked { live: false, .. } => "Motion",
            Movement::Live { .. } | Movement::Asked { live: true, .. } => "Live",
        }
    }
}

#[cfg(test)]
mod tests {
    use api_types::photo::{LiveVideo, PhotoDetails};

    use super::*;

    fn photo(play_url: Option<&str>, live: bool, motion: bool, on_request: bool) -> Photo {
        Photo {
            id: "still".to_owned(),
            taken_at: String::new(),
            uploaded_at: String::new(),
            details: PhotoDetails {
                filename: "PXL.MP.jpg".into(),
                content_type: "image/jpeg".into(),
                bytes: 150,
                width: None,
                height: None,
                metadata: Default::default(),
                placeholder: None,
                video: None,
                motion: motion.then_some(MotionVideo {
                    start: 100,
                    bytes: 50,
                    duration_ms: None,
                }),
                imported: None,
            },
            thumb: None,
            web: None,
            original_url: None,
            download_url: None,
            play_url: play_url.map(str::to_owned),
            live: live.then(|| LiveVideo {
                id: "video".to_owned(),
                duration_ms: None,
            }),
            play_on_request: on_request,
            archived: None,
            favorite: false,
            in_archive: false,
            trashed: None,
        }
    }

    #[test]
    fn a_still_moves_from_its_own_file_its_video_or_a_copy_asked_for() {
        let library = Source::Library(api_types::care::ViewName::Timeline);
        let shared = Source::Shared("token".to_owned());
        assert!(matches!(
            Movement::of(&photo(Some("u"), false, true, false), &library),
            Some(Movement::InFile { .. })
        ));
        assert_eq!(
            Movement::of(&photo(Some("u"), true, false, false), &library),
            Some(Movement::Live {
                url: "u".to_owned()
            })
        );
        let asked = Movement::of(&photo(None, true, false, true), &shared);
        assert_eq!(asked.as_ref().map(Movement::name), Some("Live"));
        assert!(matches!(asked, Some(Movement::Asked { token, .. }) if token == "token"));
        let clip = Movement::of(&photo(None, false, true, true), &shared);
        assert_eq!(clip.as_ref().map(Movement::name), Some("Motion"));
    }

    #[test]
    fn a_video_a_plain_photo_or_a_refused_copy_has_no_movement() {
        let shared = Source::Shared("token".to_owned());
        assert_eq!(
            Movement::of(&photo(Some("u"), false, false, false), &shared),
            None
        );
        assert_eq!(
            Movement::of(&photo(None, false, false, true), &shared),
            None
        );
        // Only a link's visitor asks.
        assert_eq!(
            Movement::of(
                &photo(None, true, false, true),
                &Source::Library(api_types::care::ViewName::Timeline)
            ),
            None
        );
        assert_eq!(
            Movement::of(&photo(None, true, false, false), &shared),
            None
        );
    }
}
