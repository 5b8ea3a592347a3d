//! The shared photo corpus (`../shared/photos`, see its MANIFEST.tsv) through the
//! pipeline, natively. Outside CI a missing corpus skips with a message; in CI
//! (`CI=true`) it fails.

use std::{collections::HashMap, path::PathBuf};

use pipeline::{Format, NoPreview, PipelineError, metadata::parse_exif_datetime, process};

/// Files with a GPS IFD but no fix in it: zeros at 0°, 0° (FLIR, Samsung Galaxy
/// S), or 0/0 rationals with GPSStatus "V" (void, Leica). The manifest counts the
/// IFD; a place is only reported for a real fix.
const NO_FIX: [&str; 3] = [
    "real/flir_vue_pro_thermal_gps.jpg",
    "real/leica_t_orient8_gps.jpg",
    "real/samsung_galaxy_s_orient6_gps.jpg",
];

struct Entry {
    path: String,
    sha256: String,
    width: u32,
    height: u32,
    orientation: u8,
    datetime: String,
    has_gps: bool,
}

fn corpus() -> Option<(PathBuf, Vec<Entry>)> {
    let root = manifest_dir().join("../../shared/photos");
    let manifest = match std::fs::read_to_string(root.join("MANIFEST.tsv")) {
        Ok(text) => text,
        Err(error) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "the photo corpus must be at ../shared/photos in CI: {error}"
            );
            eprintln!("skipping: no photo corpus at {} ({error})", root.display());
            return None;
        }
    };
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (path, sha, width, height, orientation, datetime, gps) = (
        column("path"),
        column("sha256"),
        column("width"),
        column("height"),
        column("exif_orientation"),
        column("exif_datetime_original"),
        column("has_gps"),
    );
    let entries = lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            Entry {
                path: cells[path].to_owned(),
                sha256: cells[sha].to_owned(),
                width: cells[width].parse().unwrap_or(0),
                height: cells[height].parse().unwrap_or(0),
                orientation: cells[orientation].parse().unwrap_or(0),
                datetime: cells[datetime].to_owned(),
                has_gps: cells[gps] == "yes",
            }
        })
        .collect();
    Some((root, entries))
}

fn read(root: &std::path::Path, entry: &Entry) -> Vec<u8> {
    std::fs::read(root.join(&entry.path)).expect(&entry.path)
}

#[test]
fn every_real_photo_previews_upright_with_its_date_and_place() {
    let Some((root, entries)) = corpus() else {
        return;
    };
    let mut checked = 0;
    for entry in entries.iter().filter(|e| e.path.starts_with("real/")) {
        let bytes = read(&root, entry);
        let name = &entry.path;
        assert_eq!(
            pipeline::photo_id(&bytes),
            entry.sha256,
            "{name}: id is the SHA-256"
        );
        let processed = process(&bytes).unwrap_or_else(|error| panic!("{name}: {error}"));
        let previews = processed
            .previews
            .unwrap_or_else(|why| panic!("{name}: no preview: {why:?}"));

        let (upright_w, upright_h) = if matches!(entry.orientation, 5..=8) {
            (entry.height, entry.width)
        } else {
            (entry.width, entry.height)
        };
        assert_eq!(
            processed.size,
            Some((upright_w, upright_h)),
            "{name}: the original's upright size"
        );
        assert!(
            previews.web.width.max(previews.web.height) <= 2048,
            "{name}"
        );
        assert_eq!(
            previews.thumb.width,
            previews.web.width.min(400),
            "{name}: thumbnail width"
        );
        let want = f64::from(upright_w) / f64::from(upright_h);
        let got = f64::from(previews.thumb.width) / f64::from(previews.thumb.height);
        let tolerance = 1.5 / f64::from(previews.thumb.height.min(previews.thumb.width));
        assert!(
            (want - got).abs() / want <= tolerance.max(0.01),
            "{name}: thumbnail {}x{} is not upright {upright_w}x{upright_h}",
            previews.thumb.width,
            previews.thumb.height
        );
        assert_eq!(
            previews.thumb.rgba.len(),
            (previews.thumb.width * previews.thumb.height * 4) as usize
        );

        let expected_date = parse_exif_datetime(&entry.datetime);
        let date = processed
            .metadata
            .taken_at
            .as_ref()
            .map(|t| t.local.clone());
        if expected_date.is_some() {
            assert_eq!(date, expected_date, "{name}: date");
        } else {
            assert!(
                date.is_none() || entry.datetime.is_empty(),
                "{name}: {date:?} from {:?}",
                entry.datetime
            );
        }
        let expect_gps = entry.has_gps && !NO_FIX.contains(&name.as_str());
        assert_eq!(processed.metadata.gps.is_some(), expect_gps, "{name}: GPS");
        checked += 1;
    }
    assert_eq!(checked, 44, "every real photo was checked");
}

