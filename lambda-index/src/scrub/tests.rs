use super::*;

pub(super) fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let mut out = ((8 + body.len()) as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

fn track(handler: &[u8; 4], with_user_data: bool) -> Vec<u8> {
    let mut hdlr = vec![0; 8];
    hdlr.extend_from_slice(handler);
    hdlr.extend_from_slice(&[0; 12]);
    let mut body = [
        boxed(b"tkhd", &[0; 84]),
        boxed(b"mdia", &boxed(b"hdlr", &hdlr)),
    ]
    .concat();
    if with_user_data {
        body.extend(boxed(b"udta", &boxed(b"\xa9xyz", b"+48.8577+002.2950/")));
    }
    boxed(b"trak", &body)
}

/// A `meta` track whose one `mebx` description declares `keys`.
pub(super) fn timed_metadata(keys: &[(&[u8; 4], &str)]) -> Vec<u8> {
    let table: Vec<u8> = keys
        .iter()
        .enumerate()
        .flat_map(|(index, (namespace, name))| {
            let declaration = [namespace.as_slice(), name.as_bytes()].concat();
            let id = (index as u32 + 1).to_be_bytes();
            boxed(&id, &boxed(b"keyd", &declaration))
        })
        .collect();
    let mebx = boxed(b"mebx", &[vec![0; 8], boxed(b"keys", &table)].concat());
    let stsd = boxed(b"stsd", &[vec![0, 0, 0, 0, 0, 0, 0, 1], mebx].concat());
    boxed(b"mdia", &boxed(b"minf", &boxed(b"stbl", &stsd)))
}

/// A phone's file: `ftyp`, `moov` (a header, a video and a sound track, the
/// user data with a place, QuickTime's `meta`), `mdat`, laid out as `order`.
fn file(moov_first: bool, extra_tracks: &[Vec<u8>]) -> Vec<u8> {
    let mut movie = [
        boxed(b"mvhd", &[0; 100]),
        track(b"vide", true),
        track(b"soun", false),
        boxed(b"udta", &boxed(b"\xa9xyz", b"+48.8577+002.2950/")),
        boxed(
            b"meta",
            &boxed(b"keys", b"com.apple.quicktime.location.ISO6709"),
        ),
    ]
    .concat();
    for extra in extra_tracks {
        movie.extend_from_slice(extra);
    }
    let (ftyp, moov, mdat) = (
        boxed(b"ftyp", b"qt  \0\0\0\0qt  "),
        boxed(b"moov", &movie),
        boxed(b"mdat", &[7; 1000]),
    );
    if moov_first {
        [ftyp, moov, mdat].concat()
    } else {
        [ftyp, mdat, moov].concat()
    }
}

/// The plan for `bytes`, as the copy makes it: the top boxes, then the movie.
fn plan(bytes: &[u8]) -> Result<Vec<Blank>, ScrubError> {
    let size = bytes.len() as u64;
    let mut boxes = Vec::new();
    let mut at = 0;
    while at < size {
        let top = TopBox::read(
            &bytes[at as usize..(at as usize + 16).min(bytes.len())],
            at,
            size,
        )?;
        at = top.end();
        boxes.push(top);
    }
    let (movie, mut blanks) = top_level(&boxes)?;
    let body = &bytes[(movie.offset + movie.header) as usize..movie.end() as usize];
    blanks.extend(in_movie(&movie, body)?);
    Ok(blanks)
}

#[test]
fn the_user_data_and_metadata_are_blanked_and_nothing_moves() {
    for moov_first in [true, false] {
        let mut bytes = file(moov_first, &[]);
        let blanks = plan(&bytes).expect("a plan");
        assert_eq!(
            blanks.len(),
            3,
            "the track's udta, the movie's udta and meta"
        );
        let before = bytes.len();
        blank_out(&mut bytes, 0, &blanks);
        assert_eq!(bytes.len(), before);
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("udta") && !text.contains("meta"),
            "{moov_first}"
        );
        assert!(
            !text.contains("48.8577") && !text.contains("ISO6709"),
            "the place is gone, not only hidden"
        );
        // And the file still parses, with nothing left to blank.
        assert_eq!(plan(&bytes).expect("still a file"), Vec::<Blank>::new());
    }
}

#[test]
fn tracks_other_than_picture_and_sound_stop_the_copy() {
    let subtitles = track(b"sbtl", false);
    assert_eq!(
        plan(&file(true, &[subtitles])),
        Err(ScrubError::OtherTrack("sbtl".into()))
    );
    // Timed metadata that is not an iPhone's `mebx` (a GoPro's GPS).
    let gps = track(b"meta", false);
    assert!(matches!(
        plan(&file(true, &[gps])),
        Err(ScrubError::TimedMetadata(_))
    ));
    let timecode = track(b"tmcd", false);
    assert!(plan(&file(true, &[timecode])).is_ok());
}

