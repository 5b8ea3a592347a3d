//! `cargo xtask`: the project's own commands. It only drives builds and tools; of
//! the product's crates it links only `api-types`, whose config shape and asset
//! rules the deploy must agree with.
//!
//! - `setup`: install what the other commands need, once per machine ([`setup`]).
//! - `doctor`: list every tool and package the commands need, present or missing ([`doctor`]).
//! - `build`: the SPA into `dist/`, offline, size-optimised ([`spa`]).
//! - `dev`: build, then run the local stack ([`dev`]).
//! - `test`: everything CI runs ([`test`]).
//! - `bench`: the project's numbers as a table ([`bench`]).
//! - `cost`: what a library costs a month on AWS, by service ([`cost`]).
//! - `lambda`: the API for AWS Lambda, arm64, as `bootstrap.zip` ([`lambda`]).
//! - `check-infra`: lint the CloudFormation template ([`infra`]).
//! - `deploy --stack NAME`: Shoebox into an AWS account ([`deploy`]).
//! - `user add NAME`: a person who may sign in to the local stack ([`user`]).

mod bench;
mod cost;
mod deploy;
mod dev;
mod doctor;
mod infra;
mod lambda;
mod process;
mod pwa;
mod recovery;
mod setup;
mod spa;
mod test;
mod user;
mod workspace;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Build, run, test and measure Shoebox")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Install the tools the other commands need (idempotent).
    Setup {
        /// Also install Chromium, ChromeDriver and the browser-test packages.
        #[arg(long)]
        browser: bool,
        /// Also install what the Lambda's arm64 build needs (the Rust target,
        /// the cross compiler and the target's C library).
        #[arg(long)]
        lambda: bool,
        /// Also install ffmpeg, which the tests make their videos with.
        #[arg(long)]
        media: bool,
    },
    /// List every tool and system package the commands need, present or missing.
    Doctor,
    /// Build the SPA (release, offline) into dist/.
    Build,
    /// Build the SPA and run Shoebox locally.
    Dev {
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Where photos, the index and keys are kept.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
    /// Run every check and test CI runs.
    Test,
    /// Put back into the index everything the photo store holds (photos,
    /// Live Photos, albums, share links): locally, or for a deployed --stack.
    RebuildIndex {
        #[command(flatten)]
        target: recovery::Target,
    },
    /// Check that the index and the photo store agree (every original there,
    /// of the right size and SHA-256, with its previews and record; every
    /// original indexed): locally, or for a deployed --stack.
    Verify {
        /// Put right what can be (records and albums written to the store,
        /// kept photos put back in the index).
        #[arg(long)]
        repair: bool,
        /// Sizes only, without reading every original.
        #[arg(long)]
        quick: bool,
        #[command(flatten)]
        target: recovery::Target,
    },
    /// Format the code as `./x test` checks it: leptosfmt for `view!` macros,
    /// then rustfmt.
    Fmt,
    /// Print the project's numbers as tables (bench.rs lists them).
    Bench {
        /// Only this part: `lambda` (its cold start and zip size).
        #[arg(long, value_enum)]
        only: Option<bench::Part>,
    },
    /// What a library costs a month on AWS, by service, with originals in
    /// Glacier Instant Retrieval and (photos') in Deep Archive side by side,
    /// against S3 Standard for everything and Google One.
    Cost {
        #[arg(long, default_value_t = 200.0)]
        photos_per_month: f64,
        /// An original's average size, in MB.
        #[arg(long, default_value_t = 15.0)]
        avg_mb: f64,
        /// Videos added a month.
        #[arg(long, default_value_t = 0.0)]
        videos_per_month: f64,
        /// A video's average size, in MB (a minute of 1080p from a phone is
        /// about 130).
        #[arg(long, default_value_t = 150.0)]
        avg_video_mb: f64,
        /// How long the library has grown.
        #[arg(long, default_value_t = 3.0)]
        years: f64,
        /// Another storage class for originals to show too (both tiers,
        /// glacier-instant-retrieval and deep-archive, are always shown).
        #[arg(long, value_enum)]
        originals: Option<cost::OriginalsClass>,
    },
    /// Build the API for AWS Lambda (arm64) into target/lambda/bootstrap.zip.
    Lambda,
    /// Lint infra/template.yaml with cfn-lint and checkov (offline).
    CheckInfra,
    /// Build and deploy Shoebox to AWS (docs/deploy.md); --dry-run prints the AWS calls.
    Deploy(deploy::Options),
    /// Manage the people who may sign in to the local stack.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Debug, Subcommand)]
enum UserAction {
    /// Add a person; prints their generated password once.
    Add {
        name: String,
        /// The local stack's data directory.
        #[arg(long, default_value = "data")]
        data: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Setup {
            browser,
            lambda,
            media,
        } => setup::run(setup::Needs {
            browser,
            lambda,
            media,
        })
        .map(drop),
        Command::Doctor => doctor::run(),
        Command::Build => spa::build_with_setup().map(drop),
        Command::Dev { port, data } => dev::run(port, data),
        Command::Test => test::run(),
        Command::RebuildIndex { target } => recovery::run(&target, &["rebuild-index"]),
        Command::Verify {
            repair,
            quick,
            target,
        } => {
            let mut args = vec!["verify"];
            args.extend(repair.then_some("--repair"));
            args.extend(quick.then_some("--quick"));
            recovery::run(&target, &args)
        }
        Command::Fmt => test::format(),
        Command::Bench { only } => bench::run(only),
        Command::Lambda => lambda::build().map(drop),
        Command::CheckInfra => infra::check(),
        Command::Deploy(options) => deploy::run(options),
        Command::Cost {
            photos_per_month,
            avg_mb,
            videos_per_month,
            avg_video_mb,
            years,
            originals,
        } => cost::run(
            cost::Library {
                photos_per_month,
                avg_mb,
                videos_per_month,
                avg_video_mb,
                years,
            },
            originals,
        ),
        Command::User {
            action: UserAction::Add { name, data },
        } => user::add(&name, &data),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
