//! Ultra HDR and other gain-map JPEGs (Android 14+, recent iPhones): a
//! standard JPEG, the SDR picture, with a gain map appended as a second JPEG
//! that a Multi-Picture Format (MPF) index points to. The previews must be the
//! SDR picture, not the gain map, and the file must not pass for a motion
//! photo. Made at test time by Pillow (its MPO writer: the MPF index and the
//! appended picture), which `cargo xtask setup --media` installs.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;

use pipeline::{Format, process};

#[test]
fn a_gain_map_jpeg_shows_its_sdr_picture() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("PXL_ultra_hdr.jpg");
    // The SDR picture is red; the gain map white and half its size.
    let script = format!(
        "from PIL import Image\n\
         base = Image.new('RGB', (480, 320), (200, 40, 40))\n\
         gain_map = Image.new('RGB', (240, 160), (255, 255, 255))\n\
         base.save({path:?}, format='MPO', save_all=True, append_images=[gain_map], quality=95)\n",
        path = path.to_string_lossy()
    );
    // Debian's python, which python3-pil installs into.
    let status = Command::new("/usr/bin/python3")
        .args(["-c", &script])
        .status()
        .expect("python3 is missing: `cargo xtask setup --media` installs it with Pillow");
    assert!(status.success(), "Pillow made no gain-map JPEG");
    let bytes = std::fs::read(&path).expect("the picture");
    assert!(
        bytes.windows(4).any(|window| window == b"MPF\0"),
        "the file has its MPF index"
    );

    let processed = process(&bytes).expect("processed");
    assert_eq!(processed.format, Format::Jpeg);
    assert_eq!(processed.size, Some((480, 320)), "the SDR picture's size");
    assert_eq!(
        processed.motion, None,
        "a gain map is not a motion photo's clip"
    );
    let web = processed.previews.expect("previews").web;
    assert_eq!((web.width, web.height), (480, 320));
    let middle = ((160 * 480 + 240) * 4) as usize;
    let [red, green, blue] = [web.rgba[middle], web.rgba[middle + 1], web.rgba[middle + 2]];
    assert!(
        red > 180 && green < 70 && blue < 70,
        "the SDR picture's red, not the gain map's white: {red},{green},{blue}"
    );
}
