//! Colour: a Display P3 picture's previews must look like the picture, not
//! washed out. A field of saturated colours is tagged with a Display P3 ICC
//! profile and converted to sRGB by littleCMS (Pillow's ImageCms) at test time:
//! our web view is held to that reference, and must be far closer to it than
//! the unconverted numbers are; a CMYK JPEG is held to its conversion through
//! its CMYK profile the same way. Pillow comes with `cargo xtask setup --media`
//! (which `./x test` runs); without it these tests fail and say so.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use pipeline::process;
use support::wide_gamut::{psnr, rgb_of_png, wide_gamut_pictures};

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

/// A CMYK JPEG with its CMYK profile (a photo separated through Ghostscript's
/// SWOP profile by littleCMS, made at test time) is shown through that
/// profile: held to littleCMS's conversion to sRGB, and far closer to it than
/// the numbers turned to RGB without the profile. The profile comes with
/// `cargo xtask setup --media` (Debian's libgs-common).
#[test]
fn a_cmyk_jpeg_is_shown_through_its_profile() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = std::process::Command::new("/usr/bin/python3")
        .arg(root.join("tests/support/cmyk.py"))
        .arg(root.join("../../shared/photos/real/samsung_galaxy_s7edge_12mp_gps.jpg"))
        .arg(CMYK_PROFILE)
        .arg(dir.path())
        .status()
        .expect("python3 is missing: `cargo xtask setup --media` installs it with Pillow");
    assert!(
        status.success(),
        "cmyk.py failed: it needs Pillow, the photo corpus and {CMYK_PROFILE} (`cargo xtask setup --media`)"
    );
    let bytes = std::fs::read(dir.path().join("cmyk.jpg")).expect("the CMYK JPEG");
    let web = process(&bytes)
        .expect("processed")
        .previews
        .expect("previews")
        .web;
    assert_eq!((web.width, web.height), (480, 320));
    let ours = psnr(&web, &rgb_of_png(&dir.path().join("srgb_reference.png")));
    let unmanaged = psnr(&web, &rgb_of_png(&dir.path().join("unmanaged.png")));
    eprintln!("CMYK: {ours:.1} dB from littleCMS's sRGB, {unmanaged:.1} dB from the unmanaged RGB");
    // 51 dB when written: the two colour engines' rounding.
    assert!(ours >= 45.0, "{ours:.1} dB from the reference");
    assert!(
        ours > unmanaged + 5.0,
        "through the profile ({ours:.1} dB) is no closer to the reference than without ({unmanaged:.1} dB)"
    );
}

/// Ghostscript's CMYK profile (SWOP), from Debian's libgs-common.
const CMYK_PROFILE: &str = "/usr/share/color/icc/ghostscript/default_cmyk.icc";
