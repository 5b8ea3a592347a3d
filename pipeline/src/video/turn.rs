//! The turn a player gives an ISO BMFF video (MP4, MOV, 3GP): its video
//! track's `tkhd` matrix. Phones record in the sensor's orientation and set
//! this matrix rather than turn the pixels, so a portrait clip is stored
//! 1920×1080 with a quarter turn; the timeline needs its upright shape.

use super::boxes::{boxes, child};

/// The clockwise turn (0, 90, 180 or 270) of the first video track in `moov`
/// (the movie box's body), if it has one.
pub fn quarter_turns(moov: &[u8]) -> Option<u16> {
    boxes(moov)
        .filter(|(kind, _)| kind == b"trak")
        .find_map(|(_, trak)| video_track_turn(trak))
}

fn video_track_turn(trak: &[u8]) -> Option<u16> {
    // hdlr: version and flags (4), pre_defined (4), then the handler type.
    let hdlr = child(child(trak, b"mdia")?, b"hdlr")?;
    if hdlr.get(8..12)? != b"vide" {
        return None;
    }
    let tkhd = child(trak, b"tkhd")?;
    // After version and flags: times, track id and duration (20 bytes in
    // version 0, 32 in 1), 8 reserved, layer, group, volume, 2 reserved.
    let matrix_at = 4 + if tkhd.first()? == &1 { 32 } else { 20 } + 16;
    let cell = |index: usize| {
        let at = matrix_at + index * 4;
        Some(i32::from_be_bytes(tkhd.get(at..at + 4)?.try_into().ok()?))
    };
    let (a, b, c, d) = (cell(0)?, cell(1)?, cell(3)?, cell(4)?);
    let one = 1 << 16;
    Some(match (a, b, c, d) {
        (0, b, c, 0) if b == one && c == -one => 90,
        (a, 0, 0, d) if a == -one && d == -one => 180,
        (0, b, c, 0) if b == -one && c == one => 270,
        _ => 0,
    })
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::{super::boxes::read_moov, *};

    fn turn_of(file: Vec<u8>) -> Option<u16> {
        quarter_turns(&read_moov(&mut Cursor::new(file))?)
    }

    use super::super::boxes::tests::boxed;

    /// A file with one track of `handler` whose matrix starts `a b _ c d`.
    fn file(handler: &[u8; 4], (a, b, c, d): (i32, i32, i32, i32)) -> Vec<u8> {
        let mut tkhd = vec![0; 4 + 20 + 16];
        for value in [a, b, 0, c, d, 0, 0, 0, 1 << 30] {
            tkhd.extend_from_slice(&value.to_be_bytes());
        }
        tkhd.extend_from_slice(&[0; 8]);
        let mut hdlr = vec![0; 8];
        hdlr.extend_from_slice(handler);
        hdlr.extend_from_slice(&[0; 13]);
        let trak = [
            boxed(b"tkhd", &tkhd),
            boxed(b"mdia", &boxed(b"hdlr", &hdlr)),
        ]
        .concat();
        [
            boxed(b"ftyp", b"isom\0\0\0\0isom"),
            boxed(b"mdat", &[0; 100]),
            boxed(b"moov", &boxed(b"trak", &trak)),
        ]
        .concat()
    }

    #[test]
    fn the_matrix_says_the_turn() {
        let one = 1 << 16;
        for (matrix, turn) in [
            ((one, 0, 0, one), 0),
            ((0, one, -one, 0), 90),
            ((-one, 0, 0, -one), 180),
            ((0, -one, one, 0), 270),
        ] {
            assert_eq!(turn_of(file(b"vide", matrix)), Some(turn), "{matrix:?}");
        }
    }

    #[test]
    fn only_a_video_track_counts_and_junk_reads_as_nothing() {
        let one = 1 << 16;
        assert_eq!(turn_of(file(b"soun", (0, one, -one, 0))), None);
        assert_eq!(turn_of(b"\0\0\0\x04junk".to_vec()), None);
        assert_eq!(turn_of(Vec::new()), None);
        let mut huge = file(b"vide", (one, 0, 0, one));
        huge[..4].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(turn_of(huge), None, "a box past the end");
    }
}
