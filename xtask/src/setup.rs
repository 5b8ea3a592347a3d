//! `cargo xtask setup`: installs what builds and tests need, and says what it did.
//! Every step checks first, so a warm run takes seconds. Versions are pinned where
//! the build depends on them: Trunk, and wasm-bindgen-cli at exactly the version
//! Cargo.lock resolves (its output must match the wasm-bindgen crate).
//!
//! Each check here is also what `cargo xtask doctor` ([`crate::doctor`]) reports,
//! so the list of what the commands need lives in one place: this file.

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
/// leptosfmt formats the `view!` macros (`leptosfmt.toml`); pinned, since a
/// new version may lay out unchanged code differently and fail `./x test`.
pub const LEPTOSFMT_VERSION: &str = "0.1.33";
/// The folders whose `view!` macros leptosfmt formats and `./x test` checks.
pub const LEPTOSFMT_PATHS: [&str; 2] = ["app/src", "app/tests"];
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What the caller is about to do.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// Browser tests: Chromium, ChromeDriver.
    pub browser: bool,
    /// The Lambda's arm64 build: the target, its cross compiler and C library.
    pub lambda: bool,
    /// Media the tests make as they run: ffmpeg (test videos).
    pub media: bool,
}

/// A Debian package, and a file it installs that shows it is there (a file, not
/// dpkg, so the same check holds on a machine that has the tool another way).
#[derive(Debug, Clone, Copy)]
pub struct DebianPackage {
    pub name: &'static str,
    pub installs: &'static str,
}

impl DebianPackage {
    pub fn present(&self) -> bool {
        Path::new(self.installs).exists()
    }
}

/// Browser tests and the bench drive Debian's Chromium through ChromeDriver
/// (wasm tests) and playwright-core (end-to-end).
pub const BROWSER_PACKAGES: [DebianPackage; 2] = [
    DebianPackage {
        name: "chromium",
        installs: CHROMIUM,
    },
    DebianPackage {
        name: "chromium-driver",
        installs: CHROMEDRIVER,
    },
];

/// The Lambda's arm64 build: the cross compiler and linker, and the target's C
/// library headers and startup files. aws-lc-sys (rustls's crypto) compiles C
/// against those headers and the link needs `crt1.o`; the compiler only
/// recommends them, which `--no-install-recommends` leaves out.
pub const LAMBDA_PACKAGES: [DebianPackage; 2] = [
    DebianPackage {
        name: "gcc-aarch64-linux-gnu",
        installs: "/usr/bin/aarch64-linux-gnu-gcc",
    },
    DebianPackage {
        name: "libc6-dev-arm64-cross",
        installs: "/usr/aarch64-linux-gnu/include/sys/types.h",
    },
];

/// What the tests make their media with, so none is committed to the
/// repository: ffmpeg (phone-like MP4s and MOVs, WebM, 3GP, broken ones),
/// Pillow with littleCMS (wide-gamut pictures, and their reference conversion
/// to sRGB), libheif's heif-enc (HEICs of them), and piexif and exiftool
/// (EXIF and XMP as those tools write them), dcraw (the reference develop a
/// developed RAW is compared with) and Ghostscript's ICC profiles (a CMYK one,
/// to make a print-ready CMYK JPEG); unzip, which checks a downloaded zip as
/// most people's tools will read it.
pub const MEDIA_PACKAGES: [DebianPackage; 8] = [
    DebianPackage {
        name: "ffmpeg",
        installs: FFMPEG,
    },
    DebianPackage {
        name: "python3-pil",
        installs: "/usr/lib/python3/dist-packages/PIL/ImageCms.py",
    },
    DebianPackage {
        name: "libheif-examples",
        installs: HEIF_ENC,
    },
    DebianPackage {
        name: "python3-piexif",
        installs: "/usr/lib/python3/dist-packages/piexif/__init__.py",
    },
    DebianPackage {
        name: "libimage-exiftool-perl",
        installs: "/usr/bin/exiftool",
    },
    DebianPackage {
        name: "dcraw",
        installs: "/usr/bin/dcraw",
    },
    DebianPackage {
        name: "libgs-common",
        installs: "/usr/share/color/icc/ghostscript/default_cmyk.icc",
    },
    DebianPackage {
        name: "unzip",
        installs: "/usr/bin/unzip",
    },
];