#[test]
fn broken_files_end_in_a_clean_error_or_a_partial_image() {
    let Some((root, entries)) = corpus() else {
        return;
    };
    let mut outcomes = HashMap::new();
    for entry in entries.iter().filter(|e| e.path.starts_with("broken/")) {
        let bytes = read(&root, entry);
        let outcome = process(&bytes);
        outcomes.insert(entry.path.clone(), outcome);
    }
    assert_eq!(outcomes.len(), 32);
    let outcome = |name: &str| {
        outcomes
            .get(name)
            .unwrap_or_else(|| panic!("{name} is in the corpus"))
    };
    assert!(matches!(
        outcome("broken/jpeg_empty_0_bytes.jpg"),
        Err(PipelineError::Empty)
    ));
    assert!(matches!(
        outcome("broken/jpeg_max_size_65535x65535.jpg"),
        Err(PipelineError::TooLarge {
            width: 65535,
            height: 65535
        })
    ));
    assert!(matches!(
        outcome("broken/jpeg_null_height.jpg"),
        Err(PipelineError::NoPixels { .. } | PipelineError::Decode(_))
    ));
    // Tiny files declaring big frames: at most a partial image of the declared size.
    for bomb in [
        "broken/jpeg_613b_declares_193x31423.jpg",
        "broken/jpeg_613b_declares_2820x3077.jpg",
    ] {
        if let Ok(processed) = outcome(bomb) {
            let web = &processed.previews.as_ref().expect("a partial image").web;
            assert!(web.width.max(web.height) <= 2048, "{bomb}");
        }
    }
    // Malformed EXIF never stops the picture.
    for name in [
        "broken/exif_bad_gps_ifd.jpg",
        "broken/exif_invalid_header.jpg",
        "broken/exif_type_error.jpg",
        "broken/exif_zero_length_string_gps.jpg",
    ] {
        let processed = outcome(name)
            .as_ref()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(processed.previews.is_ok(), "{name}");
    }
    let bad_gps = outcome("broken/exif_bad_gps_ifd.jpg")
        .as_ref()
        .expect("decodes");
    assert_eq!(
        bad_gps.metadata.gps, None,
        "a malformed GPS IFD yields no place"
    );
    for (name, result) in &outcomes {
        eprintln!(
            "{name}: {}",
            match result {
                Ok(p) => format!("ok ({:?}, preview: {})", p.format, p.previews.is_ok()),
                Err(e) => format!("error: {e}"),
            }
        );
    }
}

#[test]
fn other_formats_preview_or_say_why_not() {
    let Some((root, entries)) = corpus() else {
        return;
    };
    for entry in entries.iter().filter(|e| e.path.starts_with("formats/")) {
        let bytes = read(&root, entry);
        let name = &entry.path;
        let outcome = process(&bytes);
        let summary = match &outcome {
            Ok(p) => format!(
                "{:?} {:?}",
                p.format,
                p.previews.as_ref().map(|v| (v.web.width, v.web.height))
            ),
            Err(e) => format!("error: {e}"),
        };
        eprintln!("{name}: {summary}");
        let expect_preview = |format: Format| {
            let processed = outcome.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(processed.format, format, "{name}");
            assert!(processed.previews.is_ok(), "{name}: {summary}");
        };
        let file = name.trim_start_matches("formats/");
        match file.split(['_', '.']).next().unwrap_or_default() {
            "png" | "apng" => expect_preview(Format::Png),
            "gif" => expect_preview(Format::Gif),
            "webp" => expect_preview(Format::Webp),
            "tiff" => expect_preview(Format::Tiff),
            "heic" | "heif" | "avif" => {
                let processed = outcome.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    processed.previews.as_ref().err(),
                    Some(&NoPreview::NeedsBrowserDecoder),
                    "{name}"
                );
            }
            _ => {}
        }
        if file == "jpeg_named_as_nef.nef"
            || file.starts_with("jpeg_lossless")
            || file.starts_with("jpeg_12bit")
            || file.starts_with("jpeg_progressive")
            || file.starts_with("jpeg_cmyk")
        {
            expect_preview(Format::Jpeg);
        }
    }
}

/// iPhones name each shot in Apple's maker note with the content identifier a
/// Live Photo's video shares (tag 0x11); the index pairs the two by it.
/// These are the values in the corpus's iPhone files, HEIC and JPEG alike.
#[test]
fn iphone_photos_give_their_live_photo_identifier() {
    let Some((root, entries)) = corpus() else {
        return;
    };
    let expected = [
        (
            "formats/heic_iphone11pro.heic",
            Some("1745E022-9712-43C7-B024-F308EC6413CB"),
        ),
        (
            "formats/heic_exif_at_eof.heic",
            Some("1745E022-9712-43C7-B024-F308EC6413CB"),
        ),
        (
            "formats/heic_iphone11promax_gps.heic",
            Some("570F1469-09C7-4E50-9875-05F21D5BD166"),
        ),
        // Not Live Photos: their notes hold other identifiers (tags 0x20 and
        // 0x2b, one shot's capture request and more), which pair nothing.
        ("formats/heic_iphone13promax_orient6.heic", None),
        ("real/apple_iphone_xr_1x1_gps.jpg", None),
        // Older iPhones wrote no maker note at all.
        ("real/apple_iphone5_orient3_gps.jpg", None),
    ];
    for (path, id) in expected {
        let entry = entries
            .iter()
            .find(|entry| entry.path == path)
            .unwrap_or_else(|| panic!("{path} is in the manifest"));
        let metadata = pipeline::metadata::read(&read(&root, entry));
        assert_eq!(metadata.live_id.as_deref(), id, "{path}");
    }
}

