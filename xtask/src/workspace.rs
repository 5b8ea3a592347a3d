//! Where things are: the repository root, the cargo target dir, the SPA's
//! output, and the files under a folder.

use std::path::{Path, PathBuf};

/// The repository root (the workspace containing xtask). `cargo run` sets
/// `CARGO_MANIFEST_DIR` for the run too, and that one is read first: clones
/// share one target dir, so the binary may have been built from another clone,
/// whose path the compile-time value would name.
pub fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// Cargo's target dir, honouring `CARGO_TARGET_DIR` (CI shares one across clones).
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// Per-machine caches shared by every clone (`~/.cache/shoebox`, as .ci/run uses).
pub fn cache_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cache/shoebox"))
        .unwrap_or_else(|| root().join("target/cache"))
}

/// Trunk's output, served by the local stack.
pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// The toolchain channel pinned in rust-toolchain.toml.
pub fn pinned_toolchain() -> anyhow::Result<String> {
    let text = std::fs::read_to_string(root().join("rust-toolchain.toml"))?;
    text.lines()
        .find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("channel")?
                .trim()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .ok_or_else(|| anyhow::anyhow!("rust-toolchain.toml names no channel"))
}

/// The version of `package` that Cargo.lock resolves (the first one, if several).
pub fn locked_version(package: &str) -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line
            && let Some(version) = lines
                .next()
                .and_then(|next| next.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    anyhow::bail!("Cargo.lock has no package {package}")
}

/// Every regular file under `dir`, recursively, sorted (symbolic links are not
/// followed: nothing the build writes is one).
pub fn files_under(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry?;
        if entry.file_type().is_file() {
            found.push(entry.into_path());
        }
    }
    found.sort();
    Ok(found)
}
