//! Videos as phones and cameras write them, made here with ffmpeg (no video is
//! committed): what their containers say (capture time, place, duration,
//! size, camera), and a clear answer for the broken ones. ffmpeg comes with
//! `cargo xtask setup --media` (which `./x test` runs); without it these tests
//! fail and say so.
#![cfg(not(target_arch = "wasm32"))]

use std::{
    fs::File,
    io::Read,
    path::{Path, PathBuf},
    process::Command,
};

use pipeline::{
    sniff::Format,
    video::{VideoError, VideoInfo, read_video, video_format},
};

/// A 2 s, 320×240 clip of ffmpeg's test pattern, encoded with `codec`, then
/// `extra` arguments (metadata, muxer), written to `dir/name`.
fn make(dir: &Path, name: &str, codec: &[&str], extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let status = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=15", "-t", "2"])
        .args(codec)
        .args(["-pix_fmt", "yuv420p"])
        .args(extra)
        .arg(&path)
        .status()
        .expect("ffmpeg is missing, so the video tests cannot run: `cargo xtask setup --media` installs it");
    assert!(status.success(), "ffmpeg made no {name}");
    path
}

const H264: &[&str] = &["-c:v", "libx264", "-preset", "ultrafast"];

fn read(path: &Path) -> Result<VideoInfo, VideoError> {
    let mut file = File::open(path).expect("the clip");
    let mut head = vec![0; 64];
    let read = file.read(&mut head).expect("its first bytes");
    head.truncate(read);
    read_video(&head, File::open(path).expect("the clip"))
}

fn about_two_seconds(info: &VideoInfo) -> bool {
    info.duration_ms
        .is_some_and(|ms| (1900..=2200).contains(&ms))
}

/// The boxes at the top of `moov` (the clip's last box: no +faststart), as
/// (offset, size, kind); and where `moov` starts.
fn moov_children(bytes: &[u8]) -> (usize, Vec<(usize, usize, [u8; 4])>) {
    let size_at =
        |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize;
    let mut at = 0;
    while bytes[at + 4..at + 8] != *b"moov" {
        at += size_at(at);
    }
    let moov = at;
    assert_eq!(moov + size_at(moov), bytes.len(), "moov is the last box");
    let mut children = Vec::new();
    let mut child = moov + 8;
    while child < bytes.len() {
        let kind = bytes[child + 4..child + 8].try_into().expect("4 bytes");
        children.push((child, size_at(child), kind));
        child += size_at(child);
    }
    (moov, children)
}

fn grow(bytes: &mut [u8], at: usize, by: isize) {
    let size = u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let grown = (size as isize + by) as u32;
    bytes[at..at + 4].copy_from_slice(&grown.to_be_bytes());
}

/// Android's place, as its camera writes it: a `©xyz` box in the movie's user
/// data, which ffmpeg does not write into MP4s; added here at the end of the
/// last box (`moov/udta`), so no media moves.
fn with_android_place(clip: &Path, place: &str) {
    let mut bytes = std::fs::read(clip).expect("bytes");
    let (moov, children) = moov_children(&bytes);
    let &(udta, _, kind) = children.last().expect("moov has children");
    assert_eq!(&kind, b"udta", "ffmpeg ends moov with its user data");
    let mut xyz = ((8 + 4 + place.len()) as u32).to_be_bytes().to_vec();
    xyz.extend_from_slice(b"\xA9xyz");
    xyz.extend_from_slice(&(place.len() as u16).to_be_bytes());
    xyz.extend_from_slice(&0x15c7u16.to_be_bytes()); // the language: English
    xyz.extend_from_slice(place.as_bytes());
    grow(&mut bytes, moov, xyz.len() as isize);
    grow(&mut bytes, udta, xyz.len() as isize);
    let mut bytes = bytes.to_vec();
    bytes.extend_from_slice(&xyz);
    std::fs::write(clip, bytes).expect("write");
}

