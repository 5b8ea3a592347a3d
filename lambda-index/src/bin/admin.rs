//! `shoebox-admin`: the recovery tools (`lambda_index::recovery`) over a
//! deployed stack's S3 bucket and DynamoDB table, run from the operator's
//! machine (`cargo xtask verify --aws` and `cargo xtask rebuild-index --aws`
//! find the stack's bucket and table and the operator's credentials, and run
//! this).
//!
//! ```text
//! shoebox-admin rebuild-index
//! shoebox-admin verify [--repair] [--quick]
//! ```
//! Configured by the environment: `SHOEBOX_BUCKET_URL`, `SHOEBOX_TABLE`
//! (`SHOEBOX_DYNAMODB_URL` for another endpoint), and the AWS credentials
//! (`AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SESSION_TOKEN`). Exits 1 when something is left wrong, 2 on bad use.

use std::process::ExitCode;

use lambda_index::recovery::{self, Library, Task, verify};

const USAGE: &str = "usage: shoebox-admin rebuild-index | verify [--repair] [--quick]";

fn task(args: &[String]) -> Option<Task> {
    let (command, flags) = args.split_first()?;
    match command.as_str() {
        "rebuild-index" if flags.is_empty() => Some(Task::Rebuild),
        "verify" => {
            let mut options = verify::Options {
                repair: false,
                hash: true,
            };
            for flag in flags {
                match flag.as_str() {
                    "--repair" => options.repair = true,
                    "--quick" => options.hash = false,
                    _ => return None,
                }
            }
            Some(Task::Verify(options))
        }
        _ => None,
    }
}

async fn run(task: Task) -> Result<recovery::Outcome, String> {
    let http = lambda_index::http::client().map_err(|error| error.to_string())?;
    let (objects, index) = lambda_index::store::aws::stores_from_env(http)?;
    let library = Library {
        objects: &objects,
        index: &index,
        albums: &index,
    };
    recovery::run(library, task)
        .await
        .map_err(|error| error.to_string())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = task(&args) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    recovery::finish(run(task).await)
}
