//! Colour: a Display P3 picture's previews must look like the picture, not
//! washed out. A field of saturated colours is tagged with a Display P3 ICC
//! profile and converted to sRGB by littleCMS (Pillow's ImageCms) at test time:
//! our web view is held to that reference, and must be far closer to it than
//! the unconverted numbers are. Pillow comes with `cargo xtask setup --media`
//! (which `./x test` runs); without it these tests fail and say so.
#![cfg(not(target_arch = "wasm32"))]

use std::{path::Path, process::Command};

use pipeline::{Pixels, process};

/// Pictures made by `wide_gamut.py` in a fresh folder, with a Display P3
/// profile (moxcms's own, written as ICC).
fn wide_gamut_pictures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("p3.icc"), display_p3_icc()).expect("the profile written");
    // Debian's python, which python3-pil installs into (not a pyenv or venv
    // python that may come first on PATH).
    let status = Command::new("/usr/bin/python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wide_gamut.py"))
        .arg(dir.path().join("p3.icc"))
        .arg(dir.path())
        .status()
        .expect("python3 is missing: `cargo xtask setup --media` installs it with Pillow");
    assert!(
        status.success(),
        "wide_gamut.py failed: Pillow (python3-pil) comes with `cargo xtask setup --media`"
    );
    dir
}

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
fn a_display_p3_picture_is_shown_in_its_true_colours() {
    let dir = wide_gamut_pictures();
    let reference = rgb_of_png(&dir.path().join("srgb_reference.png"));
    let unconverted = rgb_of_png(&dir.path().join("unconverted.png"));
    // Lossless PNG: only the two colour engines' rounding differs.
    // JPEG at quality 100, 4:4:4: and its compression.
    for (name, at_least) in [("wide.png", 50.0), ("wide.jpg", 42.0)] {
        let bytes = std::fs::read(dir.path().join(name)).expect("the picture");
        let processed = process(&bytes).expect("processed");
        let web = processed.previews.expect("previews").web;
        assert_eq!((web.width, web.height), (480, 320), "{name}: not resized");
        let ours = psnr(&web, &reference);
        let washed_out = psnr(&web, &unconverted);
        eprintln!(
            "{name}: {ours:.1} dB from littleCMS's sRGB, {washed_out:.1} dB from the unconverted numbers"
        );
        assert!(
            ours >= at_least,
            "{name}: {ours:.1} dB from the reference, want {at_least}"
        );
        assert!(
            ours > washed_out + 10.0,
            "{name}: converted ({ours:.1} dB) is no closer to the reference than unconverted ({washed_out:.1} dB)"
        );
    }
}

#[test]
fn an_srgb_picture_is_left_as_it_is() {
    let dir = wide_gamut_pictures();
    let unconverted = rgb_of_png(&dir.path().join("unconverted.png"));
    // The same field, tagged sRGB: shown as its numbers say.
    let field = image::open(dir.path().join("unconverted.png")).expect("the field");
    let mut png = Vec::new();
    let mut encoder = image::codecs::png::PngEncoder::new(&mut png);
    image::ImageEncoder::set_icc_profile(
        &mut encoder,
        moxcms::ColorProfile::new_srgb()
            .encode()
            .expect("an sRGB ICC profile"),
    )
    .expect("a PNG takes a profile");
    image::ImageEncoder::write_image(
        encoder,
        field.as_bytes(),
        field.width(),
        field.height(),
        image::ExtendedColorType::Rgb8,
    )
    .expect("encoded");
    let web = process(&png)
        .expect("processed")
        .previews
        .expect("previews")
        .web;
    assert!(psnr(&web, &unconverted) > 60.0, "the numbers are kept");
}
