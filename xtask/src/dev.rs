//! `cargo xtask dev`: build the SPA and the local stack (release), then become the
//! local server, so Ctrl-C stops it directly.

use std::{net::TcpListener, os::unix::process::CommandExt, path::PathBuf, process::Command};

use anyhow::{Context, bail};

use crate::{process, setup, spa, workspace};

pub fn run(port: u16, data: PathBuf) -> anyhow::Result<()> {
    // Fail before minutes of building, not after.
    if port != 0 && TcpListener::bind(("127.0.0.1", port)).is_err() {
        bail!(
            "port {port} on 127.0.0.1 is already in use: stop the other program or pick another with --port"
        );
    }
    let tools = setup::run(setup::Needs {
        browser: false,
        lambda: false,
        media: false,
    })?;
    let dist = spa::build(&tools)?;
    let server = build_local_server()?;
    let data = std::path::absolute(&data).context("resolving --data")?;
    let error = Command::new(&server)
        .arg("--port")
        .arg(port.to_string())
        .arg("--data")
        .arg(&data)
        .arg("--dist")
        .arg(&dist)
        .exec();
    Err(error).with_context(|| format!("cannot start {}", server.display()))
}

/// `shoebox-local`, release build; returns its path.
pub fn build_local_server() -> anyhow::Result<PathBuf> {
    build_local(&[])?;
    Ok(workspace::target_dir().join("release/shoebox-local"))
}

/// A release build of the `local` package, with `extra` cargo arguments (an
/// example the bench needs).
pub fn build_local(extra: &[&str]) -> anyhow::Result<()> {
    process::run(
        Command::new("cargo")
            .current_dir(workspace::root())
            .args(["build", "--release", "--locked", "--package", "local"])
            .args(extra),
    )
}