#[test]
fn a_live_photos_timed_metadata_stays_and_its_tracks_user_data_goes() {
    let mut hdlr = vec![0; 8];
    hdlr.extend_from_slice(b"meta");
    hdlr.extend_from_slice(&[0; 12]);
    let mdia = timed_metadata(&[(b"mdta", "com.apple.quicktime.still-image-time")]);
    // The helper's `mdia` with the handler the movie reads first.
    let mdia = boxed(
        b"mdia",
        &[boxed(b"hdlr", &hdlr), mdia[8..].to_vec()].concat(),
    );
    let still_time = boxed(
        b"trak",
        &[
            mdia,
            boxed(b"udta", &boxed(b"\xa9xyz", b"+48.8577+002.2950/")),
        ]
        .concat(),
    );
    let bytes = file(true, &[still_time]);
    let blanks = plan(&bytes).expect("the copy goes ahead");
    let mut copy = bytes.clone();
    blank_out(&mut copy, 0, &blanks);
    assert!(!String::from_utf8_lossy(&copy).contains("48.8577"));
    assert!(
        String::from_utf8_lossy(&copy).contains("still-image-time"),
        "the track itself stays"
    );
}

#[test]
fn what_is_not_a_whole_movie_is_refused() {
    assert_eq!(
        plan(&boxed(b"mdat", &[0; 10])),
        Err(ScrubError::NotIsoMedia)
    );
    assert_eq!(
        plan(&[boxed(b"ftyp", b"isom"), boxed(b"mdat", &[0; 10])].concat()),
        Err(ScrubError::NoMovie)
    );
    let fragmented = [file(true, &[]), boxed(b"moof", &[0; 8])].concat();
    assert_eq!(plan(&fragmented), Err(ScrubError::Fragmented));
    let mut cut = file(false, &[]);
    cut.truncate(cut.len() - 10);
    assert_eq!(plan(&cut), Err(ScrubError::Damaged));
    let mut lying = file(true, &[]);
    // The movie box says it is larger than the file.
    let at = lying.windows(4).position(|w| w == b"moov").expect("moov") - 4;
    lying[at..at + 4].copy_from_slice(&u32::MAX.to_be_bytes());
    assert_eq!(plan(&lying), Err(ScrubError::Damaged));
    // An XMP box at the top is renamed, not refused.
    let with_xmp = [file(true, &[]), boxed(b"uuid", &[1; 40])].concat();
    assert_eq!(plan(&with_xmp).expect("a plan").len(), 4);
}

const MIB: u64 = 1024 * 1024;

/// 4-byte boxes at `offsets` to blank.
fn at(offsets: &[u64]) -> Vec<Blank> {
    offsets
        .iter()
        .map(|&at| Blank {
            at,
            contents: at + 4,
            end: at + 4,
        })
        .collect()
}

/// Every part but the last is at least 5 MiB, the parts cover the file in
/// order, and each box to blank is inside a part that is sent.
fn check(size: u64, offsets: &[u64]) -> Vec<Segment> {
    let blanks = at(offsets);
    let parts = segments(size, &blanks);
    let mut at = 0;
    for (index, part) in parts.iter().enumerate() {
        let range = match part {
            Segment::Copy(range) | Segment::Blanked(range) => range.clone(),
        };
        assert_eq!(range.start, at, "{parts:?}");
        if index + 1 < parts.len() {
            assert!(range.end - range.start >= MIN_PART, "{parts:?}");
        }
        assert!(range.end - range.start <= 5 * 1024 * MIB);
        if let Segment::Copy(copied) = part {
            assert!(copied.end - copied.start <= MAX_COPY_PART, "{parts:?}");
        }
        at = range.end;
    }
    assert_eq!(at, size);
    for blank in &blanks {
        assert!(
            parts
                .iter()
                .any(|part| matches!(part, Segment::Blanked(range)
                if range.start <= blank.at && blank.end <= range.end)),
            "{blank:?} in {parts:?}"
        );
    }
    parts
}

#[test]
fn a_copy_sends_only_windows_around_what_it_blanks() {
    // A movie at the end of a 1 GB video: copied (in four parts) but from
    // its first box to blank on, which is sent (the last part may be small).
    let size = 1000 * MIB;
    let parts = check(size, &[size - 2 * MIB, size - MIB]);
    assert_eq!(parts.len(), 5);
    assert_eq!(parts[4], Segment::Blanked(size - 2 * MIB..size));
    // At the start (faststart): its first 5 MiB sent, the rest copied.
    let parts = check(size, &[100, 4000]);
    assert_eq!(parts[0], Segment::Blanked(0..5 * MIB));
    // Both, and one far in the middle; a 7 GB file in parts of 256 MiB at most.
    check(7000 * MIB, &[40, 3000 * MIB, 7000 * MIB - 10]);
    // A small file is one part, sent whole.
    assert_eq!(check(3 * MIB, &[100]), [Segment::Blanked(0..3 * MIB)]);
    // Renames close together share a window.
    let parts = check(size, &[500 * MIB, 503 * MIB, 507 * MIB]);
    assert_eq!(
        parts
            .iter()
            .filter(|p| matches!(p, Segment::Blanked(_)))
            .count(),
        1
    );
    // Nothing to blank: all copied.
    assert!(
        check(size, &[])
            .iter()
            .all(|part| matches!(part, Segment::Copy(_)))
    );
}
