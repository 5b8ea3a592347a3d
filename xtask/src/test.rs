//! `cargo xtask test`: everything CI runs, in order, stopping at the first failure.
//! Ends with a table of stages and one `N passed, M failed, K skipped` line
//! summing every test runner's own counts. Under `CI=true` a skipped test fails
//! the run: what cannot run there must say so, not pass.

use std::{process::Command, time::Instant};

use anyhow::{Context, bail};

use crate::{
    deploy, infra, lambda,
    process::{self, Counts},
    setup, spa, workspace,
};

/// The crates that run in the browser, built for it.
const BROWSER_CRATES: [&str; 8] = [
    "--package",
    "app",
    "--package",
    "pipeline",
    "--package",
    "pipeline-web",
    "--target",
    "wasm32-unknown-unknown",
];

pub fn run() -> anyhow::Result<()> {
    let mut report = Report::default();
    let tools = report.stage("setup", || {
        setup::run(setup::Needs {
            browser: true,
            lambda: true,
            media: true,
        })
    })?;
    let root = workspace::root();
    let cargo = |args: &[&str]| {
        let mut command = Command::new("cargo");
        command.current_dir(&root).args(args);
        command
    };

    report.stage("format", || {
        process::run(&mut cargo(&["fmt", "--all", "--", "--check"]))
            .context("the code is not formatted: `cargo xtask fmt` formats it")
    })?;
    report.stage("format view! macros (leptosfmt)", || {
        process::run(
            Command::new("leptosfmt")
                .current_dir(&root)
                .args(["--check", "--quiet"])
                .args(setup::LEPTOSFMT_PATHS),
        )
        .context("some view! macros are not formatted: `cargo xtask fmt` formats them")
    })?;
    report.stage("clippy", || {
        process::run(&mut cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    report.stage("clippy for the browser (wasm32)", || {
        // And the HEIC decoder's, RAW developer's and Takeout reader's wasm,
        // which have no tests of their own in the browser (their decoding is
        // tested natively, and in the worker end to end).
        process::run(cargo(&["clippy"]).args(BROWSER_CRATES).args([
            "--package",
            "pipeline-heic",
            "--package",
            "pipeline-raw",
            "--package",
            "takeout",
            "--package",
            "file-source",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    report.counted("unit and API tests", || {
        process::run_counting(&mut cargo(&["test", "--workspace", "--locked"]))
    })?;
    report.counted("wasm tests in Chromium", || {
        process::run_counting(
            cargo(&["test"])
                .args(BROWSER_CRATES)
                .args(["--test", "browser", "--locked"])
                .env("PATH", tools.path())
                .env("CHROMEDRIVER", setup::CHROMEDRIVER)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
        )
    })?;
    report.stage("check the AWS template (cfn-lint, checkov)", infra::check)?;
    let lambda_zip = report.stage("build the Lambda (arm64 bootstrap.zip)", lambda::build)?;
    let dist = report.stage("build the SPA", || spa::build(&tools))?;
    report.stage("deploy to AWS, dry run", || {
        deploy::deploy(&deploy::Options::dry_run_example(), &lambda_zip, &dist)
    })?;
    report.stage("build the local stack", || {
        process::run(&mut cargo(&["build", "--package", "local", "--locked"]))
    })?;
    report.counted("end-to-end in Chromium", || {
        process::run_counting(
            Command::new("node")
                .current_dir(&root)
                .args(["--test", "--test-concurrency=1", "e2e/"])
                .env(
                    "SHOEBOX_BIN",
                    workspace::target_dir().join("debug/shoebox-local"),
                )
                .env("SHOEBOX_DIST", &dist)
                .env("SHOEBOX_ARTIFACTS", workspace::target_dir().join("e2e"))
                .env("SHOEBOX_CORPUS", root.join("../shared/photos"))
                .env("CHROMIUM", setup::CHROMIUM),
        )
    })?;
    report.finish()
}

#[derive(Default)]
struct Report {
    rows: Vec<(String, f64, Option<Counts>, bool)>,
}

impl Report {
    fn stage<T>(
        &mut self,
        name: &str,
        work: impl FnOnce() -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        eprintln!("\n==> {name}");
        let started = Instant::now();
        let result = work();
        let seconds = started.elapsed().as_secs_f64();
        self.rows
            .push((name.to_owned(), seconds, None, result.is_ok()));
        if result.is_err() {
            self.print();
        }
        result
    }

    fn counted(
        &mut self,
        name: &str,
        work: impl FnOnce() -> anyhow::Result<Counts>,
    ) -> anyhow::Result<()> {
        let counts = self.stage(name, work)?;
        if let Some(row) = self.rows.last_mut() {
            row.2 = Some(counts);
        }
        if counts.passed == 0 {
            self.print();
            bail!("`{name}` ran no test");
        }
        Ok(())
    }

    fn print(&self) {
        println!("\n| stage | result | tests | seconds |");
        println!("|---|---|---|---|");
        for (name, seconds, counts, ok) in &self.rows {
            let tests = counts.map_or(String::new(), |c| {
                format!(
                    "{} passed, {} failed, {} skipped",
                    c.passed, c.failed, c.skipped
                )
            });
            let result = if *ok { "ok" } else { "FAILED" };
            println!("| {name} | {result} | {tests} | {seconds:.1} |");
        }
    }

    fn finish(self) -> anyhow::Result<()> {
        self.print();
        let mut total = Counts::default();
        for counts in self.rows.iter().filter_map(|row| row.2) {
            total += counts;
        }
        println!(
            "\n{} passed, {} failed, {} skipped",
            total.passed, total.failed, total.skipped
        );
        if total.failed > 0 {
            bail!("{} tests failed", total.failed);
        }
        if total.skipped > 0 && std::env::var("CI").as_deref() == Ok("true") {
            bail!(
                "{} tests or suites were skipped; under CI every test must run (the table says where)",
                total.skipped
            );
        }
        Ok(())
    }
}

/// Formats the code as the format stages check it: leptosfmt first (it
/// leaves the Rust around the macros to rustfmt), then rustfmt.
pub fn format() -> anyhow::Result<()> {
    let root = workspace::root();
    process::run(
        Command::new("leptosfmt")
            .current_dir(&root)
            .arg("--quiet")
            .args(setup::LEPTOSFMT_PATHS),
    )
    .context("leptosfmt (`cargo xtask setup` installs it)")?;
    process::run(
        Command::new("cargo")
            .current_dir(&root)
            .args(["fmt", "--all"]),
    )
}
