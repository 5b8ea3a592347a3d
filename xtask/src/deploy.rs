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
//!
//! This file runs the steps; `deploy/` holds what they use: `stack.rs` (the
//! parameters sent and `/config.json` read back), `site.rs` (the SPA's upload
//! plan) and `aws.rs` (the CLI, or its dry-run printer).

pub(crate) mod aws;
mod site;
mod stack;

use std::{fs, path::Path};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

use crate::{lambda, setup, spa, workspace};
use aws::Aws;
use site::{upload_file, upload_plan};
use stack::{Stack, parameters, runtime_config};

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
    /// Where originals go: GLACIER_IR (default), DEEP_ARCHIVE (photos' only; videos stay in
    /// GLACIER_IR), INTELLIGENT_TIERING, STANDARD_IA or STANDARD.
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
        media: false,
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
        &hex::encode(Sha256::digest(fs::read(zip)?))[..16]
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

#[cfg(test)]
mod tests {
    use std::{collections::BTreeMap, path::PathBuf};

    use super::{
        aws::{Aws, stand_in_answer},
        site::upload_plan,
        stack::{Stack, parameters, random_hex, runtime_config},
        *,
    };

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
