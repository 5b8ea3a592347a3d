//! Camera RAWs developed natively from their sensor data: the corpus's real
//! DNG (a colour chart, with no embedded preview) against the reference
//! develop of a trusted tool, dcraw, made at test time; stripped RAWs refused
//! with a reason. Outside CI a missing corpus skips with a message; in CI
//! (`CI=true`) it fails. dcraw comes with `cargo xtask setup --media`.

use std::{path::PathBuf, process::Command};

use pipeline::{PipelineError, raw::develop};

fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/photos");
    if root.join("MANIFEST.tsv").exists() {
        return Some(root);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the photo corpus must be at ../shared/photos in CI"
    );
    eprintln!("skipping: no photo corpus at {}", root.display());
    None
}

/// dcraw's develop of `raw` at half size, as ours is: camera white balance,
/// sRGB primaries and the sRGB tone curve, no auto-brightening. RGB, row by row.
fn dcraw_half_size(raw: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let output = Command::new("dcraw")
        .args([
            "-h", "-w", "-W", "-o", "1", "-g", "2.4", "12.92", "-T", "-c",
        ])
        .arg(raw)
        .output()
        .expect("dcraw is missing: `cargo xtask setup --media` installs it");
    assert!(output.status.success(), "dcraw failed on {}", raw.display());
    let picture = image::load_from_memory(&output.stdout)
        .expect("dcraw's TIFF")
        .to_rgb8();
    (picture.width(), picture.height(), picture.into_raw())
}

fn psnr(ours: &[u8], reference: &[u8]) -> f64 {
    assert_eq!(ours.len(), reference.len());
    let squared: f64 = ours
        .iter()
        .zip(reference)
        .map(|(a, b)| (f64::from(*a) - f64::from(*b)).powi(2))
        .sum();
    let mse = squared / ours.len() as f64;
    10.0 * (255.0 * 255.0 / mse.max(1e-9)).log10()
}

#[test]
fn a_dng_without_a_preview_develops_to_the_colours_dcraw_gives() {
    let Some(root) = corpus() else { return };
    let path = root.join("formats/raw_canon_eos_kiss_x4.dng");
    let bytes = std::fs::read(&path).expect("the DNG");
    let developed = develop::previews(&bytes).expect("the DNG develops");

    // Half the sensor's default crop (1734×1156), as dcraw's half size is.
    let (width, height, reference) = dcraw_half_size(&path);
    assert_eq!((width, height), (867, 578));
    // The photo's own size is the sensor's default crop.
    assert_eq!((developed.width, developed.height), (1734, 1156));
    let web = &developed.previews.web;
    assert_eq!((web.width, web.height), (width, height));
    let rgb: Vec<u8> = web
        .rgba
        .chunks(4)
        .flat_map(|pixel| [pixel[0], pixel[1], pixel[2]])
        .collect();
    let score = psnr(&rgb, &reference);
    eprintln!("PSNR against dcraw: {score:.1} dB");
    // 53 dB when written: the same picture, to rounding. Without white
    // balance gains normalised to 1 it was 20 dB (much darker).
    assert!(score > 40.0, "PSNR {score:.1} dB against dcraw's develop");
    assert_eq!(developed.previews.thumb.width, pipeline::THUMB_WIDTH);
}

/// (rawler panics on some other stripped or cut-off files, the NEF, RW2 and
/// RAF stubs here: in the browser that traps the worker's wasm, which answers
/// with the camera's preview if any and is replaced; `e2e/formats.test.mjs`.)
/// A RAW shot holding the camera upright (EXIF orientation 6, written into
/// the DNG with exiftool at test time) is developed upright.
#[test]
fn a_raw_shot_upright_is_developed_upright() {
    let Some(root) = corpus() else { return };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("upright.dng");
    std::fs::copy(root.join("formats/raw_canon_eos_kiss_x4.dng"), &path).expect("a copy");
    let status = Command::new("exiftool")
        .args(["-q", "-overwrite_original", "-Orientation#=6"])
        .arg(&path)
        .status()
        .expect("exiftool is missing: `cargo xtask setup --media` installs it");
    assert!(status.success(), "exiftool could not turn the DNG");
    let developed = develop::previews(&std::fs::read(&path).expect("the DNG")).expect("develops");
    assert_eq!((developed.width, developed.height), (1156, 1734));
    let web = &developed.previews.web;
    assert_eq!((web.width, web.height), (578, 867));
}

#[test]
fn raws_whose_sensor_data_was_stripped_are_refused_with_a_reason() {
    let Some(root) = corpus() else { return };
    for name in ["raw_canon_stub.cr2", "raw_canon_stub.cr3"] {
        let bytes = std::fs::read(root.join("formats").join(name)).expect(name);
        match develop::previews(&bytes) {
            Err(PipelineError::Decode(why)) => eprintln!("{name}: {why}"),
            other => panic!("{name}: expected a refusal, got {other:?}"),
        }
    }
}

#[test]
fn a_picture_that_is_not_a_raw_is_refused() {
    let Some(root) = corpus() else { return };
    let bytes = std::fs::read(root.join("formats/jpeg_progressive_cat.jpg")).expect("a JPEG");
    assert!(matches!(
        develop::previews(&bytes),
        Err(PipelineError::Decode(_))
    ));
}

#[test]
fn only_raws_without_a_preview_as_big_as_the_web_view_are_sent_to_develop() {
    let Some(root) = corpus() else { return };
    let processed = |name: &str| {
        let bytes = std::fs::read(root.join("formats").join(name)).expect(name);
        pipeline::process(&bytes).expect(name)
    };
    // No preview at all.
    assert!(processed("raw_canon_eos_kiss_x4.dng").develop);
    // A camera preview smaller than the web view: kept, and developing tried.
    let fujifilm = processed("raw_fujifilm_stub.raf");
    assert!(fujifilm.previews.is_ok() && fujifilm.develop);
    // Not RAWs, however small: a JPEG named .nef, a TIFF.
    assert!(!processed("jpeg_named_as_nef.nef").develop);
    assert!(!processed("tiff_rgb_16bit.tiff").develop);
}
