//! The SPA's files as they go up to the site bucket: which, in what order, and
//! with what type and cache rule.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use api_types::assets;

use super::aws::Aws;
use crate::workspace;

/// One file of the SPA and where it goes.
#[derive(Debug, PartialEq)]
pub(super) struct Upload {
    pub(super) path: PathBuf,
    pub(super) key: String,
}

/// The SPA's files in upload order: content-hashed ones first (nothing names
/// them yet), then the others, the service worker, and `index.html` last. The
/// `.br`/`.gz` siblings stay home: CloudFront compresses for itself.
pub(super) fn upload_plan(dist: &Path) -> anyhow::Result<Vec<Upload>> {
    let mut uploads = Vec::new();
    for path in workspace::files_under(dist)? {
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
pub(super) fn content_type(name: &str) -> anyhow::Result<&'static str> {
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

pub(super) fn upload_file(aws: &Aws, path: &Path, key: &str, site: &str) -> anyhow::Result<()> {
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
