//! `cargo xtask deploy --stack NAME [--region R] [--dry-run]`: Shoebox into the
//! caller's AWS account, from nothing or over an earlier deploy.
//!
//! 1. Builds the Lambda for arm64 (`lambda.rs`) and the SPA (`spa.rs`).
//! 2. Puts the Lambda's zip in a deploy bucket of the account
//!    (`shoebox-deploy-{account}-{region}`, made private on first use; templates
//!    expire after 90 days, zips stay for rollbacks), under its content hash, so a changed binary is a changed key and CloudFormation
//!    updates the function.
//! 3. `aws cloudformation deploy` of `infra/template.yaml`. On a new stack the
//!    Google client, the sign-in domain and the allowed accounts are required, and
//!    the cursor key and CloudFront's secret header for the API are made here;
//!    on an update every parameter not given keeps its value (the CLI sends
//!    `UsePreviousValue`).
//! 4. Uploads the SPA with each file's `Content-Type` and `Cache-Control`
//!    (`api_types::assets`): hashed files first, then the rest, and
//!    `config.json` (written from the stack's outputs) and `index.html` last, so
//!    no visitor gets a page naming files that are not there yet.
//! 5. Invalidates CloudFront's copies, so the new `index.html` shows at once.
//!
//! `--dry-run` does all that needs no AWS (both builds, the upload plan, the
//! config from stand-in outputs) and prints every AWS call instead of making it,
//! secrets masked. The AWS CLI is the one on `PATH`, or `awscli` from PyPI in a
//! venv of the cache (`setup::ensure_venv`).

use std::{
    collections::BTreeMap,
    fs,
    io::Read,
    path::{Path, PathBuf},
    process::Command,
};

use anyhow::{Context, bail};
use api_types::{AuthConfig, RuntimeConfig, UploadConfig, assets};
use sha2::{Digest, Sha256};

use crate::{lambda, process, setup, spa, workspace};

/// What the deploy is told; everything but the stack is optional on an update.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// The CloudFormation stack: one per deployment of Shoebox.
    #[arg(long)]
    pub stack: String,
    /// The AWS region (default: the CLI's configured one).
    #[arg(long)]
    pub region: Option<String>,
    /// Build and plan everything, and print the AWS calls without making them.
    #[arg(long)]
    pub dry_run: bool,
    /// The Google OAuth client's id (its secret is read from the environment
    /// variable SHOEBOX_GOOGLE_CLIENT_SECRET, to keep it out of shell history).
    #[arg(long)]
    pub google_client_id: Option<String>,
    /// The Cognito sign-in domain's prefix: https://PREFIX.auth.REGION.amazoncognito.com.
    #[arg(long)]
    pub auth_domain: Option<String>,
    /// The Google accounts that may sign in, comma-separated.
    #[arg(long)]
    pub allowed_emails: Option<String>,
    /// A domain of your own for the app (with --certificate-arn).
    #[arg(long)]
    pub domain: Option<String>,
    /// An ACM certificate in us-east-1 for --domain.
    #[arg(long)]
    pub certificate_arn: Option<String>,
    /// Where originals go: GLACIER_IR (default), INTELLIGENT_TIERING, STANDARD_IA or STANDARD.
    #[arg(long)]
    pub originals_class: Option<String>,
    /// Days before originals move to that class.
    #[arg(long)]
    pub originals_after_days: Option<u32>,
    /// Put AWS WAF in front (about 8 USD a month; the stack must be in us-east-1).
    #[arg(long)]
    pub waf: Option<bool>,
    /// Never an option: read from SHOEBOX_GOOGLE_CLIENT_SECRET.
    #[arg(skip)]
    pub google_client_secret: Option<String>,
}

impl Options {
    /// What CI's dry run deploys: a new stack, with every first-deploy value.
    pub fn dry_run_example() -> Options {
        Options {
            stack: "shoebox-ci".into(),
            region: Some("eu-west-1".into()),
            dry_run: true,
            google_client_id: Some("1234-example.apps.googleusercontent.com".into()),
            auth_domain: Some("example-shoebox".into()),
            allowed_emails: Some("alice@example.com,bob@example.com".into()),
            domain: None,
            certificate_arn: None,
            originals_class: None,
            originals_after_days: None,
            waf: None,
            google_client_secret: Some("example-secret".into()),
        }
    }
}

