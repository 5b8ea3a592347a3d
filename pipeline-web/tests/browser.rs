//! The bindings in headless Chromium, as the upload worker will call them.
#![cfg(target_arch = "wasm32")]

use pipeline_web::{PhotoHasher, memory_bytes, previews_from_rgba};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn hashing_in_chunks_gives_the_photo_id() {
    let bytes: Vec<u8> = (0..1_000_003u32).map(|i| (i % 251) as u8).collect();
    let mut hasher = PhotoHasher::new();
    for chunk in bytes.chunks(65_536) {
        hasher.update(chunk);
    }
    assert_eq!(hasher.finish(), pipeline::photo_id(&bytes));
}

#[wasm_bindgen_test]
fn pixels_the_browser_decoded_become_previews() {
    let previews = previews_from_rgba(1200, 900, vec![200; 1200 * 900 * 4]).expect("previews");
    let thumb = js_sys::Reflect::get(&previews, &"thumb".into()).expect("thumb");
    let width = js_sys::Reflect::get(&thumb, &"width".into()).expect("width");
    assert_eq!(width, JsValue::from(400));
    assert!(memory_bytes() > 1_200.0 * 900.0 * 4.0);
}

#[wasm_bindgen_test]
fn a_buffer_that_does_not_match_its_size_is_an_error_not_a_crash() {
    assert!(previews_from_rgba(1200, 900, vec![0; 16]).is_err());
}
