//! Shoebox on one machine (the embedded default). One process serves:
//! - the SPA from `dist/` ([`spa`]), with cache rules that let hashed assets live
//!   forever and keep `index.html` and `/config.json` fresh;
//! - `/config.json` ([`runtime_config`]), pointing the SPA at this same origin;
//! - the API: `lambda_index::router()`, the very router AWS Lambda runs, in-process;
//! - security headers on every answer ([`headers`]), as CloudFront's response
//!   headers policy does in AWS.
//!
//! Data lives in one directory ([`data_dir`]) and survives restarts.

pub mod data_dir;
pub mod error;
pub mod headers;
pub mod runtime_config;
pub mod spa;

use std::{
    future::Future,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
};

use axum::Router;
use tokio::net::TcpListener;
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

pub use error::StartError;

/// What the operator chose on the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: IpAddr,
    /// 0 picks a free port (tests do this).
    pub port: u16,
    pub data_dir: PathBuf,
    pub dist_dir: PathBuf,
}

/// A server that has its port and its data directory, ready to [`Server::serve`].
pub struct Server {
    listener: TcpListener,
    app: Router,
    url: String,
    data_dir: PathBuf,
}

impl Server {
    /// Checks everything that can be wrong before anything is written: the SPA build
    /// first, then the port, then the data directory.
    pub async fn bind(settings: &Settings) -> Result<Server, StartError> {
        let dist = spa::Dist::open(&settings.dist_dir)?;
        let listener = TcpListener::bind((settings.bind, settings.port))
            .await
            .map_err(|source| StartError::bind(settings.bind, settings.port, source))?;
        let address = listener
            .local_addr()
            .map_err(|source| StartError::bind(settings.bind, settings.port, source))?;
        let data_dir = data_dir::prepare(&settings.data_dir)?;

        let origin = public_origin(address);
        let app = app(dist, runtime_config::local(&origin));
        Ok(Server {
            listener,
            app,
            url: format!("{origin}/"),
            data_dir,
        })
    }

    /// The URL to open in a browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    pub fn is_loopback_only(&self) -> bool {
        self.listener
            .local_addr()
            .is_ok_and(|address| address.ip().is_loopback())
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartError> {
        axum::serve(self.listener, self.app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(StartError::Serve)
    }
}

/// The whole local stack as one router.
pub fn app(dist: spa::Dist, config: api_types::RuntimeConfig) -> Router {
    Router::new()
        .merge(lambda_index::router())
        .merge(runtime_config::router(config))
        .fallback_service(spa::router(dist))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::map_response(headers::add_security_headers))
        // Paths only: query strings will carry presigned signatures and OAuth codes.
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
            },
        ))
}

/// The origin a browser on this machine uses. A wildcard bind is still reached
/// through loopback from here.
fn public_origin(address: SocketAddr) -> String {
    let port = address.port();
    match address.ip() {
        ip if ip.is_unspecified() => format!("http://127.0.0.1:{port}"),
        IpAddr::V6(ip) => format!("http://[{ip}]:{port}"),
        IpAddr::V4(ip) => format!("http://{ip}:{port}"),
    }
}