const SECRET_ENV: &str = "SHOEBOX_GOOGLE_CLIENT_SECRET";
/// Stack parameters whose values are never printed.
const SECRET_PARAMETERS: [&str; 3] = ["GoogleClientSecret", "CursorKey", "OriginSecret"];
/// Parameters a new stack cannot do without, with the option that gives each.
const FIRST_DEPLOY: [(&str, &str); 4] = [
    ("GoogleClientId", "--google-client-id"),
    ("GoogleClientSecret", SECRET_ENV),
    ("AuthDomainPrefix", "--auth-domain"),
    ("AllowedEmails", "--allowed-emails"),
];

pub fn run(options: Options) -> anyhow::Result<()> {
    check_stack_name(&options.stack)?;
    let zip = lambda::build()?;
    let tools = setup::run(setup::Needs {
        browser: false,
        lambda: false,
    })?;
    let dist = spa::build(&tools)?;
    deploy(&options, &zip, &dist)
}

/// Steps 2 to 5, with the Lambda's zip and the SPA already built (CI builds
/// them once for its other stages).
pub fn deploy(options: &Options, zip: &Path, dist: &Path) -> anyhow::Result<()> {
    check_stack_name(&options.stack)?;
    let template = workspace::root().join(crate::infra::TEMPLATE);
    let uploads = upload_plan(dist)?;

    let aws = Aws::new(options)?;
    let account = aws.text(&[
        "sts",
        "get-caller-identity",
        "--query",
        "Account",
        "--output",
        "text",
    ])?;
    let deploy_bucket = format!("shoebox-deploy-{account}-{}", aws.region);
    ensure_deploy_bucket(&aws, &deploy_bucket)?;
    let code_key = format!(
        "lambda/{}/api-{}.zip",
        options.stack,
        &hex(&Sha256::digest(fs::read(zip)?))[..16]
    );
    aws.run(&[
        "s3",
        "cp",
        &zip.display().to_string(),
        &format!("s3://{deploy_bucket}/{code_key}"),
        "--only-show-errors",
    ])?;

    let is_new = match aws.stack_status(&options.stack)?.as_deref() {
        // A stack CloudFormation has only begun to review is not there yet.
        None | Some("REVIEW_IN_PROGRESS") => true,
        // A first deploy that failed leaves a stack that can only be deleted.
        Some("ROLLBACK_COMPLETE") => bail!(
            "the first deploy of {0} failed and was rolled back (its events say why: aws \
             cloudformation describe-stack-events --stack-name {0}); delete it with aws \
             cloudformation delete-stack --stack-name {0}, then deploy again",
            options.stack
        ),
        Some(status) if status.ends_with("_IN_PROGRESS") => {
            bail!(
                "{} is busy ({status}); deploy again when it is done",
                options.stack
            )
        }
        // UPDATE_ROLLBACK_FAILED, DELETE_FAILED: CloudFormation needs a hand first.
        Some(status) if status.ends_with("_FAILED") => bail!(
            "{0} is {status}; its events say why (aws cloudformation describe-stack-events \
             --stack-name {0}). After an update's failed rollback: aws cloudformation \
             continue-update-rollback --stack-name {0}",
            options.stack
        ),
        Some(_) => false,
    };
    let stack = if is_new {
        Stack::New
    } else {
        Stack::Existing {
            has_origin_secret: aws.origin_secret_set(&options.stack)?,
        }
    };
    let parameters = parameters(options, stack, &deploy_bucket, &code_key)?;
    let mut deploy: Vec<String> = [
        "cloudformation",
        "deploy",
        "--stack-name",
        &options.stack,
        "--template-file",
        &template.display().to_string(),
        "--s3-bucket",
        &deploy_bucket,
        "--s3-prefix",
        &format!("templates/{}", options.stack),
        "--capabilities",
        "CAPABILITY_IAM",
        "--no-fail-on-empty-changeset",
        "--parameter-overrides",
    ]
    .map(str::to_owned)
    .to_vec();
    deploy.extend(
        parameters
            .iter()
            .map(|(key, value)| format!("{key}={value}")),
    );
    aws.run(&deploy.iter().map(String::as_str).collect::<Vec<_>>())?;

    let outputs = aws.outputs(&options.stack)?;
    let output = |name: &str| {
        outputs
            .get(name)
            .cloned()
            .with_context(|| format!("the stack has no output {name}"))
    };
    let config_file = workspace::target_dir()
        .join("deploy")
        .join(&options.stack)
        .join("config.json");
    fs::create_dir_all(config_file.parent().context("config dir")?)?;
    let config = runtime_config(&outputs)?;
    fs::write(&config_file, serde_json::to_vec_pretty(&config)?)?;

    let site = format!("s3://{}", output("SiteBucketName")?);
    for upload in &uploads {
        if upload.key == "index.html" {
            // config.json goes just before the page that reads it.
            upload_file(&aws, &config_file, "config.json", &site)?;
        }
        upload_file(&aws, &upload.path, &upload.key, &site)?;
    }
    aws.run(&[
        "cloudfront",
        "create-invalidation",
        "--distribution-id",
        &output("DistributionId")?,
        "--paths",
        "/*",
        "--query",
        "Invalidation.Id",
        "--output",
        "text",
    ])?;

    println!();
    if aws.dry_run {
        println!("dry run: nothing was sent to AWS; the outputs above are stand-ins.");
    }
    println!("Shoebox is at {}", output("SiteUrl")?);
    println!(
        "Google's console, your OAuth client, Authorized redirect URIs: {}",
        output("GoogleRedirectUri")?
    );
    Ok(())
}

