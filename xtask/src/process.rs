//! Running other programs: echo what runs, fail with the command's name, and (for
//! test runners) stream the output while counting passed and failed tests.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::mpsc,
    thread,
};

use anyhow::{Context, bail};

/// Runs `command` with inherited output; an error if it cannot start or fails.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let shown = describe(command);
    eprintln!("$ {shown}");
    let status = command
        .status()
        .with_context(|| format!("cannot run `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// Runs `command` and returns its trimmed stdout, or None if it is missing or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// Test counts read from a runner's output.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
    /// Tests or suites that did not run (cargo's `ignored`, node's `# SKIP`).
    pub skipped: u64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// Runs a test runner, echoing its output as it comes and adding up the counts it
/// prints (cargo test and wasm-bindgen-test: `test result: ok. N passed; M failed;
/// K ignored`; node's test runner: `ℹ pass N` / `ℹ fail M`, and one
/// `ok N - name # SKIP why` line per skipped test or suite, which its own
/// totals leave out for suites).
pub fn run_counting(command: &mut Command) -> anyhow::Result<Counts> {
    let shown = describe(command);
    eprintln!("$ {shown}");
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run `{shown}`"))?;
    let (sender, receiver) = mpsc::channel::<(bool, String)>();
    let mut readers = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        let sender = sender.clone();
        readers.push(thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = sender.send((true, line));
            }
        }));
    }
    if let Some(stderr) = child.stderr.take() {
        let sender = sender.clone();
        readers.push(thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sender.send((false, line));
            }
        }));
    }
    drop(sender);
    let mut counts = Counts::default();
    for (is_stdout, line) in receiver {
        if is_stdout {
            println!("{line}");
        } else {
            eprintln!("{line}");
        }
        counts += parse_counts(&line);
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = child
        .wait()
        .with_context(|| format!("`{shown}` vanished"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(counts)
}

fn parse_counts(line: &str) -> Counts {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("test result: ") {
        let number_before = |word: &str| {
            rest.split(';')
                .filter_map(|part| part.trim().strip_suffix(word))
                .filter_map(|number| number.trim().rsplit(' ').next()?.parse::<u64>().ok())
                .next()
                .unwrap_or(0)
        };
        return Counts {
            passed: number_before("passed"),
            failed: number_before("failed"),
            skipped: number_before("ignored"),
        };
    }
    if line.starts_with("ok ") && line.contains(" # SKIP") {
        return Counts {
            skipped: 1,
            ..Counts::default()
        };
    }
    let node_count = |label: &str| {
        ["ℹ ", "# "].iter().find_map(|marker| {
            line.strip_prefix(marker)?
                .strip_prefix(label)?
                .trim()
                .parse::<u64>()
                .ok()
        })
    };
    Counts {
        passed: node_count("pass ").unwrap_or(0),
        failed: node_count("fail ").unwrap_or(0),
        skipped: 0,
    }
}

fn describe(command: &Command) -> String {
    let mut shown = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        shown.push(' ');
        shown.push_str(&arg.to_string_lossy());
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_and_node_summaries() {
        let counts = |passed, failed, skipped| Counts {
            passed,
            failed,
            skipped,
        };
        let cargo = "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(parse_counts(cargo), counts(12, 0, 1));
        let failing = "test result: FAILED. 3 passed; 2 failed; 0 ignored";
        assert_eq!(parse_counts(failing), counts(3, 2, 0));
        assert_eq!(parse_counts("ℹ pass 4"), counts(4, 0, 0));
        assert_eq!(parse_counts("ℹ fail 1"), counts(0, 1, 0));
        assert_eq!(parse_counts("# pass 7"), counts(7, 0, 0));
        assert_eq!(
            parse_counts("ok 1 - the gallery # SKIP no photo corpus at ../shared/photos"),
            counts(0, 0, 1)
        );
        assert_eq!(
            parse_counts("    ok 3 - a subtest that ran"),
            Counts::default()
        );
        assert_eq!(parse_counts("compiling pass 3 things"), Counts::default());
    }
}
