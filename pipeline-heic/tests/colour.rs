//! Colour: an iPhone's HEIC is Display P3, and must not look washed out. The
//! field of saturated colours `pipeline/tests/support/wide_gamut.py` makes (with its
//! littleCMS reference in sRGB) is encoded to a HEIC by libheif's `heif-enc`,
//! keeping its Display P3 profile; our decoder's web view is held to the
//! reference. Pillow and heif-enc come with `cargo xtask setup --media` (which
//! `./x test` runs); without them this test fails and says so.

#[path = "../../pipeline/tests/support/wide_gamut.rs"]
mod wide_gamut;

use std::process::Command;

use wide_gamut::{psnr, rgb_of_png, wide_gamut_pictures};

#[test]
fn a_display_p3_heic_is_shown_in_its_true_colours() {
    let dir = wide_gamut_pictures();
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