/// CloudFormation's rule for stack names, and short enough that the names the
/// template makes from it (`{stack}-signup-guard`, a Lambda's 64 characters) fit.
fn check_stack_name(stack: &str) -> anyhow::Result<()> {
    let mut chars = stack.chars();
    let well_formed = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !well_formed || stack.len() > 51 {
        bail!(
            "the stack name {stack:?} must start with a letter, hold only letters, digits \
             and hyphens, and be at most 51 characters"
        );
    }
    Ok(())
}

/// One file of the SPA and where it goes.
#[derive(Debug, PartialEq)]
struct Upload {
    path: PathBuf,
    key: String,
}

/// The SPA's files in upload order: content-hashed ones first (nothing names
/// them yet), then the others, the service worker, and `index.html` last. The
/// `.br`/`.gz` siblings stay home: CloudFront compresses for itself.
fn upload_plan(dist: &Path) -> anyhow::Result<Vec<Upload>> {
    let mut uploads = Vec::new();
    for path in spa::files(dist)? {
        let key = path
            .strip_prefix(dist)?
            .to_str()
            .context("a file name that is not UTF-8")?
            .to_owned();
        let name = key.rsplit('/').next().unwrap_or_default();
        if name.starts_with('.') || name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        content_type(name)?;
        uploads.push(Upload { path, key });
    }
    let rank = |upload: &Upload| match upload.key.as_str() {
        "index.html" => 3,
        "sw.js" => 2,
        key if assets::is_content_hashed(key.rsplit('/').next().unwrap_or_default()) => 0,
        _ => 1,
    };
    uploads.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.key.cmp(&b.key)));
    if uploads.last().map(|upload| upload.key.as_str()) != Some("index.html") {
        bail!("{} has no index.html", dist.display());
    }
    Ok(uploads)
}

/// The type each file is served with; an unknown kind stops the deploy rather
/// than go up as `binary/octet-stream`.
fn content_type(name: &str) -> anyhow::Result<&'static str> {
    let extension = name.rsplit('.').next().unwrap_or_default();
    Ok(match extension {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => bail!("no content type known for {name}"),
    })
}

