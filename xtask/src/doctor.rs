//! `cargo xtask doctor`: every tool and system package the README's commands
//! need, each present or missing, so a missing step shows before a build fails.
//! It only looks; `./x` and `cargo xtask setup` install. The checks are
//! [`setup`]'s own, so what doctor reports is what setup would do.

use std::fmt::Write as _;

use crate::{setup, workspace};

/// The commands a requirement is for.
const DEV_TEST: &str = "dev, test";
const TEST: &str = "test";
const LAMBDA: &str = "test, lambda, deploy";

/// One line of the report.
struct Requirement {
    what: String,
    needed_by: &'static str,
    /// What was found (a version or a path), or `None` when it is missing.
    found: Option<String>,
    /// Who installs it when it is missing.
    installed_by: String,
}

impl Requirement {
    fn new(what: impl Into<String>, needed_by: &'static str, found: Option<String>) -> Self {
        Self {
            what: what.into(),
            needed_by,
            found,
            installed_by: "cargo xtask setup".into(),
        }
    }

    fn installed_by(mut self, who: impl Into<String>) -> Self {
        self.installed_by = who.into();
        self
    }

    /// Whether `./x dev` or `./x test` cannot run without it.
    fn blocks_the_readme_commands(&self) -> bool {
        self.found.is_none()
            && self
                .needed_by
                .split(", ")
                .any(|c| c == "dev" || c == "test")
    }
}

fn present_if(yes: bool, shown: impl Into<String>) -> Option<String> {
    yes.then(|| shown.into())
}

fn requirements() -> anyhow::Result<Vec<Requirement>> {
    let toolchain = workspace::pinned_toolchain()?;
    let rustc = setup::version_of("rustc").filter(|found| found.contains(&toolchain));
    let (bindgen_present, bindgen_version) = setup::wasm_bindgen_present()?;
    let (node_packages_present, _) = setup::node_packages_present()?;
    let trunk = format!("trunk {}", setup::TRUNK_VERSION);
    let leptosfmt = format!("leptosfmt {}", setup::LEPTOSFMT_VERSION);

    let mut rows = vec![
        Requirement::new("rustup", "every command", setup::version_of("rustup"))
            .installed_by("you: your package manager or rustup.rs"),
        Requirement::new(format!("Rust {toolchain}"), "every command", rustc).installed_by("./x"),
        Requirement::new(
            "wasm32-unknown-unknown target",
            DEV_TEST,
            present_if(
                setup::rust_target_present("wasm32-unknown-unknown"),
                "installed",
            ),
        )
        .installed_by("./x"),
        Requirement::new(
            format!("{} target", setup::LAMBDA_TARGET),
            LAMBDA,
            present_if(
                setup::rust_target_present(setup::LAMBDA_TARGET),
                "installed",
            ),
        )
        .installed_by("cargo xtask setup --lambda"),
        Requirement::new("node (20 or newer)", DEV_TEST, setup::version_of("node"))
            .installed_by("you: apt-get install nodejs npm"),
        Requirement::new("npm", DEV_TEST, setup::version_of("npm"))
            .installed_by("you: apt-get install nodejs npm"),
        Requirement::new(
            "python3 (with venv)",
            "test, bench",
            setup::version_of("python3"),
        )
        .installed_by("you: apt-get install python3-venv"),
        Requirement::new(
            trunk.clone(),
            DEV_TEST,
            setup::version_of("trunk").filter(|found| *found == trunk),
        ),
        Requirement::new(
            leptosfmt.clone(),
            TEST,
            setup::version_of("leptosfmt").filter(|found| *found == leptosfmt),
        ),
        Requirement::new(
            format!("wasm-bindgen-cli {bindgen_version} (Cargo.lock's)"),
            DEV_TEST,
            present_if(bindgen_present, "installed"),
        ),
        Requirement::new(
            "node packages (wasm-opt, playwright-core)",
            DEV_TEST,
            present_if(node_packages_present, "as package-lock.json says"),
        ),
    ];
    let debian = [
        (
            &setup::BROWSER_PACKAGES[..],
            TEST,
            "cargo xtask setup --browser",
        ),
        (
            &setup::LAMBDA_PACKAGES[..],
            LAMBDA,
            "cargo xtask setup --lambda",
        ),
        (
            &setup::MEDIA_PACKAGES[..],
            TEST,
            "cargo xtask setup --media",
        ),
        (&setup::BENCH_PACKAGES[..], "bench", "cargo xtask bench"),
    ];
    for (packages, needed_by, installer) in debian {
        for package in packages {
            rows.push(
                Requirement::new(
                    format!("Debian package {}", package.name),
                    needed_by,
                    present_if(package.present(), package.installs),
                )
                .installed_by(installer),
            );
        }
    }
    let venvs = [
        (setup::INFRA_VENV, TEST, "cfn-lint, checkov", "check-infra"),
        (setup::BENCH_VENV, "bench", "Pillow, numpy", "bench"),
    ];
    for (venv, needed_by, holds, installer) in venvs {
        rows.push(
            Requirement::new(
                format!("{} ({holds})", venv.requirements),
                needed_by,
                present_if(venv.present(), "installed"),
            )
            .installed_by(format!("cargo xtask {installer}")),
        );
    }
    let aws = setup::version_of("aws").or_else(|| present_if(setup::AWS_VENV.present(), "venv"));
    rows.push(Requirement::new("AWS CLI", "deploy", aws).installed_by("cargo xtask deploy"));
    Ok(rows)
}

/// The report as a Markdown table, then what to run.
fn render(rows: &[Requirement]) -> String {
    let mut out =
        String::from("| requirement | needed by | status | installed by |\n|---|---|---|---|\n");
    for row in rows {
        let status = match &row.found {
            Some(found) => format!("present: {}", found.lines().next().unwrap_or_default()),
            None => "MISSING".to_owned(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {status} | {} |",
            row.what, row.needed_by, row.installed_by
        );
    }
    let missing = rows.iter().filter(|row| row.found.is_none()).count();
    let blocking = rows
        .iter()
        .filter(|row| row.blocks_the_readme_commands())
        .count();
    let _ = writeln!(
        out,
        "\n{missing} missing, {blocking} of them needed by `./x dev` or `./x test`."
    );
    if blocking > 0 {
        out.push_str(
            "`./x test` installs everything marked `cargo xtask setup`; install what says `you:` first.\n",
        );
    }
    out
}

/// Prints the report. Always succeeds: it only looks, and what is missing is
/// exactly what the next `./x` command will install or name.
pub fn run() -> anyhow::Result<()> {
    print!("{}", render(&requirements()?));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_requirement_shows_as_missing_and_counts_only_if_dev_or_test_need_it() {
        let rows = [
            Requirement::new("trunk", DEV_TEST, None),
            Requirement::new("libc6-dev-arm64-cross", LAMBDA, None),
            Requirement::new("wrk", "bench", None),
            Requirement::new("node", DEV_TEST, Some("v20.20.2".into())),
        ];
        let report = render(&rows);
        assert!(report.contains("| trunk | dev, test | MISSING | cargo xtask setup |"));
        assert!(report.contains("| node | dev, test | present: v20.20.2 |"));
        assert!(report.contains("3 missing, 2 of them needed by `./x dev` or `./x test`."));
    }

    #[test]
    fn the_lambda_build_needs_the_arm64_c_library_not_only_the_compiler() {
        let names: Vec<&str> = setup::LAMBDA_PACKAGES.iter().map(|p| p.name).collect();
        assert_eq!(names, ["gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"]);
    }
}
