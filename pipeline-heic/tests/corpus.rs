//! The corpus's HEIC/HEIF files through the Rust decoder, natively: every
//! camera file gets previews, upright and at the size the manifest records;
//! every broken one a clear error, never a panic. Outside CI a missing corpus
//! skips with a message; in CI (`CI=true`) it fails.

use std::{collections::HashMap, path::PathBuf};

use pipeline::{PipelineError, THUMB_WIDTH, WEB_LONG_EDGE};

/// Each corpus file's (width, height), by its manifest path.
type Sizes = HashMap<String, (u32, u32)>;

/// The corpus folder and each file's size from its manifest.
fn corpus() -> Option<(PathBuf, Sizes)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/photos");
    let Ok(manifest) = std::fs::read_to_string(root.join("MANIFEST.tsv")) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the photo corpus must be at ../shared/photos in CI"
        );
        eprintln!("skipping: no photo corpus at {}", root.display());
        return None;
    };
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (path, width, height) = (column("path"), column("width"), column("height"));
    let sizes = lines
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .map(|cells| {
            let size = (
                cells[width].parse().unwrap_or(0),
                cells[height].parse().unwrap_or(0),
            );
            (cells[path].to_owned(), size)
        })
        .collect();
    Some((root, sizes))
}

/// The HEIC/HEIF files of one corpus folder, as manifest paths.
fn heic_files(root: &std::path::Path, dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root.join(dir))
        .expect("corpus folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with("heic_") || name.starts_with("heif_"))
        .map(|name| format!("{dir}/{name}"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_camera_heic_gets_upright_previews_at_its_recorded_size() {
    let Some((root, sizes)) = corpus() else {
        return;
    };
    let files = heic_files(&root, "formats");
    assert!(files.len() >= 6, "the corpus's HEICs: {files:?}");
    for name in files {
        let bytes = std::fs::read(root.join(&name)).expect("read");
        let decoded =
            pipeline::heic::previews(&bytes).unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(
            (decoded.width, decoded.height),
            sizes[&name],
            "{name}: upright (irot applied), cropped"
        );
        let (web, thumb) = (&decoded.previews.web, &decoded.previews.thumb);
        let long_edge = decoded.width.max(decoded.height).min(WEB_LONG_EDGE);
        assert_eq!(web.width.max(web.height), long_edge, "{name}");
        assert_eq!(
            web.width > web.height,
            decoded.width > decoded.height,
            "{name}: the web view is turned as the picture is"
        );
        assert_eq!(thumb.width, THUMB_WIDTH, "{name}");
        assert!(decoded.previews.placeholder.len() > 10, "{name}");
        // Not a blank or one-colour frame: a photo has many distinct colours.
        let distinct: std::collections::HashSet<&[u8]> = thumb.rgba.chunks(4).collect();
        assert!(distinct.len() > 1000, "{name}: {} colours", distinct.len());
    }
}

#[test]
fn broken_heics_are_refused_with_a_reason_and_never_panic() {
    let Some((root, _)) = corpus() else {
        return;
    };
    let files = heic_files(&root, "broken");
    assert!(files.len() >= 5, "the corpus's broken HEICs: {files:?}");
    for name in files {
        let bytes = std::fs::read(root.join(&name)).expect("read");
        let outcome = std::panic::catch_unwind(|| pipeline::heic::previews(&bytes));
        match outcome {
            Ok(Err(PipelineError::Decode(reason))) => assert!(!reason.is_empty(), "{name}"),
            Ok(other) => panic!("{name}: {other:?}"),
            Err(_) => panic!("{name}: the decoder panicked"),
        }
    }
}
