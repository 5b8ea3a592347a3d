//! [`StartError`]: why the local stack could not start, each said in one line that
//! tells the operator what to do.

use std::{io, net::IpAddr, path::PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(
        "no SPA build at {}: build it with `cargo xtask dev` (or `cargo xtask build`)",
        .0.display()
    )]
    MissingDist(PathBuf),
    #[error(
        "port {port} on {bind} is already in use: stop the other program or pick another with --port"
    )]
    PortInUse { bind: IpAddr, port: u16 },
    #[error("cannot listen on {bind}:{port}: {source}")]
    Bind {
        bind: IpAddr,
        port: u16,
        source: io::Error,
    },
    #[error(
        "cannot use data directory {}: {source}; fix its permissions or choose another with --data",
        path.display()
    )]
    DataDir { path: PathBuf, source: io::Error },
    #[error("the sign-in provider cannot start: {0}")]
    Identity(#[from] crate::identity::IdentityError),
    #[error("the external identity provider is misconfigured: {0}")]
    ExternalIdentity(String),
    #[error(
        "cannot listen on port {port} for the photo store: {source}; pick another with --store-port"
    )]
    StorePort { port: u16, source: io::Error },
    #[error("the photo store cannot start: {0}")]
    Store(String),
    #[error("the photo index cannot open: {0}")]
    Index(String),
    #[error("the server stopped: {0}")]
    Serve(io::Error),
}

impl StartError {
    pub(crate) fn bind(bind: IpAddr, port: u16, source: io::Error) -> Self {
        if source.kind() == io::ErrorKind::AddrInUse {
            StartError::PortInUse { bind, port }
        } else {
            StartError::Bind { bind, port, source }
        }
    }
}
