//! `cargo xtask user add NAME [--data DIR]`: adds a person to the built-in identity
//! provider of the local stack (works while it runs), printing their password once.

use std::{path::Path, process::Command};

use crate::{dev, process};

pub fn add(name: &str, data: &Path) -> anyhow::Result<()> {
    let server = dev::build_local_server()?;
    let data = std::path::absolute(data)?;
    process::run(
        Command::new(server)
            .arg("--data")
            .arg(&data)
            .args(["user", "add", name]),
    )
}
