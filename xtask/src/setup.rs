//! `cargo xtask setup`: installs what builds and tests need, and says what it did.
//! Every step checks first, so a warm run takes seconds. Versions are pinned where
//! the build depends on them: Trunk, and wasm-bindgen-cli at exactly the version
//! Cargo.lock resolves (its output must match the wasm-bindgen crate).

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::Instant,
};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use crate::{process, workspace};

/// Trunk 0.22 needs rustc >= 1.96 (pinned in rust-toolchain.toml).
pub const TRUNK_VERSION: &str = "0.22.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What the caller is about to do.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Browser tests: Chromium, ChromeDriver.
    pub browser: bool,
}

/// Where the installed tools are, for the commands that use them.
#[derive(Debug, Clone)]
pub struct Tools {
    /// `node_modules/.bin` (wasm-opt from npm's binaryen), put first on PATH.
    pub node_bin: PathBuf,
}

impl Tools {
    /// PATH with the project's tools first.
    pub fn path(&self) -> std::ffi::OsString {
        let mut dirs = vec![self.node_bin.clone()];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(dirs).unwrap_or_default()
    }
}

pub fn run(needs: Needs) -> anyhow::Result<Tools> {
    let started = Instant::now();
    require_on_path(
        "node",
        "install Node.js 20 or newer (Debian: apt-get install nodejs npm)",
    )?;
    require_on_path("npm", "install npm (Debian: apt-get install npm)")?;
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    let tools = ensure_node_packages()?;
    if needs.browser {
        ensure_chromium()?;
    }
    eprintln!("setup: done in {:.1}s", started.elapsed().as_secs_f64());
    Ok(tools)
}

fn require_on_path(program: &str, hint: &str) -> anyhow::Result<()> {
    if process::output(Command::new(program).arg("--version")).is_none() {
        bail!("`{program}` is missing: {hint}");
    }
    Ok(())
}

fn ensure_wasm_target() -> anyhow::Result<()> {
    ensure_rust_target("wasm32-unknown-unknown")
}

/// Adds `target` to the pinned toolchain, unless it is there.
fn ensure_rust_target(target: &str) -> anyhow::Result<()> {
    let sysroot = process::output(Command::new("rustc").args(["--print", "sysroot"]))
        .context("cannot ask rustc for its sysroot")?;
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(target)
        .is_dir()
    {
        eprintln!("setup: {target} target present");
        return Ok(());
    }
    let toolchain = workspace::pinned_toolchain()?;
    eprintln!("setup: adding the {target} target to {toolchain}");
    process::run(Command::new("rustup").args(["target", "add", "--toolchain", &toolchain, target]))
}

/// A Rust target to cross-build for, and the Debian package of its C
/// cross-compiler and linker (the Lambda: arm64).
pub fn ensure_cross_target(target: &str, compiler_package: &str) -> anyhow::Result<()> {
    ensure_rust_target(target)?;
    let gcc = format!("{}-gcc", compiler_package.trim_start_matches("gcc-"));
    if process::output(Command::new(&gcc).arg("--version")).is_none() {
        install_debian_packages(&[compiler_package])?;
    }
    Ok(())
}

/// `cargo install` of a tool, built for build speed: the tool's own release profile
/// (fat LTO) would take about 20 minutes on two cores.
fn cargo_install(krate: &str, version: &str, locked: bool) -> anyhow::Result<()> {
    let mut command = Command::new("cargo");
    command
        .current_dir(workspace::root())
        .args(["install", krate, "--version", &format!("={version}")])
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        // A shared target dir would make `cargo install` rebuild the workspace's deps.
        .env_remove("CARGO_TARGET_DIR");
    if locked {
        command.arg("--locked");
    }
    process::run(&mut command)
}

fn ensure_trunk() -> anyhow::Result<()> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    match process::output(Command::new("trunk").arg("--version")) {
        Some(found) if found == wanted => {
            eprintln!("setup: {wanted} present");
            return Ok(());
        }
        Some(found) => {
            eprintln!("setup: found {found}, installing {wanted} (takes a few minutes once)")
        }
        None => eprintln!("setup: installing {wanted} (takes a few minutes once)"),
    }
    cargo_install("trunk", TRUNK_VERSION, true)
}

fn ensure_wasm_bindgen() -> anyhow::Result<()> {
    let version = workspace::locked_version("wasm-bindgen")?;
    let wanted = format!("wasm-bindgen {version}");
    let found = process::output(Command::new("wasm-bindgen").arg("--version"));
    let runner = process::output(Command::new("wasm-bindgen-test-runner").arg("--version"));
    if found.as_deref() == Some(wanted.as_str()) && runner.is_some() {
        eprintln!("setup: {wanted} present");
        return Ok(());
    }
    eprintln!("setup: installing wasm-bindgen-cli {version} (Cargo.lock's wasm-bindgen)");
    // Not --locked: its lock file names a crate version this registry lacks.
    cargo_install("wasm-bindgen-cli", &version, false)
}

