//! An iPhone's timed metadata track (handler `meta`, samples described as
//! `mebx`): every Live Photo's video has one, marking the frame the still was
//! taken at. Its samples are in `mdat`, where no blanking reaches, so the
//! track may stay only if everything it can hold is harmless: each key its
//! sample descriptions declare (`keys` → one box per key → `keyd`: the
//! namespace `mdta` and the key's name) must be on [`PLACELESS_KEYS`]. A key
//! not on the list (`com.apple.quicktime.location.ISO6709`, a key of a newer
//! phone, one of another namespace) stops the copy; so does a description
//! that is not `mebx` or does not read. ISO/IEC 14496-12 §12.9.4 and
//! Apple's QuickTime File Format describe the boxes.

use super::{ScrubError, children};

/// The keys an iPhone writes in a Live Photo's or a video's timed metadata
/// that say nothing of where it was taken.
pub const PLACELESS_KEYS: &[&str] = &[
    "com.apple.quicktime.still-image-time",
    "com.apple.quicktime.live-photo-info",
    "com.apple.quicktime.live-photo.vitality-score",
    "com.apple.quicktime.live-photo.vitality-scoring-version",
    "com.apple.quicktime.video-orientation",
    "com.apple.quicktime.scene-illuminance",
    "com.apple.quicktime.detected-face",
    "com.apple.quicktime.detected-face.bounds",
    "com.apple.quicktime.detected-face.face-id",
    "com.apple.quicktime.detected-face.roll-angle",
    "com.apple.quicktime.detected-face.yaw-angle",
];

/// The sample entry's own fields before its boxes: six reserved bytes and
/// the data reference index.
const SAMPLE_ENTRY_FIELDS: usize = 8;
/// `stsd`'s version and flags, then its entry count.
const STSD_FIELDS: usize = 8;

/// Whether the `meta` track `trak` (its body) may stay in a copy: `Ok` if
/// every key it declares is placeless, else why not.
pub fn check(trak: &[u8]) -> Result<(), ScrubError> {
    let refused = |why: &str| ScrubError::TimedMetadata(why.to_owned());
    let stsd = ["mdia", "minf", "stbl", "stsd"]
        .iter()
        .try_fold(trak, |body, kind| child(body, kind))
        .ok_or_else(|| refused("no sample description"))?;
    let entries = stsd
        .get(STSD_FIELDS..)
        .ok_or_else(|| refused("no sample description"))?;
    let entries = children(entries)?;
    if entries.is_empty() {
        return Err(refused("no sample description"));
    }
    for (_, kind, entry) in entries {
        if &kind != b"mebx" {
            return Err(refused(&String::from_utf8_lossy(&kind)));
        }
        let boxes = entry
            .get(SAMPLE_ENTRY_FIELDS..)
            .ok_or(ScrubError::Damaged)?;
        let keys = child(boxes, "keys").ok_or_else(|| refused("no key table"))?;
        for (_, _, key) in children(keys)? {
            let declaration = child(key, "keyd").ok_or(ScrubError::Damaged)?;
            let (namespace, name) = declaration.split_at_checked(4).ok_or(ScrubError::Damaged)?;
            let name = String::from_utf8_lossy(name);
            if namespace != b"mdta" || !PLACELESS_KEYS.contains(&name.as_ref()) {
                return Err(refused(&name));
            }
        }
    }
    Ok(())
}

/// The body of the first box of `kind` directly in `body`.
fn child<'a>(body: &'a [u8], kind: &str) -> Option<&'a [u8]> {
    children(body)
        .ok()?
        .into_iter()
        .find(|(_, found, _)| found == kind.as_bytes())
        .map(|(_, _, inner)| inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scrub::tests::{boxed, timed_metadata as track};

    #[test]
    fn a_live_photos_still_image_time_may_stay() {
        let trak = track(&[
            (b"mdta", "com.apple.quicktime.still-image-time"),
            (b"mdta", "com.apple.quicktime.live-photo-info"),
        ]);
        assert_eq!(check(&trak), Ok(()));
    }

    #[test]
    fn a_place_an_unknown_key_or_another_namespace_stops_the_copy() {
        for (namespace, name) in [
            (b"mdta", "com.apple.quicktime.location.ISO6709"),
            (b"mdta", "com.apple.quicktime.camera-debug-info"),
            (b"udta", "com.apple.quicktime.still-image-time"),
        ] {
            let trak = track(&[
                (b"mdta", "com.apple.quicktime.still-image-time"),
                (namespace, name),
            ]);
            assert!(
                matches!(check(&trak), Err(ScrubError::TimedMetadata(_))),
                "{name} in {namespace:?}"
            );
        }
    }

    #[test]
    fn a_track_that_does_not_read_stops_the_copy() {
        assert!(check(&[]).is_err(), "no description");
        let mut trak = track(&[(b"mdta", "com.apple.quicktime.still-image-time")]);
        let last = trak.len() - 1;
        trak.truncate(last);
        assert!(check(&trak).is_err(), "cut short");
        let other = boxed(
            b"mdia",
            &boxed(
                b"minf",
                &boxed(
                    b"stbl",
                    &boxed(b"stsd", &[vec![0; 8], boxed(b"gpmd", &[0; 8])].concat()),
                ),
            ),
        );
        assert!(
            matches!(check(&other), Err(ScrubError::TimedMetadata(kind)) if kind == "gpmd"),
            "a GoPro's GPS description"
        );
    }
}