fn upload_file(aws: &Aws, path: &Path, key: &str, site: &str) -> anyhow::Result<()> {
    let name = key.rsplit('/').next().unwrap_or_default();
    aws.run(&[
        "s3",
        "cp",
        &path.display().to_string(),
        &format!("{site}/{key}"),
        "--content-type",
        content_type(name)?,
        "--cache-control",
        assets::cache_control(name),
        "--only-show-errors",
    ])
    .map(drop)
}

/// What the deploy found of the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stack {
    New,
    /// `has_origin_secret` is false for a stack made before the API required one.
    Existing {
        has_origin_secret: bool,
    },
}

/// The stack's parameters this deploy sets. The rest keep their values.
fn parameters(
    options: &Options,
    stack: Stack,
    code_bucket: &str,
    code_key: &str,
) -> anyhow::Result<Vec<(&'static str, String)>> {
    let mut parameters = vec![
        ("ApiCodeBucket", code_bucket.to_owned()),
        ("ApiCodeKey", code_key.to_owned()),
    ];
    let secret = options
        .google_client_secret
        .clone()
        .or_else(|| std::env::var(SECRET_ENV).ok())
        .filter(|secret| !secret.is_empty());
    for (name, value) in [
        ("GoogleClientId", options.google_client_id.clone()),
        ("GoogleClientSecret", secret),
        ("AuthDomainPrefix", options.auth_domain.clone()),
        ("AllowedEmails", options.allowed_emails.clone()),
        ("DomainName", options.domain.clone()),
        ("CertificateArn", options.certificate_arn.clone()),
        ("OriginalsStorageClass", options.originals_class.clone()),
        (
            "OriginalsTransitionDays",
            options.originals_after_days.map(|days| days.to_string()),
        ),
        ("EnableWaf", options.waf.map(|waf| waf.to_string())),
    ] {
        if let Some(value) = value {
            parameters.push((name, value));
        }
    }
    if stack == Stack::New {
        let missing: Vec<&str> = FIRST_DEPLOY
            .iter()
            .filter(|(name, _)| !parameters.iter().any(|(given, _)| given == name))
            .map(|(_, option)| *option)
            .collect();
        if !missing.is_empty() {
            bail!(
                "a new stack needs {} (docs/deploy.md says where each comes from)",
                missing.join(", ")
            );
        }
        parameters.push(("CursorKey", random_hex(32)?));
    }
    if matches!(
        stack,
        Stack::New
            | Stack::Existing {
                has_origin_secret: false
            }
    ) {
        parameters.push(("OriginSecret", random_hex(32)?));
    }
    Ok(parameters)
}

/// `/config.json` for the SPA, from the stack's outputs.
fn runtime_config(outputs: &BTreeMap<String, String>) -> anyhow::Result<RuntimeConfig> {
    let output = |name: &str| {
        outputs
            .get(name)
            .map(|value| value.trim_end_matches('/').to_owned())
            .with_context(|| format!("the stack has no output {name}"))
    };
    let sign_in = output("AuthDomainUrl")?;
    let config = RuntimeConfig {
        api_base: "/api".to_owned(),
        auth: AuthConfig {
            issuer: output("Issuer")?,
            authorize_url: format!("{sign_in}/oauth2/authorize"),
            token_url: format!("{sign_in}/oauth2/token"),
            logout_url: format!("{sign_in}/logout"),
            client_id: output("UserPoolClientId")?,
            scopes: ["openid", "email", "profile"].map(str::to_owned).to_vec(),
            redirect_path: "/auth/callback".to_owned(),
            jwks_url_override: None,
            revoke_url: Some(format!("{sign_in}/oauth2/revoke")),
            // The stack's only provider: sign-in goes straight to Google.
            identity_provider: Some("Google".to_owned()),
        },
        upload: UploadConfig {
            max_original_bytes: api_types::config::DEFAULT_MAX_ORIGINAL_BYTES,
            concurrency: 4,
        },
    };
    config
        .validate()
        .map_err(|problem| anyhow::anyhow!("the stack's outputs make a bad config: {problem}"))?;
    Ok(config)
}

