//! Motion photos as Android phones write them: a JPEG whose XMP says it carries
//! a clip, with the MP4 appended. Made here from ffmpeg's test pattern (a still
//! and a 2 s clip), with the XMP a Pixel writes; ffmpeg comes with
//! `cargo xtask setup --media`, and without it these tests fail and say so.
#![cfg(not(target_arch = "wasm32"))]

use std::{path::Path, process::Command};

use pipeline::motion::embedded_video;

fn ffmpeg(dir: &Path, name: &str, args: &[&str]) -> Vec<u8> {
    let path = dir.join(name);
    let status = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(["-f", "lavfi", "-i", "testsrc2=size=640x480:rate=30"])
        .args(args)
        .arg(&path)
        .status()
        .expect("ffmpeg is missing, so the motion photo tests cannot run: `cargo xtask setup --media` installs it");
    assert!(status.success(), "ffmpeg made no {name}");
    std::fs::read(path).expect("read")
}

/// The still with an XMP packet (APP1) right after its SOI, as a Pixel writes it.
fn with_xmp(still: &[u8], xmp: &str) -> Vec<u8> {
    let mut payload = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    payload.extend_from_slice(xmp.as_bytes());
    let mut photo = still[..2].to_vec();
    photo.extend_from_slice(&[0xFF, 0xE1]);
    photo.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    photo.extend_from_slice(&payload);
    photo.extend_from_slice(&still[2..]);
    photo
}

fn pixel_xmp(clip_len: usize) -> String {
    format!(
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MotionPhoto="1" GCamera:MotionPhotoVersion="1" GCamera:MotionPhotoPresentationTimestampUs="0" GCamera:MotionPhotoOffset="{clip_len}"/></rdf:RDF></x:xmpmeta>"#
    )
}

#[test]
fn a_pixel_motion_photo_gives_where_its_clip_starts_and_how_long_it_plays() {
    let dir = tempfile::tempdir().expect("dir");
    let still = ffmpeg(dir.path(), "still.jpg", &["-frames:v", "1"]);
    let clip = ffmpeg(
        dir.path(),
        "clip.mp4",
        &[
            "-t",
            "2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
        ],
    );
    let mut photo = with_xmp(&still, &pixel_xmp(clip.len()));
    let start = photo.len();
    photo.extend_from_slice(&clip);

    let motion = embedded_video(&photo).expect("a motion photo");
    assert_eq!(
        (motion.start, motion.bytes),
        (start as u64, clip.len() as u64)
    );
    assert!(
        motion
            .duration_ms
            .is_some_and(|ms| (1900..=2200).contains(&ms)),
        "{motion:?}"
    );
    assert_eq!(&photo[start..], clip.as_slice(), "the clip, byte for byte");

    let processed = pipeline::process(&photo).expect("a photo");
    assert_eq!(processed.motion, Some(motion), "the pipeline passes it on");
    assert!(processed.previews.is_ok(), "and it is still a photo");
}

#[test]
fn a_still_is_no_motion_photo_even_when_its_xmp_says_so() {
    let dir = tempfile::tempdir().expect("dir");
    let still = ffmpeg(dir.path(), "still.jpg", &["-frames:v", "1"]);
    assert_eq!(embedded_video(&still), None, "a plain JPEG");
    let promised = with_xmp(&still, &pixel_xmp(100_000));
    assert_eq!(
        embedded_video(&promised),
        None,
        "a clip promised, none there"
    );
    assert_eq!(pipeline::process(&promised).expect("a photo").motion, None);
}
