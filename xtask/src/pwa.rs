//! What makes the SPA an installable app, written into dist/ by the build:
//! - icons rendered from the one source image, `assets/icon.svg` (resvg): 192
//!   and 512 px for any use, the same as maskable (on the brand colour, inside
//!   the safe zone), and the 180 px `apple-touch-icon`;
//! - `manifest.webmanifest`, from `assets/manifest.webmanifest`, with the
//!   screenshots it names (`assets/screenshots/`, taken by the e2e suite);
//! - `sw.js`, from `app/sw.js` with the list of files to keep for offline use
//!   (index.html and Trunk's hashed output) and a version that changes when
//!   any of them does: a new build is a new service worker;
//! - `zip-writer.js` and `sw-zip.js` (from `app/`), which `sw.js` imports to
//!   build zips of many originals: the first is client-zip's classic-worker
//!   build, from npm (MIT, pinned in package.json).

use std::{fs, path::Path};

use anyhow::{Context, bail};
use resvg::{tiny_skia, usvg};
use sha2::{Digest, Sha256};

use crate::workspace;

/// The brand colour (`--accent` in style/main.css), behind maskable icons.
const BRAND: [u8; 3] = [0x1f, 0x6f, 0x5c];
/// The page colour (`--bg`), behind the Apple icon (iOS shows transparency black).
const PAGE: [u8; 3] = [0xf7, 0xf6, 0xf3];

/// One icon: its file, its size, what is behind it, and how much of it the
/// drawing takes (maskable icons keep to the middle 80%).
struct Icon {
    file: &'static str,
    size: u32,
    background: Option<[u8; 3]>,
    scale: f32,
}

const ICONS: [Icon; 5] = [
    Icon {
        file: "icons/icon-192.png",
        size: 192,
        background: None,
        scale: 1.0,
    },
    Icon {
        file: "icons/icon-512.png",
        size: 512,
        background: None,
        scale: 1.0,
    },
    Icon {
        file: "icons/maskable-192.png",
        size: 192,
        background: Some(BRAND),
        scale: 0.7,
    },
    Icon {
        file: "icons/maskable-512.png",
        size: 512,
        background: Some(BRAND),
        scale: 0.7,
    },
    Icon {
        file: "icons/apple-touch-icon.png",
        size: 180,
        background: Some(PAGE),
        scale: 0.85,
    },
];

pub fn write(dist: &Path) -> anyhow::Result<()> {
    let root = workspace::root();
    write_icons(&root.join("assets/icon.svg"), dist)?;
    fs::copy(
        root.join("assets/manifest.webmanifest"),
        dist.join("manifest.webmanifest"),
    )
    .context("copying the web app manifest")?;
    fs::create_dir_all(dist.join("screenshots"))?;
    for shot in workspace::files_under(&root.join("assets/screenshots"))? {
        if let Some(name) = shot.file_name() {
            fs::copy(&shot, dist.join("screenshots").join(name))
                .with_context(|| format!("copying {}", shot.display()))?;
        }
    }
    fs::copy(
        root.join("node_modules/client-zip/worker.js"),
        dist.join(ZIP_WRITER),
    )
    .context("copying client-zip's worker.js (`cargo xtask setup` installs it)")?;
    fs::copy(root.join("app/sw-zip.js"), dist.join("sw-zip.js")).context("copying sw-zip.js")?;
    write_service_worker(&root.join("app/sw.js"), dist)
}

/// The zip writer the service worker imports (`importScripts`).
const ZIP_WRITER: &str = "zip-writer.js";

fn write_icons(source: &Path, dist: &Path) -> anyhow::Result<()> {
    let svg = fs::read(source).with_context(|| format!("reading {}", source.display()))?;
    let tree = usvg::Tree::from_data(&svg, &usvg::Options::default())
        .with_context(|| format!("parsing {}", source.display()))?;
    fs::create_dir_all(dist.join("icons"))?;
    for icon in &ICONS {
        let mut pixmap =
            tiny_skia::Pixmap::new(icon.size, icon.size).context("an icon of no size")?;
        if let Some([r, g, b]) = icon.background {
            pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 0xff));
        }
        let side = icon.size as f32 * icon.scale;
        let fit = side / tree.size().width().max(tree.size().height());
        let offset = (icon.size as f32 - side) / 2.0;
        let transform = tiny_skia::Transform::from_scale(fit, fit).post_translate(offset, offset);
        resvg::render(&tree, transform, &mut pixmap.as_mut());
        pixmap
            .save_png(dist.join(icon.file))
            .with_context(|| format!("writing {}", icon.file))?;
    }
    Ok(())
}

/// dist/sw.js: the template with what to precache and the build's version.
fn write_service_worker(template: &Path, dist: &Path) -> anyhow::Result<()> {
    let source =
        fs::read_to_string(template).with_context(|| format!("reading {}", template.display()))?;
    let precache = precache_list(dist)?;
    let mut digest = Sha256::new();
    digest.update(source.as_bytes());
    for path in &precache {
        digest.update(path.as_bytes());
        digest.update(fs::read(dist.join(path.trim_start_matches('/')))?);
    }
    let version = format!("{:x}", digest.finalize());
    let list = precache
        .iter()
        .map(|path| format!("'{path}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let filled = source
        .replacen("'__SHOEBOX_VERSION__'", &format!("'{}'", &version[..16]), 1)
        .replacen("['__SHOEBOX_PRECACHE__']", &format!("[{list}]"), 1);
    if filled.contains("__SHOEBOX_") {
        bail!("app/sw.js lost a placeholder the build fills in");
    }
    fs::write(dist.join("sw.js"), filled).context("writing dist/sw.js")
}

/// The app shell, as paths: index.html, the manifest and icons, and every
/// content-hashed file Trunk wrote at the top of dist/ (not the photo worker,
/// which only uploads need, and they need the network anyway).
fn precache_list(dist: &Path) -> anyhow::Result<Vec<String>> {
    let mut paths = vec![
        "/index.html".to_owned(),
        "/manifest.webmanifest".to_owned(),
        format!("/{ZIP_WRITER}"),
        "/sw-zip.js".to_owned(),
    ];
    paths.extend(ICONS.iter().map(|icon| format!("/{}", icon.file)));
    for path in workspace::files_under(dist)? {
        let Ok(relative) = path.strip_prefix(dist) else {
            continue;
        };
        let name = relative.to_string_lossy();
        let top_level = relative.components().count() == 1;
        let compressed = name.ends_with(".br") || name.ends_with(".gz");
        if top_level && !compressed && is_hashed(&name) {
            paths.push(format!("/{name}"));
        }
    }
    Ok(paths)
}

/// Trunk's `stem-<hex>` names (and our `boot-<hex>.js`).
fn is_hashed(name: &str) -> bool {
    name.split_once('-').is_some_and(|(_, rest)| {
        let hex = rest.chars().take_while(char::is_ascii_hexdigit).count();
        hex >= 12 && matches!(rest[hex..].chars().next(), Some('.' | '_'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_names_are_precached_by_name() {
        for hashed in [
            "app-1f2e3d4c5b6a7980_bg.wasm",
            "main-0123456789abcdef.css",
            "boot-dbd004d347eb864.js",
        ] {
            assert!(is_hashed(hashed), "{hashed}");
        }
        for plain in [
            "index.html",
            "sw.js",
            "config.json",
            "photo-worker.js",
            "icon.svg",
        ] {
            assert!(!is_hashed(plain), "{plain}");
        }
    }
}
