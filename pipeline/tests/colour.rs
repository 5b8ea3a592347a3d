//! Colour: a Display P3 picture's previews must look like the picture, not
//! washed out. A field of saturated colours is tagged with a Display P3 ICC
//! profile and converted to sRGB by littleCMS (Pillow's ImageCms) at test time:
//! our web view is held to that reference, and must be far closer to it than
//! the unconverted numbers are. Pillow comes with `cargo xtask setup --media`
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