/// Mean absolute difference of two same-sized RGBA images, 0–255.
fn difference(a: &pipeline::Pixels, b: &pipeline::Pixels) -> f64 {
    assert_eq!((a.width, a.height), (b.width, b.height));
    let total: u64 = a
        .rgba
        .iter()
        .zip(&b.rgba)
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    total as f64 / a.rgba.len() as f64
}

/// A 12-bit lossy JPEG (libjpeg-turbo's test image) against a second,
/// independent decoder of them, `j2k-jpeg`: the same picture, to within the
/// rounding of two IDCTs and our resize's 16-bit path.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[test]
fn a_12_bit_jpeg_looks_as_another_decoder_reads_it() {
    let Some((root, _)) = corpus() else { return };
    let bytes = std::fs::read(root.join("formats/jpeg_12bit.jpg")).expect("the JPEG");
    let web = process(&bytes)
        .expect("processed")
        .previews
        .expect("previews")
        .web;
    let decoder = j2k_jpeg::Decoder::new(&bytes).expect("a JPEG j2k-jpeg reads");
    let (rgb16, outcome) = decoder
        .decode_request(j2k_jpeg::DecodeRequest::full(j2k_jpeg::PixelFormat::Rgb16))
        .expect("decoded by j2k-jpeg");
    let rgba = rgb16
        .as_chunks::<6>()
        .0
        .iter()
        .flat_map(|pixel| {
            let channel = |at: usize| {
                let sample = u32::from(u16::from_ne_bytes([pixel[at], pixel[at + 1]]));
                (sample * 255 / 4095) as u8
            };
            [channel(0), channel(2), channel(4), 255]
        })
        .collect();
    let reference = pipeline::Pixels {
        width: outcome.decoded.w,
        height: outcome.decoded.h,
        rgba,
    };
    assert_eq!((web.width, web.height), (149, 227));
    let mean = difference(&web, &reference);
    eprintln!("mean difference from j2k-jpeg: {mean:.2}");
    assert!(mean < 2.0, "mean difference from j2k-jpeg: {mean:.2}");
}

/// A JPEG-compressed YCbCr TIFF (`image` refuses its colour type; `tiff`
/// reads it as coded and the pipeline turns it to RGB) against Pillow's
/// decoding of it (libtiff and libjpeg), made at test time.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_jpeg_compressed_ycbcr_tiff_looks_as_pillow_decodes_it() {
    let Some((root, _)) = corpus() else { return };
    let path = root.join("formats/tiff_ycbcr_jpeg.tif");
    let web = process(&std::fs::read(&path).expect("the TIFF"))
        .expect("processed")
        .previews
        .expect("previews")
        .web;
    let reference = tempfile::tempdir().expect("a temporary folder");
    let png = reference.path().join("reference.png");
    // Debian's python, which python3-pil installs into.
    let status = std::process::Command::new("/usr/bin/python3")
        .args([
            "-c",
            "import sys; from PIL import Image; Image.open(sys.argv[1]).convert('RGB').save(sys.argv[2])",
        ])
        .arg(&path)
        .arg(&png)
        .status()
        .expect("python3 is missing: `cargo xtask setup --media` installs it with Pillow");
    assert!(status.success(), "Pillow could not decode the TIFF");
    let reference = image::open(&png).expect("Pillow's PNG").to_rgba8();
    let reference = pipeline::Pixels {
        width: reference.width(),
        height: reference.height(),
        rgba: reference.into_raw(),
    };
    let mean = difference(&web, &reference);
    eprintln!("mean difference from Pillow: {mean:.2}");
    // 0.11 of 255 when written: the IDCTs and upsampling round differently.
    assert!(mean < 2.0, "mean difference from Pillow: {mean:.2}");
}

#[test]
fn all_eight_orientations_come_out_as_the_same_upright_picture() {
    let Some((root, _)) = corpus() else { return };
    for shape in ["landscape", "portrait"] {
        let thumb = |n: u8| {
            let path = root.join(format!("real/orient_{shape}_{n}.jpg"));
            let bytes = std::fs::read(&path).expect("corpus file");
            process(&bytes)
                .expect("decodes")
                .previews
                .expect("previews")
                .thumb
        };
        let upright = thumb(1);
        for n in 2..=8 {
            let candidate = thumb(n);
            let off = difference(&upright, &candidate);
            assert!(
                off < 6.0,
                "orient_{shape}_{n} differs from _1 by {off:.1} per channel"
            );
        }
        // The check can fail: the same picture turned the wrong way is far off.
        let mut turned = upright.clone();
        turned.rgba.reverse();
        assert!(difference(&upright, &turned) > 20.0);
    }
}

/// This crate's folder. Read when the test runs (`cargo test` sets it), not baked
/// in when it was built: clones share one target dir, and a binary built from
/// another clone would name that clone's folder.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}
