//! `cargo xtask user add NAME [--data DIR]`: adds a person to the built-in identity
//! provider of the local stack (works while it runs), printing their password once.

use std::{path::Path, process::Command};

use crate::{process, workspace};

pub fn add(name: &str, data: &Path) -> anyhow::Result<()> {
    process::run(Command::new("cargo").current_dir(workspace::root()).args([
        "build",
        "--release",
        "--locked",
        "--package",
        "local",
    ]))?;
    let data = std::path::absolute(data)?;
    process::run(
        Command::new(workspace::target_dir().join("release/shoebox-local"))
            .arg("--data")
            .arg(&data)
            .args(["user", "add", name]),
    )
}
