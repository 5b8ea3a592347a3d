//! Finds the shared photo corpus (`../shared/photos` beside the repository) for
//! the browser tests, which embed a few of its files: `cfg(photo_corpus)` is set
//! when it is there. In CI (`CI=true`) it must be there.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(photo_corpus)");
    println!("cargo::rerun-if-env-changed=CI");
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let manifest = manifest_dir.join("../../shared/photos/MANIFEST.tsv");
    println!("cargo::rerun-if-changed={}", manifest.display());
    if manifest.exists() {
        println!("cargo::rustc-cfg=photo_corpus");
    } else if std::env::var("CI").as_deref() == Ok("true") {
        panic!("the photo corpus must be at {} in CI", manifest.display());
    }
}
