//! Building the SPA: Trunk (offline, release, size profile), then steps of ours:
//! - Trunk's inline loader `<script type="module">` moves to a hashed file, so the
//!   CSP needs no `unsafe-inline` and no per-build hash;
//! - the photo worker (`app/worker/photo-worker.js` and the pipeline's wasm, built
//!   for speed) goes to `dist/worker/`;
//! - every text and wasm file gets `.br` and `.gz` siblings at maximum compression,
//!   which the local stack serves as-is (and which `bench` measures).

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use crate::{process, pwa, setup, workspace};

/// Where the photo worker lives in dist/ (unhashed names, so revalidated on load).
pub const WORKER_DIR: &str = "worker";

/// File types worth compressing (images and fonts already are).
const COMPRESSIBLE: [&str; 7] = ["html", "js", "wasm", "css", "json", "svg", "webmanifest"];

pub fn build_with_setup() -> anyhow::Result<PathBuf> {
    let tools = setup::run(setup::Needs {
        browser: false,
        lambda: false,
        media: false,
    })?;
    build(&tools)
}

pub fn build(tools: &setup::Tools) -> anyhow::Result<PathBuf> {
    let dist = workspace::dist_dir();
    process::run(
        Command::new("trunk")
            .current_dir(workspace::root())
            .args(["build", "--release", "--offline", "--dist"])
            .arg(&dist)
            .env("PATH", tools.path())
            // Trunk's own check would reach out to crates.io.
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            // Logs from Trunk are enough; cargo's colour codes confuse CI logs.
            .env("CARGO_TERM_COLOR", "never"),
    )?;
    externalize_loader(&dist)?;
    build_worker(&dist, tools)?;
    pwa::write(&dist)?;
    precompress(&dist)?;
    Ok(dist)
}

/// The worker's wasm modules, each with its JS bindings (speed profile, SIMD),
/// and the worker scripts that drive them, into `dist/worker/`: the pipeline
/// (`pipeline-web`, loaded with the worker), the HEIC decoder
/// (`pipeline-heic`, loaded when the first HEIC arrives) and the RAW developer
/// (`pipeline-raw`, loaded when the first RAW without a big enough preview
/// arrives), and the Takeout reader (`takeout`, for the import worker, loaded
/// only when an import starts). Built one at a time: together, cargo would
/// unify their features and put the decoders into the pipeline's build too.
fn build_worker(dist: &Path, tools: &setup::Tools) -> anyhow::Result<()> {
    let out = dist.join(WORKER_DIR);
    for package in ["pipeline-web", "pipeline-heic", "pipeline-raw", "takeout"] {
        build_worker_wasm(package, &out, tools)?;
    }
    // The worker's own scripts: photo-worker.js and the modules it imports.
    for entry in fs::read_dir(workspace::root().join("app/worker")).context("listing app/worker")? {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension == "js") {
            let name = path.file_name().context("a worker script's name")?;
            fs::copy(&path, out.join(name))
                .with_context(|| format!("copying {}", path.display()))?;
        }
    }
    Ok(())
}

/// One wasm of the worker: `package` built for the browser, bound and optimised.
fn build_worker_wasm(package: &str, out: &Path, tools: &setup::Tools) -> anyhow::Result<()> {
    process::run(Command::new("cargo").current_dir(workspace::root()).args([
        "build",
        "--locked",
        "--package",
        package,
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-worker",
    ]))?;
    let stem = package.replace('-', "_");
    let wasm = workspace::target_dir()
        .join("wasm32-unknown-unknown/wasm-worker")
        .join(format!("{stem}.wasm"));
    process::run(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-dir"])
            .arg(out)
            .arg(&wasm)
            .env("PATH", tools.path()),
    )?;
    let bg = out.join(format!("{stem}_bg.wasm"));
    process::run(
        Command::new("wasm-opt")
            .args([
                "-O3",
                "--enable-simd",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
            ])
            .arg(&bg)
            .arg("-o")
            .arg(&bg)
            .env("PATH", tools.path()),
    )
    .with_context(|| format!("optimising the worker's {package} wasm"))
}

/// Moves each inline module script of dist/index.html into `boot-<hash>.js`.
fn externalize_loader(dist: &Path) -> anyhow::Result<()> {
    let index_path = dist.join("index.html");
    let mut html = fs::read_to_string(&index_path).context("reading dist/index.html")?;
    let mut moved = 0;
    while let Some((start, body_start, body_end, end)) = find_inline_module(&html) {
        let body = html[body_start..body_end].to_owned();
        let hash = format!("{:x}", Sha256::digest(body.as_bytes()));
        let name = format!("boot-{}.js", &hash[..16]);
        fs::write(dist.join(&name), body.trim()).with_context(|| format!("writing {name}"))?;
        html.replace_range(
            start..end,
            &format!("<script type=\"module\" src=\"/{name}\"></script>"),
        );
        moved += 1;
    }
    if moved == 0 {
        bail!("dist/index.html has no inline module script: did Trunk's output change?");
    }
    if html.contains("<script>") || html.contains("<style") || html.contains(" style=") {
        bail!("dist/index.html still has inline script or style, which the CSP forbids");
    }
    fs::write(&index_path, html).context("writing dist/index.html")
}

/// (tag start, body start, body end, tag end) of the first `<script type="module">`
/// without a `src`.
fn find_inline_module(html: &str) -> Option<(usize, usize, usize, usize)> {
    let mut from = 0;
    while let Some(offset) = html[from..].find("<script") {
        let start = from + offset;
        let open_end = start + html[start..].find('>')? + 1;
        let open_tag = &html[start..open_end];
        let close = open_end + html[open_end..].find("</script>")?;
        if open_tag.contains("type=\"module\"") && !open_tag.contains("src=") {
            return Some((start, open_end, close, close + "</script>".len()));
        }
        from = open_end;
    }
    None
}

fn precompress(dist: &Path) -> anyhow::Result<()> {
    for path in workspace::files_under(dist)? {
        let compressible = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| COMPRESSIBLE.contains(&ext));
        if !compressible {
            continue;
        }
        let raw = fs::read(&path)?;
        for (suffix, compressed) in [("br", brotli_max(&raw)?), ("gz", gzip_max(&raw)?)] {
            let mut target = path.clone().into_os_string();
            target.push(".");
            target.push(suffix);
            if compressed.len() < raw.len() {
                fs::write(&target, compressed)?;
            }
        }
    }
    Ok(())
}

pub fn brotli_max(raw: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(raw)?;
    }
    Ok(out)
}

pub fn gzip_max(raw: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw)?;
    Ok(encoder.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_only_inline_module_scripts() {
        let html = r#"<head><script src="/a.js"></script><script type="module">import x from '/app.js';</script></head>"#;
        let (start, body_start, body_end, end) =
            find_inline_module(html).expect("one inline module");
        assert_eq!(&html[body_start..body_end], "import x from '/app.js';");
        assert!(html[start..end].starts_with("<script type=\"module\">"));
        assert!(find_inline_module(r#"<script type="module" src="/b.js"></script>"#).is_none());
    }

    #[test]
    fn compressed_output_round_trips() {
        let text = b"shoebox ".repeat(1000);
        let br = brotli_max(&text).expect("brotli");
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut br.as_slice(), &mut decoded).expect("decodes");
        assert_eq!(decoded, text);
        assert!(br.len() < 100);
        let gz = gzip_max(&text).expect("gzip");
        assert!(gz.len() < 200);
    }
}
