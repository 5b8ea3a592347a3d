//! `cargo xtask bench`: the numbers that matter, as tables.
//! 1. The SPA's size on the wire: what every visitor downloads before a photo.
//! 2. The Lambda's cold start, played against a local stand-in for Lambda's
//!    Runtime API, and the size of its zip (`bench/lambda.mjs`).
//! 3. The photo pipeline in headless Chromium, ours against the browser's own
//!    canvas pipeline on the same photos (`bench/pipeline.mjs`).
//! 4. The quality of both pipelines' previews against a Pillow Lanczos3 reference
//!    (`bench/quality.py`, on the outputs step 3 kept).
//! 5. The upload path end to end on loopback: 20 distinct 24 MP JPEGs through the
//!    real local stack (`bench/upload.mjs`).
//! 6. The gallery API under 1, 16 and 64 clients with 100,000 photos in the
//!    SQLite index (`bench/api.mjs`, seeded by `local/examples/seed_index.rs`, driven by wrk).
//! 7. The timeline in the browser with 10,000 photos: time to the first 20
//!    thumbnails, DOM size and long tasks while scrolling (`bench/timeline.mjs`).
//! 8. Videos: a 1 GB video uploaded through the app against `curl` sending the
//!    same parts, the tab's memory meanwhile, time to poster for a 4K clip, and
//!    the memory of hashing a 4 GB file (`bench/video.mjs`).
//! 9. HEIC in Chromium: a 12 MP and a 48 MP HEIC to previews through our
//!    decoder, cold and warm, its memory and its wasm's size (`bench/heic.mjs`).
//! 10. RAW in Chromium: a 2.2 MP and a 20 MP DNG without previews developed
//!     from their sensor data, the same columns (`bench/raw.mjs`).
//! 11. Many originals as one zip: an album of 300 16 MB originals downloaded
//!     through the app against fetching them alone, the browser's memory
//!     meanwhile, and every CRC checked (`bench/zip.mjs`).
//! 12. The recovery tools: 10,000 photos listed from the local store, rebuilt
//!     into an empty index, and checked with and without reading every
//!     original (`local/examples/recovery_bench.rs`).
//! 13. Keeping a library: 10,000 of 100,000 photos trashed, restored and
//!     favourited through the API, and the first page of Trash and Favorites
//!     against the timeline's (`bench/care.mjs`).

use std::{path::Path, process::Command};

use crate::{dev, lambda, process, setup, spa, workspace};

/// The files a first visit downloads.
const MEASURED: [&str; 4] = ["wasm", "js", "css", "html"];

/// A part of the bench that runs alone.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Part {
    Lambda,
    Video,
    Heic,
    Raw,
    Zip,
    Recovery,
    Care,
}

pub fn run(only: Option<Part>) -> anyhow::Result<()> {
    if let Some(Part::Lambda) = only {
        return lambda_cold_start();
    }
    if let Some(Part::Recovery) = only {
        return recovery();
    }
    let tools = setup::run(setup::Needs {
        browser: true,
        lambda: false,
        media: true,
    })?;
    let dist = spa::build(&tools)?;
    if let Some(Part::Video) = only {
        return videos(&dev::build_local_server()?, &dist);
    }
    if let Some(Part::Heic) = only {
        return heic(&dev::build_local_server()?, &dist);
    }
    if let Some(Part::Raw) = only {
        return raw(&dev::build_local_server()?, &dist);
    }
    if let Some(Part::Zip) = only {
        return zip(&dev::build_local_server()?, &dist);
    }
    if let Some(Part::Care) = only {
        return care(&dev::build_local_server()?, &dist);
    }
    spa_sizes(&dist)?;
    lambda_cold_start()?;
    let pkg = dist.join(spa::WORKER_DIR);
    let corpus = workspace::root().join("../shared/photos");
    if !corpus.join("MANIFEST.tsv").exists() {
        anyhow::bail!(
            "the pipeline bench needs the photo corpus at {}",
            corpus.display()
        );
    }
    let python = setup::ensure_bench_python()?;
    let outputs = workspace::root().join("target/bench/pipeline");
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg("bench/pipeline.mjs")
            .env("BENCH_PKG", &pkg)
            .env("BENCH_OUT", &outputs)
            .env("CORPUS", &corpus)
            .env("CHROMIUM", setup::CHROMIUM),
    )?;
    process::run(
        Command::new(&python)
            .current_dir(workspace::root())
            .arg("bench/quality.py")
            .arg(&outputs),
    )?;
    let server = dev::build_local_server()?;
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg("bench/upload.mjs")
            .env("SHOEBOX_BIN", &server)
            .env("SHOEBOX_DIST", &dist)
            .env("CORPUS", &corpus)
            .env("CHROMIUM", setup::CHROMIUM),
    )?;
    api(&server, &dist)?;
    videos(&server, &dist)?;
    heic(&server, &dist)?;
    raw(&server, &dist)?;
    zip(&server, &dist)?;
    recovery()?;
    care(&server, &dist)?;
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg("bench/timeline.mjs")
            .env("SHOEBOX_BIN", &server)
            .env("SHOEBOX_DIST", &dist)
            .env("CORPUS", &corpus)
            .env("CHROMIUM", setup::CHROMIUM)
            .env("BENCH_PYTHON", &python)
            .env("SEED_BIN", seed_bin()),
    )
}

