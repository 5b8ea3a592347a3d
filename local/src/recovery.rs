//! `shoebox-local rebuild-index` and `shoebox-local verify [--repair]`: the
//! recovery tools (`lambda_index::recovery`) over this machine's data folder
//! ([`Offline`], which `purge-trash` runs over too).
//! The store is served on a free loopback port for the length of the run, so
//! the tools reach it over S3, exactly as they reach S3 in AWS; the index is
//! the data folder's SQLite file (safe to use while Shoebox runs).

use std::path::Path;

use lambda_index::recovery::{self, Library, Outcome, RecoveryError, Task};

use crate::{StartError, Storage, object_store};

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(
        "no Shoebox data at {}: point --data at the folder Shoebox keeps its photos in",
        .0.display()
    )]
    NoData(std::path::PathBuf),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("{0}")]
    Recovery(#[from] RecoveryError),
    #[error("the trash could not be purged: {0}")]
    Purge(String),
}

pub async fn run(data_dir: &Path, task: Task) -> Result<Outcome, RunError> {
    let offline = Offline::open(data_dir).await?;
    let storage = offline.storage();
    let library = Library {
        objects: storage.objects.as_ref(),
        index: storage.index.as_ref(),
        albums: storage.albums.as_ref(),
    };
    Ok(recovery::run(library, task).await?)
}

/// A data folder's storage, its store served on a free loopback port until
/// this is dropped: what the tools run over.
pub struct Offline {
    storage: Storage,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Offline {
    pub async fn open(data_dir: &Path) -> Result<Offline, RunError> {
        // Never an empty library made up where the data was expected.
        if !object_store::root(data_dir)
            .join(object_store::BUCKET)
            .is_dir()
        {
            return Err(RunError::NoData(data_dir.to_owned()));
        }
        let data_dir = crate::data_dir::prepare(data_dir)?;
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        let listener = object_store::bind(address).await?;
        let origin = listener
            .local_addr()
            .map(|address| format!("http://{address}"))
            .map_err(|source| StartError::bind(address.ip(), address.port(), source))?;
        let (storage, store, _) = Storage::open(&data_dir, &origin)?;
        let router = store.router(&origin)?;
        let server = tokio::spawn(async move { axum::serve(listener, router).await });
        Ok(Offline { storage, server })
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }
}

impl Drop for Offline {
    fn drop(&mut self) {
        self.server.abort();
    }
}