/// The npm packages in package-lock.json: binaryen (wasm-opt; Debian's 108 breaks
/// Leptos output) and playwright-core (drives the system Chromium, never downloads
/// one). `npm ci` runs only when the lock file changed since the last install.
fn ensure_node_packages() -> anyhow::Result<Tools> {
    let root = workspace::root();
    let node_modules = root.join("node_modules");
    let tools = Tools {
        node_bin: node_modules.join(".bin"),
    };
    let lock =
        std::fs::read(root.join("package-lock.json")).context("reading package-lock.json")?;
    let digest = format!("{:x}", Sha256::digest(&lock));
    let stamp = node_modules.join(".shoebox-installed");
    if std::fs::read_to_string(&stamp).is_ok_and(|installed| installed == digest)
        && tools.node_bin.join("wasm-opt").exists()
    {
        eprintln!("setup: node packages present");
        return Ok(tools);
    }
    eprintln!("setup: installing node packages (npm ci)");
    process::run(
        Command::new("npm")
            .current_dir(&root)
            .args(["ci", "--no-audit", "--no-fund"])
            // playwright-core never downloads browsers, but make that explicit.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    std::fs::write(&stamp, digest).context("writing the node packages stamp")?;
    Ok(tools)
}

fn ensure_chromium() -> anyhow::Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        eprintln!("setup: chromium and chromedriver present");
        return Ok(());
    }
    install_debian_packages(&["chromium", "chromium-driver"])
}

/// wrk, the HTTP load generator the API bench drives the server with (written
/// in C, so the client takes little of the 2 cores the server needs).
pub fn ensure_wrk() -> anyhow::Result<()> {
    if Path::new(WRK).exists() {
        return Ok(());
    }
    install_debian_packages(&["wrk"])
}

pub const WRK: &str = "/usr/bin/wrk";

fn install_debian_packages(packages: &[&str]) -> anyhow::Result<()> {
    let is_root = process::output(Command::new("id").arg("-u")).as_deref() == Some("0");
    if !is_root {
        bail!(
            "missing: run `sudo apt-get install -y {}`, then try again",
            packages.join(" ")
        );
    }
    eprintln!(
        "setup: installing {} (Debian packages)",
        packages.join(", ")
    );
    process::run(Command::new("apt-get").args(["update", "-qq"]))?;
    process::run(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// A virtualenv with bench/requirements.txt (Pillow and numpy, pinned), for the
/// bench's quality measurement; only `cargo xtask bench` needs it. Returns its python.
pub fn ensure_bench_python() -> anyhow::Result<PathBuf> {
    Ok(ensure_venv("bench-venv", "bench/requirements.txt")?.join("python"))
}

/// A virtualenv with infra/requirements.txt (cfn-lint and checkov, pinned), for
/// the template's checks. Returns its `bin/`.
pub fn ensure_infra_lint() -> anyhow::Result<PathBuf> {
    ensure_venv("infra-venv", "infra/requirements.txt")
}

/// The AWS CLI: the one on `PATH`, else `awscli` (pinned in
/// infra/requirements-deploy.txt) in a virtualenv of the cache.
pub fn ensure_aws_cli() -> anyhow::Result<PathBuf> {
    if process::output(Command::new("aws").arg("--version")).is_some() {
        return Ok("aws".into());
    }
    Ok(ensure_venv("aws-venv", "infra/requirements-deploy.txt")?.join("aws"))
}

/// A virtualenv in the cache with the pinned `requirements` (a path in the
/// repository) installed; reinstalled when they change. Returns its `bin/`.
fn ensure_venv(name: &str, requirements: &str) -> anyhow::Result<PathBuf> {
    require_on_path(
        "python3",
        "install Python 3 (Debian: apt-get install python3-venv)",
    )?;
    let venv = workspace::cache_dir().join(name);
    let bin = venv.join("bin");
    let requirements_path = workspace::root().join(requirements);
    let digest = format!(
        "{:x}",
        Sha256::digest(
            std::fs::read(&requirements_path).with_context(|| format!("reading {requirements}"))?
        )
    );
    let stamp = venv.join(".shoebox-installed");
    if bin.join("python").exists()
        && std::fs::read_to_string(&stamp).is_ok_and(|found| found == digest)
    {
        eprintln!("setup: {requirements} present");
        return Ok(bin);
    }
    eprintln!("setup: installing {requirements} into {}", venv.display());
    process::run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    process::run(
        Command::new(bin.join("python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements_path),
    )?;
    std::fs::write(&stamp, digest).with_context(|| format!("writing {}", stamp.display()))?;
    Ok(bin)
}
