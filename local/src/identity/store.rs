//! Files of the identity provider: private (0700 dir, 0600 files) and written
//! atomically (temp file, fsync, rename), so a crash never leaves half a key or half
//! a user list.

use std::{
    fs,
    io::Write,
    os::unix::fs::{DirBuilderExt, OpenOptionsExt},
    path::Path,
};

use serde::{Serialize, de::DeserializeOwned};

use super::IdentityError;

fn io(what: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> IdentityError {
    let path = path.to_owned();
    move |source| IdentityError::Io { what, path, source }
}

pub fn create_private_dir(dir: &Path) -> Result<(), IdentityError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(io("cannot create", dir))
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), IdentityError> {
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temp)
        .map_err(io("cannot write", &temp))?;
    file.write_all(bytes).map_err(io("cannot write", &temp))?;
    file.sync_all().map_err(io("cannot write", &temp))?;
    fs::rename(&temp, path).map_err(io("cannot replace", path))
}

/// `None` if the file does not exist yet.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<Option<T>, IdentityError> {
    match fs::read(path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|error| IdentityError::Corrupt {
                    path: path.to_owned(),
                    reason: error.to_string(),
                })
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(io("cannot read", path)(error)),
    }
}

pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<(), IdentityError> {
    let bytes = serde_json::to_vec_pretty(value).map_err(|error| IdentityError::Corrupt {
        path: path.to_owned(),
        reason: error.to_string(),
    })?;
    write_atomic(path, &bytes)
}