/// An iPhone keeps its `keys`/`ilst` metadata in `moov/meta`, a QuickTime
/// `meta` (no version and flags); ffmpeg writes an ISO `meta` (with them) into
/// `moov/udta`. Here the `udta` around it (moov's last box, holding only the
/// `meta`) and the version and flags are taken away, so the clip is laid out
/// as an iPhone's.
fn as_an_iphone_lays_it_out(clip: &Path) {
    let mut bytes = std::fs::read(clip).expect("bytes");
    let (moov, children) = moov_children(&bytes);
    let &(udta, udta_size, kind) = children.last().expect("moov has children");
    assert_eq!(&kind, b"udta");
    assert_eq!(
        &bytes[udta + 12..udta + 16],
        b"meta",
        "the user data holds the meta"
    );
    assert_eq!(
        u32::from_be_bytes(bytes[udta + 8..udta + 12].try_into().expect("4 bytes")) as usize,
        udta_size - 8,
        "and nothing else"
    );
    let meta = udta + 8;
    assert_eq!(
        &bytes[meta + 8..meta + 12],
        &[0, 0, 0, 0],
        "an ISO meta's version and flags"
    );
    assert_eq!(&bytes[meta + 16..meta + 20], b"hdlr");
    grow(&mut bytes, moov, -12);
    grow(&mut bytes, meta, -4);
    let mut bytes = bytes.to_vec();
    bytes.drain(meta + 8..meta + 12);
    bytes.drain(udta..udta + 8);
    std::fs::write(clip, bytes).expect("write");
}

#[test]
fn an_android_mp4_gives_its_time_place_duration_and_size() {
    let dir = tempfile::tempdir().expect("dir");
    let clip = make(
        dir.path(),
        "VID_20230714_163205.mp4",
        H264,
        &["-metadata", "creation_time=2023-07-14T16:32:05Z"],
    );
    with_android_place(&clip, "+48.8577+002.2950/");
    let info = read(&clip).expect("reads");
    assert!(about_two_seconds(&info), "{info:?}");
    assert_eq!((info.width, info.height), (Some(320), Some(240)));
    let taken = info.taken_at.expect("a capture time");
    assert_eq!(
        taken.local, "2023-07-14T16:32:05",
        "the header's time, in UTC"
    );
    assert!(
        matches!(taken.offset.as_deref(), None | Some("+00:00")),
        "{taken:?}"
    );
    let place = info.gps.expect("a place");
    assert_eq!((place.latitude, place.longitude), (48.8577, 2.295));
    assert_eq!(
        video_format(&std::fs::read(&clip).expect("bytes")[..64]),
        Some(Format::Mp4)
    );
}

#[test]
fn an_iphone_hevc_mov_gives_its_local_time_place_and_camera() {
    let dir = tempfile::tempdir().expect("dir");
    let clip = make(
        dir.path(),
        "IMG_0042.MOV",
        &[
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-tag:v",
            "hvc1",
            "-x265-params",
            "log-level=error",
        ],
        &[
            "-f",
            "mov",
            "-movflags",
            "use_metadata_tags",
            "-metadata",
            "com.apple.quicktime.creationdate=2023-07-14T18:32:05+0200",
            "-metadata",
            "com.apple.quicktime.location.ISO6709=+48.8577+002.2950+035.000/",
            "-metadata",
            "com.apple.quicktime.make=Apple",
            "-metadata",
            "com.apple.quicktime.model=iPhone 15 Pro",
            "-metadata",
            "com.apple.quicktime.content.identifier=2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99",
        ],
    );
    // As ffmpeg writes it (an ISO `meta` in the user data), then as an iPhone.
    let written = read(&clip).expect("reads");
    assert_eq!(
        written.live_id.as_deref(),
        Some("2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99")
    );
    as_an_iphone_lays_it_out(&clip);
    let info = read(&clip).expect("reads");
    assert_eq!(
        info.metadata().live_id.as_deref(),
        Some("2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99"),
        "the Live Photo's content identifier, shared with its still"
    );
    assert!(about_two_seconds(&info), "{info:?}");
    let taken = info.taken_at.as_ref().expect("a capture time");
    assert_eq!(
        (taken.local.as_str(), taken.offset.as_deref()),
        ("2023-07-14T18:32:05", Some("+02:00")),
        "the camera's local time and its offset"
    );
    let place = info.gps.as_ref().expect("a place");
    assert_eq!(
        (place.latitude, place.longitude, place.altitude),
        (48.8577, 2.295, Some(35.0))
    );
    assert_eq!(info.camera.as_deref(), Some("Apple iPhone 15 Pro"));
    assert_eq!(
        video_format(&std::fs::read(&clip).expect("bytes")[..64]),
        Some(Format::QuickTime)
    );
}

#[test]
fn webm_and_3gp_give_their_duration_and_size() {
    let dir = tempfile::tempdir().expect("dir");
    let webm = make(
        dir.path(),
        "clip.webm",
        &[
            "-c:v",
            "libvpx-vp9",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
        ],
        &[],
    );
    let info = read(&webm).expect("reads");
    assert!(about_two_seconds(&info), "{info:?}");
    assert_eq!(
        video_format(&std::fs::read(&webm).expect("bytes")[..64]),
        Some(Format::WebM)
    );

    let three_gp = make(
        dir.path(),
        "old_phone.3gp",
        H264,
        &["-s", "160x120", "-f", "3gp"],
    );
    let info = read(&three_gp).expect("reads");
    assert!(about_two_seconds(&info), "{info:?}");
    assert_eq!((info.width, info.height), (Some(160), Some(120)));
    assert_eq!(
        video_format(&std::fs::read(&three_gp).expect("bytes")[..64]),
        Some(Format::ThreeGp)
    );
}