pub const FFMPEG: &str = "/usr/bin/ffmpeg";
pub const HEIF_ENC: &str = "/usr/bin/heif-enc";

/// wrk, the HTTP load generator the API bench drives the server with (written
/// in C, so the client takes little of the 2 cores the server needs); curl, the
/// ceiling the video bench holds the app's uploads against.
pub const BENCH_PACKAGES: [DebianPackage; 2] = [
    DebianPackage {
        name: "wrk",
        installs: WRK,
    },
    DebianPackage {
        name: "curl",
        installs: CURL,
    },
];

pub const WRK: &str = "/usr/bin/wrk";
pub const CURL: &str = "/usr/bin/curl";

/// The Rust target the Lambda is built for.
pub const LAMBDA_TARGET: &str = "aarch64-unknown-linux-gnu";

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
    ensure_rust_target("wasm32-unknown-unknown")?;
    ensure_trunk()?;
    ensure_leptosfmt()?;
    ensure_wasm_bindgen()?;
    let tools = ensure_node_packages()?;
    if needs.browser {
        ensure_debian_packages(&BROWSER_PACKAGES)?;
    }
    if needs.lambda {
        ensure_lambda_build()?;
    }
    if needs.media {
        ensure_debian_packages(&MEDIA_PACKAGES)?;
    }
    eprintln!("setup: done in {:.1}s", started.elapsed().as_secs_f64());
    Ok(tools)
}

fn require_on_path(program: &str, hint: &str) -> anyhow::Result<()> {
    if version_of(program).is_none() {
        bail!("`{program}` is missing: {hint}");
    }
    Ok(())
}

/// What `program --version` prints, if it runs.
pub fn version_of(program: &str) -> Option<String> {
    process::output(Command::new(program).arg("--version"))
}

/// Whether the pinned toolchain has `target`'s standard library.
pub fn rust_target_present(target: &str) -> bool {
    process::output(Command::new("rustc").args(["--print", "sysroot"])).is_some_and(|sysroot| {
        Path::new(&sysroot)
            .join("lib/rustlib")
            .join(target)
            .is_dir()
    })
}

/// Adds `target` to the pinned toolchain, unless it is there.
fn ensure_rust_target(target: &str) -> anyhow::Result<()> {
    if rust_target_present(target) {
        eprintln!("setup: {target} target present");
        return Ok(());
    }
    let toolchain = workspace::pinned_toolchain()?;
    eprintln!("setup: adding the {target} target to {toolchain}");
    process::run(Command::new("rustup").args(["target", "add", "--toolchain", &toolchain, target]))
}

