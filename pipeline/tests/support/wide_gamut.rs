//! The wide-gamut test pictures and how close a preview is to their
//! reference: shared by `pipeline`'s colour test and `pipeline-heic`'s (which
//! includes this file by path: it has the HEIC decoder, this crate's tests do
//! not).

use std::{path::Path, process::Command};

use pipeline::Pixels;

/// Pictures made by `wide_gamut.py` in a fresh folder, with a Display P3
/// profile (moxcms's own, written as ICC).
pub fn wide_gamut_pictures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("p3.icc"), display_p3_icc()).expect("the profile written");
    // Debian's python, which python3-pil installs into (not a pyenv or venv
    // python that may come first on PATH).
    let status = Command::new("/usr/bin/python3")
        // `file!()` is this file's path from the workspace's root, the parent
        // of either crate that includes it.
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(file!())
                .with_file_name("wide_gamut.py"),
        )
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

pub fn rgb_of_png(path: &Path) -> Vec<u8> {
    image::open(path)
        .expect("a reference PNG")
        .to_rgb8()
        .into_raw()
}

/// Peak signal-to-noise ratio over RGB (alpha dropped from `ours`), in dB.
pub fn psnr(ours: &Pixels, reference: &[u8]) -> f64 {
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
