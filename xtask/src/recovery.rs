//! `cargo xtask rebuild-index` and `cargo xtask verify [--repair] [--quick]`:
//! the recovery tools (`lambda_index::recovery`), over the local stack's data
//! folder (`--data`, run by `shoebox-local`) or over a deployed stack
//! (`--stack NAME`, run by `shoebox-admin` with the stack's bucket and table
//! and the AWS CLI's credentials for the caller's profile, which are passed
//! in its environment and never printed).

use std::{collections::BTreeMap, path::PathBuf, process::Command};

use anyhow::{Context, bail};

use crate::{deploy::aws::Aws, dev, process, workspace};

/// Where the library is.
#[derive(Debug, clap::Args)]
pub struct Target {
    /// The local stack's data folder.
    #[arg(long, default_value = "data", conflicts_with = "stack")]
    pub data: PathBuf,
    /// A deployed stack instead (its S3 bucket and DynamoDB table).
    #[arg(long)]
    pub stack: Option<String>,
    /// The stack's region (default: the AWS CLI's configured one).
    #[arg(long, requires = "stack")]
    pub region: Option<String>,
    /// Print the AWS calls and what would run, without running anything.
    #[arg(long, requires = "stack")]
    pub dry_run: bool,
}

/// Runs the tool with `args` (`rebuild-index`, or `verify` and its flags).
pub fn run(target: &Target, args: &[&str]) -> anyhow::Result<()> {
    let Some(stack) = &target.stack else {
        let server = dev::build_local_server()?;
        let data = std::path::absolute(&target.data)?;
        return process::run(Command::new(server).arg("--data").arg(&data).args(args));
    };
    let aws = Aws::in_region(target.region.clone(), target.dry_run)?;
    let outputs = aws.outputs(stack)?;
    let credentials = aws.run(&[
        "configure",
        "export-credentials",
        "--format",
        "env-no-export",
    ])?;
    let environment = admin_environment(&outputs, &credentials, &aws.region)?;
    if aws.dry_run {
        let shown: Vec<String> = environment
            .iter()
            .filter(|(name, _)| name.starts_with("SHOEBOX_") || name == "AWS_REGION")
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        println!(
            "would run: {} shoebox-admin {} (and the credentials)",
            shown.join(" "),
            args.join(" ")
        );
        return Ok(());
    }
    process::run(
        Command::new("cargo")
            .current_dir(workspace::root())
            .args(["build", "--release", "--locked", "-p", "lambda-index"])
            .args(["--bin", "shoebox-admin"]),
    )?;
    let admin = workspace::target_dir().join("release/shoebox-admin");
    process::run(Command::new(admin).args(args).envs(environment))
}

/// What `shoebox-admin` is told: the stack's bucket and table, and the
/// credentials `aws configure export-credentials` printed.
fn admin_environment(
    outputs: &BTreeMap<String, String>,
    credentials: &str,
    region: &str,
) -> anyhow::Result<Vec<(String, String)>> {
    let output = |name: &str| {
        outputs
            .get(name)
            .cloned()
            .with_context(|| format!("the stack has no {name} output: is it a Shoebox stack?"))
    };
    let mut environment = vec![
        ("SHOEBOX_BUCKET_URL".to_owned(), output("MediaBucketUrl")?),
        ("SHOEBOX_TABLE".to_owned(), output("TableName")?),
        ("AWS_REGION".to_owned(), region.to_owned()),
    ];
    for line in credentials.lines() {
        let Some((name, value)) = line.trim().split_once('=') else {
            continue;
        };
        if matches!(
            name,
            "AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" | "AWS_SESSION_TOKEN"
        ) {
            environment.push((name.to_owned(), value.to_owned()));
        }
    }
    let has = |name: &str| environment.iter().any(|(known, _)| known == name);
    if !has("AWS_ACCESS_KEY_ID") || !has("AWS_SECRET_ACCESS_KEY") {
        bail!("the AWS CLI gave no credentials: sign in (`aws sso login`, `aws configure`) first");
    }
    Ok(environment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs() -> BTreeMap<String, String> {
        [
            ("MediaBucketUrl", "https://media.s3.eu-west-1.amazonaws.com"),
            ("TableName", "shoebox-Table-1"),
            ("SiteUrl", "https://d1.cloudfront.net"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
    }

    #[test]
    fn the_admin_tool_gets_the_stacks_bucket_and_table_and_the_profiles_keys() {
        let environment = admin_environment(
            &outputs(),
            "AWS_ACCESS_KEY_ID=AKIA1\nAWS_SECRET_ACCESS_KEY=s3cr3t=\nAWS_SESSION_TOKEN=tok\n\
             AWS_CREDENTIAL_EXPIRATION=2026-12-07T20:00:00+00:00\n",
            "eu-west-1",
        )
        .expect("an environment");
        let get = |name: &str| {
            environment
                .iter()
                .find(|(known, _)| known == name)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(
            get("SHOEBOX_BUCKET_URL"),
            Some("https://media.s3.eu-west-1.amazonaws.com")
        );
        assert_eq!(get("SHOEBOX_TABLE"), Some("shoebox-Table-1"));
        assert_eq!(get("AWS_REGION"), Some("eu-west-1"));
        assert_eq!(
            get("AWS_SECRET_ACCESS_KEY"),
            Some("s3cr3t="),
            "split at the first ="
        );
        assert_eq!(get("AWS_SESSION_TOKEN"), Some("tok"));
        assert_eq!(get("AWS_CREDENTIAL_EXPIRATION"), None);
    }

    #[test]
    fn another_stack_or_no_credentials_is_refused_before_anything_runs() {
        let mut other = outputs();
        other.remove("TableName");
        let error = admin_environment(&other, "AWS_ACCESS_KEY_ID=a\nAWS_SECRET_ACCESS_KEY=b", "r")
            .expect_err("refused");
        assert!(error.to_string().contains("no TableName output"), "{error}");
        let error = admin_environment(&outputs(), "", "r").expect_err("refused");
        assert!(error.to_string().contains("no credentials"), "{error}");
    }
}
