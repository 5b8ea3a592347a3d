//! The data directory: everything the local stack keeps (objects, index, keys) lives
//! under one path chosen with `--data`, so backing up Shoebox is copying one folder.

use std::{
    fs,
    path::{Path, PathBuf},
};

use crate::StartError;

/// Creates the directory if needed and proves it is writable, so a bad path fails at
/// start with a clear message instead of at the first upload.
pub fn prepare(path: &Path) -> Result<PathBuf, StartError> {
    let fail = |source| StartError::DataDir {
        path: path.to_owned(),
        source,
    };
    fs::create_dir_all(path).map_err(fail)?;
    let probe = path.join(format!(".write-probe-{}", std::process::id()));
    fs::write(&probe, b"shoebox").map_err(fail)?;
    fs::remove_file(&probe).map_err(fail)?;
    fs::canonicalize(path).map_err(fail)
}