fn ensure_deploy_bucket(aws: &Aws, bucket: &str) -> anyhow::Result<()> {
    if aws.succeeds(&["s3api", "head-bucket", "--bucket", bucket])? {
        return Ok(());
    }
    let mut create = vec!["s3api", "create-bucket", "--bucket", bucket];
    let location = format!("LocationConstraint={}", aws.region);
    // us-east-1 is the one region that refuses to be named.
    if aws.region != "us-east-1" {
        create.extend(["--create-bucket-configuration", &location]);
    }
    aws.run(&create)?;
    aws.run(&[
        "s3api",
        "put-public-access-block",
        "--bucket",
        bucket,
        "--public-access-block-configuration",
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
    ])?;
    // Templates are needed only while their deploy runs. The zips stay: an
    // update that fails rolls the function back to the zip it ran, however old.
    aws.run(&[
        "s3api",
        "put-bucket-lifecycle-configuration",
        "--bucket",
        bucket,
        "--lifecycle-configuration",
        r#"{"Rules":[{"ID":"old-templates","Status":"Enabled","Filter":{"Prefix":"templates/"},"Expiration":{"Days":90},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":1}}]}"#,
    ])
    .map(drop)
}

/// The AWS CLI, or (on a dry run) a printer of what it would be asked.
struct Aws {
    program: PathBuf,
    region: String,
    dry_run: bool,
}

