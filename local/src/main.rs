//! `shoebox-local`: run Shoebox on this machine. `cargo xtask dev` builds the SPA and
//! starts this; it can also be run by hand against any `dist/`.

use std::{net::IpAddr, path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use lambda_index::recovery::{self, verify};
use local::{ExternalIdentity, Server, Settings, StartError, identity};
use time::format_description::well_known::Rfc3339;
use tracing_subscriber::EnvFilter;

// glibc's allocator was a fifth of the CPU time of `GET /photos` under load
// (every page builds and frees thousands of small strings); mimalloc's
// per-thread free lists make that a few percent.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Shoebox on one machine: the app, its API, its sign-in and its data, in one process.
#[derive(Debug, Parser)]
#[command(name = "shoebox-local", version)]
struct Cli {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Port for the photo store (S3-compatible; browsers upload to it). Default:
    /// the next port after --port.
    #[arg(long)]
    store_port: Option<u16>,
    /// Address to listen on. The default keeps Shoebox to this machine.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Where photos, the index, users and keys are kept.
    #[arg(long, default_value = "data", global = true)]
    data: PathBuf,
    /// The SPA build to serve (Trunk's output).
    #[arg(long, default_value = "dist")]
    dist: PathBuf,
    /// The address people open, if not http://127.0.0.1:PORT (for example
    /// http://nas.local:8080 with --bind 0.0.0.0).
    #[arg(long)]
    public_url: Option<String>,
    /// Sign in with this external OpenID provider (it must serve Cognito's paths)
    /// instead of the built-in one.
    #[arg(long, requires = "client_id")]
    issuer: Option<String>,
    /// The SPA's client id at the external provider.
    #[arg(long, requires = "issuer")]
    client_id: Option<String>,
    /// The external provider's JWKS (default: `<issuer>/.well-known/jwks.json`).
    #[arg(long, requires = "issuer")]
    jwks_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Manage the people who may sign in to the built-in provider.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Put back into the index everything the photo store holds: photos,
    /// Live Photos, albums and share links (after the index was lost).
    RebuildIndex,
    /// Check that the index and the photo store agree: every photo has its
    /// original (its SHA-256 too), previews and record; every original is
    /// indexed. Exits 1 when something is wrong.
    Verify {
        /// Put right what can be: records and albums written to the store,
        /// photos kept in the store put back in the index.
        #[arg(long)]
        repair: bool,
        /// Check sizes only, without reading every original.
        #[arg(long)]
        quick: bool,
    },
    /// Delete for good the photos that have been in the trash for 30 days
    /// (Shoebox also does this every hour while it runs).
    PurgeTrash {
        /// Purge as if it were this time (RFC 3339) rather than now.
        #[arg(long)]
        as_of: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum UserAction {
    /// Add a person; prints their generated password once.
    Add { name: String },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn,local=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let task = match &cli.command {
        Some(Command::User {
            action: UserAction::Add { name },
        }) => return add_user(&cli.data, name),
        Some(Command::PurgeTrash { as_of }) => return purge_trash(&cli.data, as_of.as_deref()),
        Some(Command::RebuildIndex) => Some(recovery::Task::Rebuild),
        Some(Command::Verify { repair, quick }) => Some(recovery::Task::Verify(verify::Options {
            repair: *repair,
            hash: !quick,
        })),
        None => None,
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(task) = task {
        return recovery::finish(runtime.block_on(local::recovery::run(&cli.data, task)));
    }
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn purge_trash(data: &std::path::Path, as_of: Option<&str>) -> ExitCode {
    let as_of = match as_of {
        None => time::OffsetDateTime::now_utc(),
        Some(text) => match time::OffsetDateTime::parse(text, &Rfc3339) {
            Ok(at) => at,
            Err(_) => {
                eprintln!("error: --as-of {text:?} is not an RFC 3339 time (2027-01-31T12:00:00Z)");
                return ExitCode::FAILURE;
            }
        },
    };
    let purged = tokio::runtime::Runtime::new()
        .map_err(|error| error.to_string())
        .and_then(|runtime| {
            runtime
                .block_on(local::trash::purge_once(data, as_of))
                .map_err(|error| error.to_string())
        });
    match purged {
        Ok(purged) => {
            println!(
                "Deleted {} photos for good from the trash ({} no longer due).",
                purged.deleted, purged.skipped
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn add_user(data: &std::path::Path, name: &str) -> ExitCode {
    match identity::add_user(data, name) {
        Ok(user) => {
            println!("Added {}. Their password: {}", user.username, user.password);
            println!("It is shown only this once; they sign in with it at Shoebox's address.");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: cannot add {name}: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), StartError> {
    let external_identity = cli.issuer.map(|issuer| {
        let issuer = issuer.trim_end_matches('/').to_owned();
        ExternalIdentity {
            jwks_url: cli
                .jwks_url
                .unwrap_or_else(|| format!("{issuer}/.well-known/jwks.json")),
            client_id: cli.client_id.unwrap_or_default(),
            issuer,
        }
    });
    let settings = Settings {
        bind: cli.bind,
        port: cli.port,
        store_port: cli.store_port.unwrap_or(if cli.port == 0 {
            0
        } else {
            cli.port.saturating_add(1)
        }),
        data_dir: cli.data,
        dist_dir: cli.dist,
        external_identity,
        public_url: cli.public_url,
    };
    let server = Server::bind(&settings).await?;
    if !server.is_loopback_only() {
        eprintln!(
            "warning: listening on {}, not only on this machine: anyone who can reach it can reach Shoebox's sign-in page",
            settings.bind
        );
    }
    // Tests and scripts read this exact line to find the port.
    println!("Shoebox is running at {}", server.url());
    if let Some(user) = server.first_user() {
        println!(
            "First run: sign in as `{}` with password `{}`",
            user.username, user.password
        );
        println!("  (shown only this once; add more people with `cargo xtask user add NAME`)");
    }
    println!(
        "Photos are uploaded to its S3-compatible store at {} (browsers must reach it too).",
        server.store_url()
    );
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