/// Everything the Lambda's arm64 build needs: the Rust target and
/// [`LAMBDA_PACKAGES`].
pub fn ensure_lambda_build() -> anyhow::Result<()> {
    ensure_rust_target(LAMBDA_TARGET)?;
    ensure_debian_packages(&LAMBDA_PACKAGES)
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
    match version_of("trunk") {
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

fn ensure_leptosfmt() -> anyhow::Result<()> {
    let wanted = format!("leptosfmt {LEPTOSFMT_VERSION}");
    if version_of("leptosfmt").as_deref() == Some(wanted.as_str()) {
        eprintln!("setup: {wanted} present");
        return Ok(());
    }
    eprintln!("setup: installing {wanted} (about two minutes once)");
    cargo_install("leptosfmt", LEPTOSFMT_VERSION, true)
}

/// Whether wasm-bindgen-cli at Cargo.lock's version, with its test runner, is
/// installed; the version wanted either way.
pub fn wasm_bindgen_present() -> anyhow::Result<(bool, String)> {
    let version = workspace::locked_version("wasm-bindgen")?;
    let wanted = format!("wasm-bindgen {version}");
    let present = version_of("wasm-bindgen").as_deref() == Some(wanted.as_str())
        && version_of("wasm-bindgen-test-runner").is_some();
    Ok((present, version))
}

fn ensure_wasm_bindgen() -> anyhow::Result<()> {
    let (present, version) = wasm_bindgen_present()?;
    if present {
        eprintln!("setup: wasm-bindgen {version} present");
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
    let tools = Tools {
        node_bin: root.join("node_modules/.bin"),
    };
    let (present, digest) = node_packages_present()?;
    if present {
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
    std::fs::write(node_packages_stamp(), digest).context("writing the node packages stamp")?;
    Ok(tools)
}

/// Whether `node_modules` holds what package-lock.json says; the lock file's
/// digest either way.
pub fn node_packages_present() -> anyhow::Result<(bool, String)> {
    let root = workspace::root();
    let lock =
        std::fs::read(root.join("package-lock.json")).context("reading package-lock.json")?;
    let digest = format!("{:x}", Sha256::digest(&lock));
    let present = std::fs::read_to_string(node_packages_stamp())
        .is_ok_and(|installed| installed == digest)
        && root.join("node_modules/.bin/wasm-opt").exists();
    Ok((present, digest))
}

fn node_packages_stamp() -> PathBuf {
    workspace::root().join("node_modules/.shoebox-installed")
}

/// Installs those of `packages` that are missing, in one `apt-get` call.
pub fn ensure_debian_packages(packages: &[DebianPackage]) -> anyhow::Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .filter(|package| !package.present())
        .map(|package| package.name)
        .collect();
    if missing.is_empty() {
        let names: Vec<&str> = packages.iter().map(|package| package.name).collect();
        eprintln!("setup: {} present", names.join(", "));
        return Ok(());
    }
    install_debian_packages(&missing)
}

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

/// A virtualenv of the cache with a pinned requirements file installed.
#[derive(Debug, Clone, Copy)]
pub struct Venv {
    pub name: &'static str,
    pub requirements: &'static str,
}

/// Pillow and numpy, for the bench's quality measurement.
pub const BENCH_VENV: Venv = Venv {
    name: "bench-venv",
    requirements: "bench/requirements.txt",
};

/// cfn-lint and checkov, for the template's checks.
pub const INFRA_VENV: Venv = Venv {
    name: "infra-venv",
    requirements: "infra/requirements.txt",
};

/// The AWS CLI, for a machine that has none on `PATH`.
pub const AWS_VENV: Venv = Venv {
    name: "aws-venv",
    requirements: "infra/requirements-deploy.txt",
};

impl Venv {
    fn dir(&self) -> PathBuf {
        workspace::cache_dir().join(self.name)
    }

    fn stamp(&self) -> PathBuf {
        self.dir().join(".shoebox-installed")
    }

    fn digest(&self) -> anyhow::Result<String> {
        let path = workspace::root().join(self.requirements);
        let text =
            std::fs::read(&path).with_context(|| format!("reading {}", self.requirements))?;
        Ok(format!("{:x}", Sha256::digest(text)))
    }

    /// Whether it exists with its requirements as they are now.
    pub fn present(&self) -> bool {
        self.dir().join("bin/python").exists()
            && self.digest().is_ok_and(|digest| {
                std::fs::read_to_string(self.stamp()).is_ok_and(|found| found == digest)
            })
    }
}

/// The bench's python (with [`BENCH_VENV`]); only `cargo xtask bench` needs it.
pub fn ensure_bench_python() -> anyhow::Result<PathBuf> {
    Ok(ensure_venv(BENCH_VENV)?.join("python"))
}

/// The `bin/` of [`INFRA_VENV`].
pub fn ensure_infra_lint() -> anyhow::Result<PathBuf> {
    ensure_venv(INFRA_VENV)
}

/// The AWS CLI: the one on `PATH`, else `awscli` (pinned in
/// infra/requirements-deploy.txt) in a virtualenv of the cache.
pub fn ensure_aws_cli() -> anyhow::Result<PathBuf> {
    if version_of("aws").is_some() {
        return Ok("aws".into());
    }
    Ok(ensure_venv(AWS_VENV)?.join("aws"))
}

/// `venv`, made or remade when its requirements changed. Returns its `bin/`.
fn ensure_venv(venv: Venv) -> anyhow::Result<PathBuf> {
    require_on_path(
        "python3",
        "install Python 3 (Debian: apt-get install python3-venv)",
    )?;
    let bin = venv.dir().join("bin");
    let requirements = venv.requirements;
    if venv.present() {
        eprintln!("setup: {requirements} present");
        return Ok(bin);
    }
    let digest = venv.digest()?;
    let stamp = venv.stamp();
    let requirements_path = workspace::root().join(requirements);
    let venv = venv.dir();
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