impl Aws {
    fn new(options: &Options) -> anyhow::Result<Aws> {
        if options.dry_run {
            return Ok(Aws {
                program: "aws".into(),
                region: options.region.clone().unwrap_or_else(|| "eu-west-1".into()),
                dry_run: true,
            });
        }
        let program = setup::ensure_aws_cli()?;
        // The AWS CLI's own order: the environment, then the profile's setting.
        let region = options
            .region
            .clone()
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

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.program);
        command.args(args).args(["--region", &self.region]);
        command
    }

    /// The call as it may be shown: secret parameters masked.
    fn shown(&self, args: &[&str]) -> String {
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
    fn run(&self, args: &[&str]) -> anyhow::Result<String> {
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

    fn text(&self, args: &[&str]) -> anyhow::Result<String> {
        self.run(args).map(|text| text.trim().to_owned())
    }

    /// Whether the stack's API has an origin secret. A stack made before the
    /// API required one has none (or an empty one), and its new API would not
    /// start without it. The value itself is never printed.
    fn origin_secret_set(&self, stack: &str) -> anyhow::Result<bool> {
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
    fn succeeds(&self, args: &[&str]) -> anyhow::Result<bool> {
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
    fn stack_status(&self, stack: &str) -> anyhow::Result<Option<String>> {
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

    fn outputs(&self, stack: &str) -> anyhow::Result<BTreeMap<String, String>> {
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
fn stand_in_answer(args: &[&str]) -> String {
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
            ])
            .to_string()
        }
        _ => String::new(),
    }
}

fn random_hex(bytes: usize) -> anyhow::Result<String> {
    let mut buffer = vec![0u8; bytes];
    fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut buffer))
        .context("reading /dev/urandom")?;
    Ok(hex(&buffer))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> Options {
        Options {
            stack: "photos".into(),
            region: Some("eu-west-1".into()),
            dry_run: true,
            google_client_id: None,
            auth_domain: None,
            allowed_emails: None,
            domain: None,
            certificate_arn: None,
            originals_class: None,
            originals_after_days: None,
            waf: None,
            google_client_secret: None,
        }
    }

    #[test]
    fn the_config_points_the_spa_at_the_stacks_sign_in_and_validates() {
        let outputs: BTreeMap<String, String> =
            serde_json::from_str::<Vec<serde_json::Value>>(&stand_in_answer(&[
                "cloudformation",
                "describe-stacks",
            ]))
            .expect("json")
            .iter()
            .map(|o| {
                (
                    o["OutputKey"].as_str().expect("key").to_owned(),
                    o["OutputValue"].as_str().expect("value").to_owned(),
                )
            })
            .collect();
        let config = runtime_config(&outputs).expect("config");
        assert_eq!(
            config.auth.issuer,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_EXAMPLE"
        );
        assert_eq!(
            config.auth.jwks_url(),
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_EXAMPLE/.well-known/jwks.json"
        );
        assert_eq!(
            config.auth.token_url,
            "https://example-shoebox.auth.eu-west-1.amazoncognito.com/oauth2/token"
        );
        assert_eq!(config.api_base, "/api");
        assert_eq!(config.auth.identity_provider.as_deref(), Some("Google"));

        let mut broken = outputs.clone();
        broken.remove("UserPoolClientId");
        assert!(runtime_config(&broken).is_err());
    }

    #[test]
    fn a_new_stack_needs_the_google_client_and_gets_a_fresh_cursor_key() {
        let missing = parameters(&options(), Stack::New, "b", "k").expect_err("refused");
        assert!(
            missing.to_string().contains("--google-client-id"),
            "{missing}"
        );
        let current = Stack::Existing {
            has_origin_secret: true,
        };
        let update = parameters(&options(), current, "b", "k").expect("an update needs nothing");
        assert_eq!(
            update,
            [
                ("ApiCodeBucket", "b".to_owned()),
                ("ApiCodeKey", "k".to_owned())
            ],
            "an update sends only the code; the rest keep their values"
        );
    }

    #[test]
    fn a_stack_made_before_the_origin_secret_gets_one_on_its_next_deploy() {
        let old = Stack::Existing {
            has_origin_secret: false,
        };
        let update = parameters(&options(), old, "b", "k").expect("an update");
        let secret = update
            .iter()
            .find(|(name, _)| *name == "OriginSecret")
            .map(|(_, value)| value)
            .expect("an origin secret is set");
        assert_eq!(secret.len(), 64);
        assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(
            !update.iter().any(|(name, _)| *name == "CursorKey"),
            "the cursor key is never made again: open cursors would break"
        );
    }

    #[test]
    fn stack_names_are_checked_before_anything_is_built_or_sent() {
        assert!(check_stack_name("shoebox").is_ok());
        assert!(check_stack_name("photos-2").is_ok());
        for bad in [
            "",
            "2photos",
            "my_photos",
            "photos.example",
            &"a".repeat(52),
        ] {
            assert!(check_stack_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets_are_masked_in_what_is_printed() {
        let aws = Aws {
            program: "aws".into(),
            region: "eu-west-1".into(),
            dry_run: true,
        };
        let shown = aws.shown(&[
            "cloudformation",
            "deploy",
            "GoogleClientSecret=hunter2",
            "CursorKey=00ff",
            "AllowedEmails=a@example.com,b@example.com",
        ]);
        assert!(
            !shown.contains("hunter2") && !shown.contains("00ff"),
            "{shown}"
        );
        assert!(shown.contains("GoogleClientSecret=****"), "{shown}");
    }

    #[test]
    fn the_page_goes_up_last_and_hashed_files_first() {
        let dist = tempdir();
        for file in [
            "index.html",
            "index.html.br",
            "sw.js",
            "app-1f2e3d4c5b6a7980_bg.wasm",
            "app-1f2e3d4c5b6a7980_bg.wasm.gz",
            "main-0123456789abcdef.css",
            "icons/icon-192.png",
            ".trunk-lock",
        ] {
            let path = dist.join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            fs::write(path, b"x").expect("write");
        }
        let keys: Vec<String> = upload_plan(&dist)
            .expect("plan")
            .into_iter()
            .map(|upload| upload.key)
            .collect();
        assert_eq!(
            keys,
            [
                "app-1f2e3d4c5b6a7980_bg.wasm",
                "main-0123456789abcdef.css",
                "icons/icon-192.png",
                "sw.js",
                "index.html"
            ]
        );
        fs::write(dist.join("notes.txt"), b"x").expect("write");
        assert!(
            upload_plan(&dist).is_err(),
            "a file of unknown type stops the deploy"
        );
        fs::remove_dir_all(&dist).ok();
    }

    fn tempdir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "shoebox-deploy-test-{}",
            random_hex(8).expect("random")
        ));
        fs::create_dir_all(&dir).expect("dir");
        dir
    }
}
