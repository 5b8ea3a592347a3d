//! The AWS CLI as the deploy calls it, or, on a dry run, a printer of what it
//! would be asked with stand-in answers. Secrets are masked in everything shown.

use std::{collections::BTreeMap, path::PathBuf, process::Command};

use anyhow::{Context, bail};

use super::{Options, SECRET_PARAMETERS};
use crate::{process, setup};

/// The AWS CLI, or (on a dry run) a printer of what it would be asked.
pub(crate) struct Aws {
    pub(super) program: PathBuf,
    pub(crate) region: String,
    pub(crate) dry_run: bool,
}

impl Aws {
    pub(super) fn new(options: &Options) -> anyhow::Result<Aws> {
        Aws::in_region(options.region.clone(), options.dry_run)
    }

    /// The CLI for `region` (default: the CLI's configured one).
    pub(crate) fn in_region(region: Option<String>, dry_run: bool) -> anyhow::Result<Aws> {
        if dry_run {
            return Ok(Aws {
                program: "aws".into(),
                region: region.unwrap_or_else(|| "eu-west-1".into()),
                dry_run: true,
            });
        }
        let program = setup::ensure_aws_cli()?;
        // The AWS CLI's own order: the environment, then the profile's setting.
        let region = region
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
            .or_else(|| {
                process::output(Command::new(&program).args(["configure", "get", "region"]))
                    .map(|region| region.trim().to_owned())
            })
            .filter(|region| !region.is_empty())
            .context("no region: pass --region or run `aws configure`")?;
        Ok(Aws {
            program,
            region,
            dry_run: false,
        })
    }

    pub(super) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.program);
        command.args(args).args(["--region", &self.region]);
        command
    }

    /// The call as it may be shown: secret parameters masked.
    pub(super) fn shown(&self, args: &[&str]) -> String {
        let words: Vec<String> = args
            .iter()
            .map(|arg| match arg.split_once('=') {
                Some((name, _)) if SECRET_PARAMETERS.contains(&name) => format!("{name}=****"),
                _ => (*arg).to_owned(),
            })
            .map(|word| {
                if word.contains([' ', '*', ',', '"', '[', '?']) {
                    format!("'{word}'")
                } else {
                    word
                }
            })
            .collect();
        format!("aws {} --region {}", words.join(" "), self.region)
    }

    /// Runs a call that must succeed; its standard output.
    pub(crate) fn run(&self, args: &[&str]) -> anyhow::Result<String> {
        println!(
            "{} {}",
            if self.dry_run { "would run:" } else { "$" },
            self.shown(args)
        );
        if self.dry_run {
            return Ok(stand_in_answer(args));
        }
        let output = self
            .command(args)
            .stderr(std::process::Stdio::inherit())
            .output()
            .with_context(|| format!("running {}", self.program.display()))?;
        if !output.status.success() {
            bail!("{} failed ({})", self.shown(&args[..2]), output.status);
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    pub(super) fn text(&self, args: &[&str]) -> anyhow::Result<String> {
        self.run(args).map(|text| text.trim().to_owned())
    }

    /// Whether the stack's API has an origin secret. A stack made before the
    /// API required one has none (or an empty one), and its new API would not
    /// start without it. The value itself is never printed.
    pub(super) fn origin_secret_set(&self, stack: &str) -> anyhow::Result<bool> {
        let function = format!("{stack}-api");
        let args = [
            "lambda",
            "get-function-configuration",
            "--function-name",
            &function,
            "--query",
            "Environment.Variables.SHOEBOX_ORIGIN_SECRET",
            "--output",
            "text",
        ];
        println!("$ {}", self.shown(&args));
        if self.dry_run {
            return Ok(true);
        }
        let output = self
            .command(&args)
            .stderr(std::process::Stdio::inherit())
            .output()
            .with_context(|| format!("running {}", self.program.display()))?;
        if !output.status.success() {
            bail!("{} failed ({})", self.shown(&args[..2]), output.status);
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().len() == 64)
    }

    /// Whether a call succeeds (a lookup of something that may not exist).
    pub(super) fn succeeds(&self, args: &[&str]) -> anyhow::Result<bool> {
        if self.dry_run {
            println!("would ask: {}", self.shown(args));
            return Ok(false);
        }
        Ok(self
            .command(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()?
            .success())
    }

    /// The stack's status, or `None` when there is no such stack.
    pub(super) fn stack_status(&self, stack: &str) -> anyhow::Result<Option<String>> {
        let args = [
            "cloudformation",
            "describe-stacks",
            "--stack-name",
            stack,
            "--query",
            "Stacks[0].StackStatus",
            "--output",
            "text",
        ];
        if self.dry_run {
            println!(
                "would ask: {} (a dry run takes it as new)",
                self.shown(&args)
            );
            return Ok(None);
        }
        let output = self
            .command(&args)
            .stderr(std::process::Stdio::null())
            .output()
            .with_context(|| format!("running {}", self.program.display()))?;
        let status = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Ok((output.status.success() && !status.is_empty()).then_some(status))
    }

    pub(crate) fn outputs(&self, stack: &str) -> anyhow::Result<BTreeMap<String, String>> {
        let json = self.run(&[
            "cloudformation",
            "describe-stacks",
            "--stack-name",
            stack,
            "--query",
            "Stacks[0].Outputs",
            "--output",
            "json",
        ])?;
        let outputs: Vec<serde_json::Value> =
            serde_json::from_str(&json).context("reading the stack's outputs")?;
        Ok(outputs
            .iter()
            .filter_map(|output| {
                Some((
                    output["OutputKey"].as_str()?.to_owned(),
                    output["OutputValue"].as_str()?.to_owned(),
                ))
            })
            .collect())
    }
}

/// What a dry run pretends AWS answered: the shapes the real answers have, with
/// AWS's documentation examples for values.
pub(super) fn stand_in_answer(args: &[&str]) -> String {
    match args {
        ["sts", ..] => "123456789012".to_owned(),
        ["cloudformation", "describe-stacks", ..] => {
            let auth = "https://example-shoebox.auth.eu-west-1.amazoncognito.com";
            let site = "https://d111111abcdef8.cloudfront.net";
            serde_json::json!([
                {"OutputKey": "SiteUrl", "OutputValue": site},
                {"OutputKey": "SiteBucketName", "OutputValue": "shoebox-site-EXAMPLE"},
                {"OutputKey": "DistributionId", "OutputValue": "EDFDVBD6EXAMPLE"},
                {"OutputKey": "Issuer",
                 "OutputValue": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_EXAMPLE"},
                {"OutputKey": "AuthDomainUrl", "OutputValue": auth},
                {"OutputKey": "UserPoolClientId", "OutputValue": "1example23456789"},
                {"OutputKey": "GoogleRedirectUri", "OutputValue": format!("{auth}/oauth2/idpresponse")},
                {"OutputKey": "MediaBucketUrl",
                 "OutputValue": "https://shoebox-media-example.s3.eu-west-1.amazonaws.com"},
                {"OutputKey": "TableName", "OutputValue": "shoebox-Table-EXAMPLE"},
            ])
            .to_string()
        }
        ["configure", "export-credentials", ..] => "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n\
             AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
            .to_owned(),
        _ => String::new(),
    }
}
