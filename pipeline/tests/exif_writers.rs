//! EXIF and XMP as common tools write them, not only as cameras do. piexif
//! writes the Exif sub-IFD without its next-IFD offset, and a strict reader
//! then lost all of it: the photo showed sideways and sorted as "today".
//! Made here at test time by `exif_writers.py` (piexif, Pillow) and exiftool:
//! every writer's orientation, date and place must come through, and a date
//! kept only in XMP too. python3-piexif, python3-pil and exiftool come with
//! `cargo xtask setup --media` (which `./x test` runs); without them these
//! tests fail and say so.
#![cfg(not(target_arch = "wasm32"))]

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use pipeline::{Metadata, process};

fn pictures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    // Debian's python, which python3-piexif and python3-pil install into.
    let status = Command::new("/usr/bin/python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/exif_writers.py"))
        .arg(dir.path())
        .status()
        .expect("python3 is missing: `cargo xtask setup --media` installs it");
    assert!(
        status.success(),
        "exif_writers.py failed: piexif and Pillow come with `cargo xtask setup --media`"
    );
    dir
}

/// A copy of the plain picture with `arguments` written by exiftool.
fn exiftool(dir: &Path, name: &str, arguments: &[&str]) -> PathBuf {
    let path = dir.join(name);
    std::fs::copy(dir.join("plain.jpg"), &path).expect("a copy");
    let output = Command::new("exiftool")
        .args(["-quiet", "-overwrite_original"])
        .args(arguments)
        .arg(&path)
        .output()
        .expect("exiftool is missing: `cargo xtask setup --media` installs it");
    assert!(
        output.status.success(),
        "exiftool failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    path
}

fn read(path: &Path) -> (Metadata, (u32, u32)) {
    let bytes = std::fs::read(path).expect("the picture");
    let processed = process(&bytes).expect("processed");
    let web = processed.previews.expect("previews").web;
    (processed.metadata, (web.width, web.height))
}

#[test]
fn piexif_pillow_and_exiftool_exif_all_give_orientation_date_and_place() {
    let dir = pictures();
    let by_exiftool = exiftool(
        dir.path(),
        "exiftool.jpg",
        &[
            "-Orientation#=6",
            "-Make=Tester",
            "-Model=Writer 1",
            "-DateTimeOriginal=2019:08:01 14:30:00",
            "-OffsetTimeOriginal=+02:00",
            "-GPSLatitude=48.8577",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=2.2950",
            "-GPSLongitudeRef=E",
        ],
    );
    for path in [
        dir.path().join("piexif.jpg"),
        dir.path().join("pillow.jpg"),
        by_exiftool,
    ] {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (metadata, web) = read(&path);
        assert_eq!(metadata.orientation, 6, "{name}: orientation");
        assert_eq!(web, (320, 480), "{name}: the web view is turned upright");
        let taken = metadata
            .taken_at
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no date"));
        assert_eq!(taken.local, "2019-08-01T14:30:00", "{name}");
        let gps = metadata
            .gps
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no place"));
        assert!(
            (gps.latitude - 48.8577).abs() < 1e-3 && (gps.longitude - 2.2950).abs() < 1e-3,
            "{name}: {gps:?}"
        );
        assert_eq!(
            metadata.camera.as_deref(),
            Some("Tester Writer 1"),
            "{name}"
        );
    }
    let (metadata, _) = read(&dir.path().join("exiftool.jpg"));
    assert_eq!(
        metadata.taken_at.and_then(|taken| taken.offset).as_deref(),
        Some("+02:00")
    );
}

#[test]
fn a_date_kept_only_in_xmp_is_the_date() {
    let dir = pictures();
    let created = exiftool(
        dir.path(),
        "xmp-create.jpg",
        &["-XMP-xmp:CreateDate=2015:06:07 08:09:10+01:00"],
    );
    let (metadata, _) = read(&created);
    let taken = metadata.taken_at.expect("the XMP date");
    assert_eq!(
        (taken.local.as_str(), taken.offset.as_deref()),
        ("2015-06-07T08:09:10", Some("+01:00"))
    );
    assert_eq!(metadata.orientation, 1);

    let photoshop = exiftool(
        dir.path(),
        "xmp-photoshop.jpg",
        &["-XMP-photoshop:DateCreated=2014:03:02"],
    );
    let taken = read(&photoshop).0.taken_at.expect("the XMP date");
    assert_eq!(
        taken.local, "2014-03-02T12:00:00",
        "a day alone is its noon"
    );

    let (plain, _) = read(&dir.path().join("plain.jpg"));
    assert_eq!(plain.taken_at, None, "no metadata, no date");
}
