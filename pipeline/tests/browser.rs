//! The pipeline in a real browser (headless Chromium through wasm-bindgen-test):
//! the same code the upload worker runs, on real files from the shared corpus,
//! within wasm's memory.
#![cfg(all(target_arch = "wasm32", photo_corpus))]

use pipeline::{Format, NoPreview, PipelineError, process};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! photo {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/photos/",
            $name
        ))
    };
}

#[wasm_bindgen_test]
fn a_phone_photo_taken_sideways_comes_out_upright_with_its_date() {
    // 2576x1932 as stored, EXIF orientation 6.
    let processed = process(photo!("real/samsung_j3_orient6.jpg")).expect("decodes");
    let previews = processed.previews.expect("previews");
    assert_eq!((previews.web.width, previews.web.height), (1536, 2048));
    assert_eq!((previews.thumb.width, previews.thumb.height), (400, 533));
    let taken = processed.metadata.taken_at.expect("a date");
    assert_eq!(taken.local, "2019-09-26T16:38:00");
}

#[wasm_bindgen_test]
fn a_33_megapixel_photo_fits_in_wasm_memory() {
    let processed = process(photo!("formats/jpeg_33mp_7680x4320.jpg")).expect("decodes");
    let web = processed.previews.expect("previews").web;
    assert_eq!((web.width, web.height), (2048, 1152));
}

#[wasm_bindgen_test]
fn a_header_declaring_65535_squared_is_refused_before_decoding() {
    let error = process(photo!("broken/jpeg_max_size_65535x65535.jpg")).expect_err("refused");
    assert_eq!(
        error,
        PipelineError::TooLarge {
            width: 65535,
            height: 65535
        }
    );
}

#[wasm_bindgen_test]
fn a_truncated_photo_still_gives_a_picture() {
    let processed = process(photo!("broken/jpeg_truncated_sony_xperia_4k.jpg")).expect("partial");
    let web = processed.previews.expect("a partial image").web;
    assert_eq!((web.width, web.height), (2048, 1152));
}

#[wasm_bindgen_test]
fn heic_is_kept_without_a_preview_and_its_date_is_read() {
    let processed = process(photo!("formats/heic_iphone13promax_orient6.heic")).expect("kept");
    assert_eq!(processed.format, Format::Heif);
    assert_eq!(
        processed.previews.err(),
        Some(NoPreview::NeedsBrowserDecoder)
    );
    assert_eq!(processed.metadata.orientation, 6);
}

#[wasm_bindgen_test]
fn webp_png_gif_and_a_jpeg_named_nef_all_preview() {
    for (bytes, format) in [
        (
            &photo!("formats/webp_lossy_nikon_p7000.webp")[..],
            Format::Webp,
        ),
        (&photo!("formats/png_16bit_icc_monkey.png")[..], Format::Png),
        (
            &photo!("formats/gif_animated_interlaced.gif")[..],
            Format::Gif,
        ),
        (&photo!("formats/jpeg_named_as_nef.nef")[..], Format::Jpeg),
    ] {
        let processed = process(bytes).expect("decodes");
        assert_eq!(processed.format, format);
        assert!(processed.previews.is_ok(), "{format:?}");
    }
}
