//! `shoebox-local`: run Shoebox on this machine. `cargo xtask dev` builds the SPA and
//! starts this; it can also be run by hand against any `dist/`.

use std::{net::IpAddr, path::PathBuf, process::ExitCode};

use clap::Parser;
use local::{Server, Settings, StartError};
use tracing_subscriber::EnvFilter;

/// Shoebox on one machine: the app, its API and its data, in one process.
#[derive(Debug, Parser)]
#[command(name = "shoebox-local", version)]
struct Cli {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on. The default keeps Shoebox to this machine.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Where photos, the index and keys are kept.
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// The SPA build to serve (Trunk's output).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,local=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), StartError> {
    let settings = Settings {
        bind: cli.bind,
        port: cli.port,
        data_dir: cli.data,
        dist_dir: cli.dist,
    };
    let server = Server::bind(&settings).await?;
    if !server.is_loopback_only() {
        eprintln!(
            "warning: listening on {}, not only on this machine: anyone who can reach it can reach Shoebox",
            settings.bind
        );
    }
    // Tests and scripts read this exact line to find the port.
    println!("Shoebox is running at {}", server.url());
    println!(
        "Data is kept in {}. Press Ctrl-C to stop.",
        server.data_dir().display()
    );
    server.serve(shutdown_signal()).await?;
    println!("Shoebox stopped.");
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