/// Part two: the arm64 zip, and the cold start of the same binary built for this
/// machine.
fn lambda_cold_start() -> anyhow::Result<()> {
    let zip = lambda::build()?;
    process::run(&mut lambda::cargo_build())?;
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg("bench/lambda.mjs")
            .env("LAMBDA_BIN", lambda::native_binary())
            .env("LAMBDA_ZIP", zip),
    )
}

/// Part eight: videos through the app, and curl's ceiling.
fn videos(server: &Path, dist: &Path) -> anyhow::Result<()> {
    setup::ensure_debian_packages(&setup::BENCH_PACKAGES)?;
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg("bench/video.mjs")
            .env("SHOEBOX_BIN", server)
            .env("SHOEBOX_DIST", dist)
            .env("CHROMIUM", setup::CHROMIUM),
    )
}

/// Part eleven: an album as one zip, against fetching its originals alone.
fn zip(server: &Path, dist: &Path) -> anyhow::Result<()> {
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg("bench/zip.mjs")
            .env("SHOEBOX_BIN", server)
            .env("SHOEBOX_DIST", dist)
            .env("CHROMIUM", setup::CHROMIUM),
    )
}

/// Part twelve: the recovery tools (rebuild-index, verify) over a library of
/// 10,000 photos in the local store.
fn recovery() -> anyhow::Result<()> {
    dev::build_local(&["--example", "recovery_bench"])?;
    process::run(&mut Command::new(
        workspace::target_dir().join("release/examples/recovery_bench"),
    ))
}

/// Part nine: HEIC through our decoder in Chromium.
fn heic(server: &Path, dist: &Path) -> anyhow::Result<()> {
    decoder_bench("bench/heic.mjs", server, dist)
}

/// Part ten: RAW developed from its sensor data in Chromium.
fn raw(server: &Path, dist: &Path) -> anyhow::Result<()> {
    decoder_bench("bench/raw.mjs", server, dist)
}

/// One of the lazily loaded decoders' benches, on the local stack and the corpus.
fn decoder_bench(script: &str, server: &Path, dist: &Path) -> anyhow::Result<()> {
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg(script)
            .env("SHOEBOX_BIN", server)
            .env("SHOEBOX_DIST", dist)
            .env("CORPUS", workspace::root().join("../shared/photos"))
            .env("CHROMIUM", setup::CHROMIUM),
    )
}

/// Part thirteen: favourites and the trash in a large library.
fn care(server: &Path, dist: &Path) -> anyhow::Result<()> {
    dev::build_local(&["--example", "seed_index"])?;
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg("bench/care.mjs")
            .env("SHOEBOX_BIN", server)
            .env("SHOEBOX_DIST", dist)
            .env("SEED_BIN", seed_bin()),
    )
}

fn seed_bin() -> std::path::PathBuf {
    workspace::target_dir().join("release/examples/seed_index")
}

/// Part five: the gallery API with a large library.
fn api(server: &Path, dist: &Path) -> anyhow::Result<()> {
    setup::ensure_debian_packages(&setup::BENCH_PACKAGES)?;
    dev::build_local(&["--example", "seed_index"])?;
    process::run(
        Command::new("node")
            .current_dir(workspace::root())
            .arg("bench/api.mjs")
            .env("SHOEBOX_BIN", server)
            .env("SHOEBOX_DIST", dist)
            .env("SEED_BIN", seed_bin())
            .env("WRK", setup::WRK),
    )
}

fn spa_sizes(dist: &Path) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for path in workspace::files_under(dist)? {
        let Some(ext) = path.extension().and_then(|ext| ext.to_str()) else {
            continue;
        };
        if !MEASURED.contains(&ext) {
            continue;
        }
        let raw = std::fs::read(&path)?;
        let gzip = spa::gzip_max(&raw)?.len().min(raw.len());
        let brotli = spa::brotli_max(&raw)?.len().min(raw.len());
        rows.push((display_name(dist, &path), raw.len(), gzip, brotli));
    }
    println!("\nSPA size (dist/, release build, wasm-opt -Oz; gzip -9, brotli q11)\n");
    println!("| file | raw | gzip | brotli |");
    println!("|---|---:|---:|---:|");
    let mut total = (0, 0, 0);
    for (name, raw, gzip, brotli) in &rows {
        println!(
            "| {name} | {} | {} | {} |",
            kb(*raw),
            kb(*gzip),
            kb(*brotli)
        );
        total = (total.0 + raw, total.1 + gzip, total.2 + brotli);
    }
    println!(
        "| total | {} | {} | {} |",
        kb(total.0),
        kb(total.1),
        kb(total.2)
    );
    Ok(())
}

fn display_name(dist: &Path, path: &Path) -> String {
    path.strip_prefix(dist)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

fn kb(bytes: usize) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}
