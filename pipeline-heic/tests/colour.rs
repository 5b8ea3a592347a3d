//! Colour: an iPhone's HEIC is Display P3, and must not look washed out. The
//! field of saturated colours `pipeline/tests/wide_gamut.py` makes (with its
//! littleCMS reference in sRGB) is encoded to a HEIC by libheif's `heif-enc`,
//! keeping its Display P3 profile; our decoder's web view is held to the
//! reference. Pillow and heif-enc come with `cargo xtask setup --media` (which
//! `./x test` runs); without them this test fails and says so.

use std::{path::Path, process::Command};

use pipeline::Pixels;

/// A Display P3 ICC profile (moxcms's), padded to a 4-byte boundary as ICC
/// profiles must be (libpng drops one that is not; moxcms's encoder leaves
/// the padding out).
fn display_p3_icc() -> Vec<u8> {
    let mut icc = moxcms::ColorProfile::new_display_p3()
        .encode()
        .expect("a Display P3 ICC profile");
    icc.resize(icc.len().next_multiple_of(4), 0);
    let size = u32::try_from(icc.len()).expect("a small profile");
    icc[..4].copy_from_slice(&size.to_be_bytes());
    icc
}

fn rgb_of_png(path: &Path) -> Vec<u8> {
    image::open(path)
        .expect("a reference PNG")
        .to_rgb8()
        .into_raw()
}

/// Peak signal-to-noise ratio over RGB (alpha dropped from `ours`), in dB.
fn psnr(ours: &Pixels, reference: &[u8]) -> f64 {
    let rgb: Vec<u8> = ours
        .rgba
        .chunks(4)
        .flat_map(|pixel| pixel[..3].to_vec())
        .collect();
    assert_eq!(rgb.len(), reference.len(), "the same size");
    let squared: f64 = rgb
        .iter()
        .zip(reference)
        .map(|(a, b)| (f64::from(*a) - f64::from(*b)).powi(2))
        .sum();
    let mse = squared / rgb.len() as f64;
    10.0 * (255.0_f64.powi(2) / mse.max(1e-9)).log10()
}

#[test]
fn a_display_p3_heic_is_shown_in_its_true_colours() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("p3.icc"), display_p3_icc()).expect("the profile written");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pipeline/tests/wide_gamut.py");
    // Debian's python, which python3-pil installs into.
    let made = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(dir.path().join("p3.icc"))
        .arg(dir.path())
        .status()
        .expect("python3 is missing: `cargo xtask setup --media` installs it with Pillow");
    assert!(
        made.success(),
        "wide_gamut.py failed: Pillow comes with `cargo xtask setup --media`"
    );
    let heic = dir.path().join("wide.heic");
    // Near-lossless 4:4:4, so the comparison measures colour, not compression.
    let encoded = Command::new("heif-enc")
        .args(["--quality", "100", "-p", "chroma=444"])
        .arg(dir.path().join("wide.png"))
        .arg("-o")
        .arg(&heic)
        .output()
        .expect("heif-enc is missing: `cargo xtask setup --media` installs libheif-examples");
    assert!(
        encoded.status.success(),
        "heif-enc failed: {}",
        String::from_utf8_lossy(&encoded.stderr)
    );

    let bytes = std::fs::read(&heic).expect("the HEIC");
    let decoded = pipeline::heic::previews(&bytes).expect("decoded");
    let web = decoded.previews.web;
    assert_eq!((web.width, web.height), (480, 320));
    let ours = psnr(&web, &rgb_of_png(&dir.path().join("srgb_reference.png")));
    let washed_out = psnr(&web, &rgb_of_png(&dir.path().join("unconverted.png")));
    eprintln!(
        "wide.heic: {ours:.1} dB from littleCMS's sRGB, {washed_out:.1} dB from the unconverted numbers"
    );
    assert!(ours >= 44.0, "{ours:.1} dB from the reference");
    assert!(
        ours > washed_out + 10.0,
        "converted ({ours:.1} dB) is no closer to the reference than unconverted ({washed_out:.1} dB)"
    );
}
