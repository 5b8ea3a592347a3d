//! The AWS template's checks: `cfn-lint` (no errors, no warnings) and `checkov`
//! offline (every failed check fixed, or skipped in the template with its reason),
//! both pinned in infra/requirements.txt; then the code inside it, each run as
//! AWS runs it: the CloudFront Function against the SPA's routes
//! (`infra/spa-rewrite.test.mjs`, Node) and the pre-sign-up trigger against
//! the allow-list (`infra/signup-guard.test.mjs`, python3); and the template's
//! own tests (`infra/*.test.mjs`: the media bucket's rules, where originals
//! move, throttles).

use std::process::Command;

use crate::{process, setup, workspace};

pub const TEMPLATE: &str = "infra/template.yaml";

pub fn check() -> anyhow::Result<()> {
    let bin = setup::ensure_infra_lint()?;
    let root = workspace::root();
    process::run(
        Command::new(bin.join("cfn-lint"))
            .current_dir(&root)
            .arg(TEMPLATE),
    )?;
    process::run(
        Command::new(bin.join("checkov"))
            .current_dir(&root)
            .args(["--file", TEMPLATE])
            .args(["--framework", "cloudformation"])
            .args(["--skip-download", "--compact", "--quiet"]),
    )?;
    process::run(
        Command::new("node")
            .current_dir(&root)
            .args(["--test", "infra/"]),
    )
}
