//! The Lambda's artifact, `target/lambda/bootstrap.zip`: `lambda-index` built for
//! arm64 (`aarch64-unknown-linux-gnu`, linked by Debian's cross gcc), without
//! symbols, named `bootstrap` as the `provided.al2023` runtime wants it. The
//! build checks what it made: an AArch64 ELF that asks for no glibc newer than
//! the runtime's 2.34.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, bail};

use crate::{process, setup, workspace};

pub const TARGET: &str = setup::LAMBDA_TARGET;
/// The glibc of Lambda's `provided.al2023` runtime.
const RUNTIME_GLIBC: (u32, u32) = (2, 34);
/// ELF's machine number for AArch64.
const EM_AARCH64: u16 = 183;

/// `cargo build` of the Lambda's binary with the Lambda's profile, for this
/// machine unless told a `--target`.
pub fn cargo_build() -> Command {
    let mut command = Command::new("cargo");
    command.current_dir(workspace::root()).args([
        "build",
        "--locked",
        "--profile",
        "lambda",
        "--package",
        "lambda-index",
        "--bin",
        "lambda-index",
    ]);
    command
}

/// The Lambda's binary built for this machine by [`cargo_build`] (the bench
/// measures its cold start).
pub fn native_binary() -> PathBuf {
    workspace::target_dir().join("lambda/lambda-index")
}

/// Builds, checks and zips the Lambda; returns the zip.
pub fn build() -> anyhow::Result<PathBuf> {
    setup::ensure_lambda_build()?;
    let gcc = "aarch64-linux-gnu-gcc";
    process::run(
        cargo_build()
            .args(["--target", TARGET])
            .env("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER", gcc)
            .env("CC_aarch64_unknown_linux_gnu", gcc)
            .env("AR_aarch64_unknown_linux_gnu", "aarch64-linux-gnu-ar"),
    )?;
    let binary = workspace::target_dir()
        .join(TARGET)
        .join("lambda/lambda-index");
    let bytes = fs::read(&binary).with_context(|| format!("reading {}", binary.display()))?;
    check(&bytes)?;
    let out = workspace::target_dir().join("lambda");
    fs::create_dir_all(&out)?;
    let zip = out.join("bootstrap.zip");
    write_zip(&zip, &bytes)?;
    let size = fs::metadata(&zip)?.len();
    println!(
        "{}: bootstrap {:.1} MB, zipped {:.2} MB",
        zip.display(),
        bytes.len() as f64 / 1e6,
        size as f64 / 1e6
    );
    Ok(zip)
}

/// An AArch64 ELF executable that needs no glibc newer than the runtime's.
fn check(binary: &[u8]) -> anyhow::Result<()> {
    let header = binary.get(..20).context("not an ELF file: too short")?;
    if &header[..4] != b"\x7fELF" || header[4] != 2 || header[5] != 1 {
        bail!("the Lambda binary is not a 64-bit little-endian ELF file");
    }
    let machine = u16::from_le_bytes([header[18], header[19]]);
    if machine != EM_AARCH64 {
        bail!("the Lambda binary is for ELF machine {machine}, not AArch64 ({EM_AARCH64})");
    }
    if let Some(newest) = newest_glibc(binary)
        && newest > RUNTIME_GLIBC
    {
        bail!(
            "the Lambda binary needs glibc {}.{}; provided.al2023 has {}.{}",
            newest.0,
            newest.1,
            RUNTIME_GLIBC.0,
            RUNTIME_GLIBC.1
        );
    }
    Ok(())
}

/// The newest `GLIBC_x.y` symbol version the binary names.
fn newest_glibc(binary: &[u8]) -> Option<(u32, u32)> {
    const MARK: &[u8] = b"GLIBC_";
    binary
        .windows(MARK.len())
        .enumerate()
        .filter(|(_, window)| *window == MARK)
        .filter_map(|(at, _)| {
            let rest = &binary[at + MARK.len()..];
            let end = rest
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b'.'))?;
            let text = std::str::from_utf8(&rest[..end]).ok()?;
            let mut parts = text.split('.');
            Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
        })
        .max()
}

/// The zip AWS takes: one executable file, `bootstrap`.
fn write_zip(path: &Path, binary: &[u8]) -> anyhow::Result<()> {
    let file = fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .unix_permissions(0o755);
    zip.start_file("bootstrap", options)?;
    zip.write_all(binary)?;
    zip.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elf(machine: u16, tail: &[u8]) -> Vec<u8> {
        let mut bytes = b"\x7fELF\x02\x01\x01".to_vec();
        bytes.resize(18, 0);
        bytes.extend_from_slice(&machine.to_le_bytes());
        bytes.extend_from_slice(tail);
        bytes
    }

    #[test]
    fn only_an_arm64_elf_for_the_runtimes_glibc_passes() {
        assert!(check(&elf(EM_AARCH64, b"\0GLIBC_2.17\0GLIBC_2.34\0")).is_ok());
        assert!(check(&elf(62, b"")).is_err(), "x86-64");
        let too_new = check(&elf(EM_AARCH64, b"\0GLIBC_2.17\0GLIBC_2.38\0"));
        assert!(too_new.is_err_and(|error| error.to_string().contains("2.38")));
        assert!(check(b"#!/bin/sh\necho hi\n").is_err(), "not an ELF file");
    }
}
