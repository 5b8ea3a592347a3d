//! `shoebox-local` as an operator meets it: it starts, prints its URL, serves, stops
//! cleanly on SIGTERM, and refuses bad settings with one line and a non-zero exit.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Command, Output, Stdio},
    time::Duration,
};

const BIN: &str = env!("CARGO_BIN_EXE_shoebox-local");

fn fake_dist(dir: &Path) {
    std::fs::create_dir_all(dir).expect("dist dir");
    std::fs::write(
        dir.join("index.html"),
        "<!DOCTYPE html><title>Shoebox</title>",
    )
    .expect("index");
}

fn run_to_exit(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("runs")
}

fn single_error_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    lines[0].to_owned()
}

fn http_get(url: &str, path: &str) -> String {
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut stream = TcpStream::connect(&address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("writes");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("reads");
    answer
}

#[test]
fn starts_prints_its_url_serves_and_stops_cleanly_on_sigterm() {
    let temp = tempfile::tempdir().expect("tempdir");
    let dist = temp.path().join("dist");
    fake_dist(&dist);
    let data = temp.path().join("data");
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--data"])
        .arg(&data)
        .arg("--dist")
        .arg(&dist)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("first line");
    let url = first
        .trim()
        .strip_prefix("Shoebox is running at ")
        .unwrap_or_else(|| panic!("unexpected first line: {first}"))
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(data.is_dir(), "the data dir is created");

    let health = http_get(&url, "/api/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains(r#""status":"ok""#), "{health}");

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("exits");
    assert!(exit.success(), "graceful shutdown exits 0, got {exit}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("rest of stdout");
    assert!(rest.contains("Shoebox stopped."), "{rest}");
}

#[test]
fn a_port_in_use_is_one_clear_line() {
    let temp = tempfile::tempdir().expect("tempdir");
    let dist = temp.path().join("dist");
    fake_dist(&dist);
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let data = temp.path().join("data");
    let output = run_to_exit(&[
        "--port",
        &port,
        "--data",
        data.to_str().expect("utf8"),
        "--dist",
        dist.to_str().expect("utf8"),
    ]);
    assert!(!output.status.success());
    let line = single_error_line(&output);
    assert!(line.contains(&format!("port {port}")), "{line}");
    assert!(
        line.contains("already in use") && line.contains("--port"),
        "{line}"
    );
    assert!(!data.exists(), "nothing is written when the port is taken");
}

#[test]
fn a_missing_spa_build_says_how_to_build_it() {
    let temp = tempfile::tempdir().expect("tempdir");
    let data = temp.path().join("data");
    let output = run_to_exit(&[
        "--port",
        "0",
        "--data",
        data.to_str().expect("utf8"),
        "--dist",
        temp.path().join("no-dist").to_str().expect("utf8"),
    ]);
    assert!(!output.status.success());
    let line = single_error_line(&output);
    assert!(
        line.contains("no SPA build") && line.contains("cargo xtask"),
        "{line}"
    );
    assert!(!data.exists(), "nothing is written without a build");
}

#[test]
fn an_unusable_data_dir_is_named_with_a_fix() {
    let temp = tempfile::tempdir().expect("tempdir");
    let dist = temp.path().join("dist");
    fake_dist(&dist);
    // A path through a regular file cannot become a directory, even for root.
    let blocker = temp.path().join("a-file");
    std::fs::write(&blocker, b"not a directory").expect("file");
    let data = blocker.join("data");
    let output = run_to_exit(&[
        "--port",
        "0",
        "--data",
        data.to_str().expect("utf8"),
        "--dist",
        dist.to_str().expect("utf8"),
    ]);
    assert!(!output.status.success());
    let line = single_error_line(&output);
    assert!(
        line.contains("cannot use data directory") && line.contains("--data"),
        "{line}"
    );
}