#[test]
fn a_moov_at_the_end_is_found() {
    let dir = tempfile::tempdir().expect("dir");
    // ffmpeg writes `moov` after the media unless asked for +faststart.
    let clip = make(dir.path(), "moov_last.mp4", H264, &[]);
    let bytes = std::fs::read(&clip).expect("bytes");
    let moov = bytes.windows(4).position(|w| w == b"moov").expect("a moov");
    let mdat = bytes
        .windows(4)
        .position(|w| w == b"mdat")
        .expect("an mdat");
    assert!(moov > mdat, "the clip has its moov last");
    let info = read(&clip).expect("reads");
    assert!(about_two_seconds(&info), "{info:?}");
}

#[test]
fn broken_files_get_a_clear_answer() {
    let dir = tempfile::tempdir().expect("dir");
    let clip = make(dir.path(), "whole.mp4", H264, &[]);
    let bytes = std::fs::read(&clip).expect("bytes");

    // Cut before its moov (at the end): the container cannot be read.
    let cut = dir.path().join("cut.mp4");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).expect("write");
    assert!(
        matches!(read(&cut), Err(VideoError::Unreadable(_))),
        "{:?}",
        read(&cut)
    );

    let empty = dir.path().join("empty.mp4");
    std::fs::write(&empty, b"").expect("write");
    assert_eq!(read(&empty), Err(VideoError::Empty));

    // Named .mp4, but a JPEG: the bytes decide.
    let jpeg = dir.path().join("really_a_photo.mp4");
    std::fs::write(
        &jpeg,
        [
            0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1,
        ],
    )
    .expect("write");
    assert_eq!(read(&jpeg), Err(VideoError::NotAVideo));
    assert_eq!(
        pipeline::process(&std::fs::read(&clip).expect("bytes")).err(),
        Some(pipeline::PipelineError::Video),
        "the photo pipeline says a video is a video"
    );
}

#[test]
fn a_header_that_claims_the_absurd_is_not_believed() {
    let dir = tempfile::tempdir().expect("dir");
    let clip = make(dir.path(), "liar.mp4", H264, &["-movflags", "+faststart"]);
    let mut bytes = std::fs::read(&clip).expect("bytes");
    // mvhd: version(1) flags(3) created(4) modified(4) timescale(4) duration(4).
    let mvhd = bytes
        .windows(4)
        .position(|w| w == b"mvhd")
        .expect("an mvhd")
        + 4;
    bytes[mvhd + 12..mvhd + 16].copy_from_slice(&1u32.to_be_bytes()); // 1 unit a second
    bytes[mvhd + 16..mvhd + 20].copy_from_slice(&u32::MAX.to_be_bytes()); // 136 years
    let liar = dir.path().join("liar_edited.mp4");
    std::fs::write(&liar, &bytes).expect("write");
    let info = read(&liar).expect("still reads");
    assert_eq!(
        info.duration_ms, None,
        "136 years is not believed: {info:?}"
    );
}

#[test]
fn a_portrait_phone_clip_plays_upright() {
    let dir = tempfile::tempdir().expect("dir");
    let clip = make(
        dir.path(),
        "portrait.mp4",
        H264,
        &["-movflags", "+faststart"],
    );
    let plain = read(&clip).expect("reads");
    assert_eq!(
        (plain.rotation, plain.upright_size()),
        (0, Some((320, 240)))
    );
    // A phone held upright: the pixels stay as the sensor saw them, and the
    // track's matrix turns them a quarter clockwise (ffmpeg 5 writes no turn).
    let mut bytes = std::fs::read(&clip).expect("bytes");
    let tkhd = bytes.windows(4).position(|w| w == b"tkhd").expect("a tkhd") + 4;
    let matrix = tkhd + 4 + 20 + 16;
    let one = 1i32 << 16;
    for (index, value) in [0, one, 0, -one, 0].into_iter().enumerate() {
        bytes[matrix + index * 4..matrix + index * 4 + 4].copy_from_slice(&value.to_be_bytes());
    }
    std::fs::write(&clip, bytes).expect("write");
    let turned = read(&clip).expect("reads");
    assert_eq!(turned.rotation, 90);
    assert_eq!(turned.upright_size(), Some((240, 320)), "a portrait tile");
}
