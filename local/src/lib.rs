//! Shoebox on one machine (the embedded default). One process serves:
//! - the SPA from `dist/` ([`spa`]), with cache rules that let hashed assets live
//!   forever and keep `index.html` and `/config.json` fresh;
//! - `/config.json` ([`runtime_config`]), pointing the SPA at this same origin;
//! - the identity provider ([`identity`]) at Cognito's paths, unless an external
//!   OpenID provider is configured;
//! - the API: `lambda_index::router`, the very router AWS Lambda runs, in-process,
//!   over the SQLite index ([`photo_index`]) and the object store;
//! - on a second port, the S3-compatible object store ([`object_store`]) that
//!   browsers upload to with presigned URLs, as they do to S3 in AWS;
//! - security headers on every answer ([`headers`]), as CloudFront's response
//!   headers policy does in AWS.
//!
//! Data lives in one directory ([`data_dir`]) and survives restarts; the
//! recovery tools ([`recovery`]) rebuild its index from its store and check
//! the two agree.

pub mod data_dir;
pub mod error;
pub mod headers;
pub mod identity;
pub mod object_store;
pub mod photo_index;
pub mod recovery;
pub mod runtime_config;
pub mod spa;
pub mod sweep;
pub mod trash;

use std::{
    future::Future,
    net::{IpAddr, SocketAddr},
    path::{Path, PathBuf},
    sync::Arc,
};

use axum::Router;
use lambda_index::{
    ApiState, Limits,
    auth::{HttpJwks, IdentityConfig, JwksFuture, JwksSource, TokenVerifier},
    store::{AlbumIndex, ObjectStore, PhotoIndex},
};
use tokio::net::TcpListener;
use tower_http::{CompressionLevel, compression::CompressionLayer, trace::TraceLayer};

pub use error::StartError;
use identity::{Client, IdentityProvider, NewUser, SigningKey};

/// What the operator chose on the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: IpAddr,
    /// 0 picks a free port (tests do this).
    pub port: u16,
    /// The object store's port; 0 picks a free one.
    pub store_port: u16,
    pub data_dir: PathBuf,
    pub dist_dir: PathBuf,
    /// `None`: the built-in identity provider.
    pub external_identity: Option<ExternalIdentity>,
    /// The address people open, when it is not this machine's loopback (a NAS
    /// behind a name, a reverse proxy): `http://nas.local:8080`.
    pub public_url: Option<String>,
}

/// An OpenID provider elsewhere that serves Cognito's paths (Cognito itself, or a
/// test's provider).
#[derive(Debug, Clone)]
pub struct ExternalIdentity {
    pub issuer: String,
    pub client_id: String,
    pub jwks_url: String,
}

/// Where the API keeps photos: the object store's client and the index.
#[derive(Clone)]
pub struct Storage {
    pub objects: Arc<dyn ObjectStore>,
    pub index: Arc<dyn PhotoIndex>,
    /// The same SQLite index, for albums and share links.
    pub albums: Arc<dyn AlbumIndex>,
    /// The store's origin, which the SPA's CSP must allow (uploads, images).
    pub store_origin: String,
    pub cursor_key: lambda_index::cursor::CursorKey,
}

impl Storage {
    /// The data directory's store and index; browsers reach the store at
    /// `store_origin`.
    pub fn open(
        data_dir: &Path,
        store_origin: &str,
    ) -> Result<(Storage, object_store::Store, photo_index::SqliteIndex), StartError> {
        let store = object_store::Store::open(data_dir)?;
        let index = photo_index::SqliteIndex::open(data_dir)?;
        let storage = Storage {
            objects: Arc::new(store.client(store_origin)?),
            index: Arc::new(index.clone()),
            albums: Arc::new(index.clone()),
            store_origin: store_origin.to_owned(),
            cursor_key: store.cursor_key(),
        };
        Ok((storage, store, index))
    }
}

/// Everything the router serves, put together by [`Server::bind`] (or a test).
pub struct Stack {
    pub dist: spa::Dist,
    pub config: api_types::RuntimeConfig,
    pub api: ApiState,
    pub store_origin: String,
    pub identity: Option<Arc<IdentityProvider>>,
    /// The origin people open (`--public-url`, or the loopback address): the
    /// only `Host` answered, with its loopback aliases ([`allowed_host`]).
    pub origin: String,
    /// With the built-in provider, tokens and redirects are issued for
    /// [`Stack::origin`] alone, so its loopback aliases are redirected there.
    pub redirect_aliases: bool,
    /// The port this server listens on, when it is not the origin's (behind a
    /// reverse proxy that sends `Host: 127.0.0.1:8080`): its loopback names
    /// are answered too.
    pub listening_port: Option<u16>,
}

/// A server that has its port, its data and its keys, ready to [`Server::serve`].
pub struct Server {
    listener: TcpListener,
    app: Router,
    store_url: String,
    store_listener: TcpListener,
    store: Router,
    sweeper: sweep::Sweeper,
    purger: trash::Purger,
    url: String,
    data_dir: PathBuf,
    first_user: Option<NewUser>,
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
        let store_listener = TcpListener::bind((settings.bind, settings.store_port))
            .await
            .map_err(|source| StartError::StorePort {
                port: settings.store_port,
                source,
            })?;
        let store_address = store_listener
            .local_addr()
            .map_err(|source| StartError::bind(settings.bind, settings.store_port, source))?;
        let data_dir = data_dir::prepare(&settings.data_dir)?;
        let (origin, store_origin) = match &settings.public_url {
            Some(url) => {
                let origin = url.trim_end_matches('/').to_owned();
                let store_origin = with_port(&origin, store_address.port());
                (origin, store_origin)
            }
            None => (public_origin(address), public_origin(store_address)),
        };

        let (storage, store, index) = Storage::open(&data_dir, &store_origin)?;
        let purger = trash::Purger {
            objects: storage.objects.clone(),
            index: storage.index.clone(),
        };
        let (mut stack, first_user) = match &settings.external_identity {
            None => built_in_identity(dist, &data_dir, &origin, storage)?,
            Some(external) => (external_identity(dist, external, &origin, storage)?, None),
        };
        stack.listening_port = Some(address.port());
        Ok(Server {
            listener,
            app: app(stack),
            store_listener,
            store_url: format!("{store_origin}/"),
            store: store.router(&origin)?,
            sweeper: sweep::Sweeper::new(&data_dir, index, sweep::ORPHAN_GRACE),
            purger,
            url: format!("{origin}/"),
            data_dir,
            first_user,
        })
    }

    /// The URL to open in a browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where browsers upload to and load photos from (the S3-compatible store).
    pub fn store_url(&self) -> &str {
        &self.store_url
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The user made on this first run, with the only copy of its password.
    pub fn first_user(&self) -> Option<&NewUser> {
        self.first_user.as_ref()
    }

    pub fn is_loopback_only(&self) -> bool {
        self.listener
            .local_addr()
            .is_ok_and(|address| address.ip().is_loopback())
    }

    /// Serves the app and the store until `shutdown` completes, then finishes the
    /// requests in flight. Sweeps abandoned uploads and purges the trash of
    /// photos trashed 30 days ago, now and every hour.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartError> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        let until = |mut stopped: tokio::sync::watch::Receiver<bool>| async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        };
        let sweeping = tokio::spawn(self.sweeper.run_hourly(until(stopped.clone())));
        let purging = tokio::spawn(self.purger.run_hourly(until(stopped.clone())));
        // The client's address: the login's brakes count wrong passwords by it.
        let app = axum::serve(
            self.listener,
            self.app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(until(stopped.clone()));
        let store =
            axum::serve(self.store_listener, self.store).with_graceful_shutdown(until(stopped));
        let (app, store) = tokio::join!(app, store);
        sweeping.abort();
        purging.abort();
        app.and(store).map_err(StartError::Serve)
    }
}

/// The built-in provider's keys, handed to the API's verifier in-process.
pub struct OwnKeys(pub Arc<SigningKey>);

impl JwksSource for OwnKeys {
    fn fetch(&self) -> JwksFuture<'_> {
        let set = self.0.jwks().clone();
        Box::pin(async move { Ok(set) })
    }
}

/// The SPA's registration with the built-in provider: it may come back only to
/// this server's own address (`origin`, which requests from loopback aliases are
/// redirected to, see [`canonical_host`]).
pub fn local_client(origin: &str) -> Client {
    let origins = [origin.to_owned()];
    Client {
        id: runtime_config::LOCAL_CLIENT_ID.to_owned(),
        redirect_uris: origins
            .iter()
            .map(|o| format!("{o}/auth/callback"))
            .collect(),
        logout_uris: origins.iter().map(|o| format!("{o}/")).collect(),
    }
}

/// Opens (or creates) the built-in provider and wires the API to its keys.
pub fn built_in_identity(
    dist: spa::Dist,
    data_dir: &Path,
    origin: &str,
    storage: Storage,
) -> Result<(Stack, Option<NewUser>), StartError> {
    let opened = IdentityProvider::open(data_dir, origin, local_client(origin))?;
    let provider = opened.provider;
    let verifier = TokenVerifier::new(
        IdentityConfig {
            issuer: provider.issuer().to_owned(),
            client_id: runtime_config::LOCAL_CLIENT_ID.to_owned(),
        },
        Arc::new(OwnKeys(provider.signing_key())),
    );
    let stack = Stack {
        dist,
        config: runtime_config::built_in(origin),
        origin: origin.trim_end_matches('/').to_owned(),
        redirect_aliases: true,
        listening_port: None,
        store_origin: storage.store_origin.clone(),
        api: api_state(verifier, storage, origin),
        identity: Some(provider),
    };
    Ok((stack, opened.first_user))
}

/// The API over `storage`, with share links pointing at `origin`.
fn api_state(verifier: TokenVerifier, storage: Storage, origin: &str) -> ApiState {
    ApiState {
        verifier: Arc::new(verifier),
        objects: storage.objects,
        index: storage.index,
        albums: storage.albums,
        limits: Limits::default(),
        site_url: origin.trim_end_matches('/').to_owned(),
        cursor_key: storage.cursor_key,
    }
}

fn external_identity(
    dist: spa::Dist,
    external: &ExternalIdentity,
    origin: &str,
    storage: Storage,
) -> Result<Stack, StartError> {
    let http = lambda_index::http::client()
        .map_err(|error| StartError::ExternalIdentity(error.to_string()))?;
    let keys = HttpJwks::new(external.jwks_url.clone(), http);
    let verifier = TokenVerifier::new(
        IdentityConfig {
            issuer: external.issuer.clone(),
            client_id: external.client_id.clone(),
        },
        Arc::new(keys),
    );
    Ok(Stack {
        dist,
        config: runtime_config::external(&external.issuer, &external.client_id, &external.jwks_url),
        store_origin: storage.store_origin.clone(),
        api: api_state(verifier, storage, origin),
        identity: None,
        origin: origin.trim_end_matches('/').to_owned(),
        redirect_aliases: false,
        listening_port: None,
    })
}

/// The whole local stack as one router.
pub fn app(stack: Stack) -> Router {
    let policy = headers::content_security_policy(&stack.config, &stack.store_origin);
    let mut router = Router::new()
        .merge(lambda_index::router(stack.api))
        .merge(runtime_config::router(stack.config));
    if let Some(provider) = &stack.identity {
        router = router.merge(provider.router());
    }
    let hosts = Arc::new(AllowedHosts::new(
        &stack.origin,
        stack.redirect_aliases,
        stack.listening_port,
    ));
    router
        .fallback_service(spa::router(stack.dist))
        .layer(axum::middleware::from_fn(move |request, next| {
            allowed_host(hosts.clone(), request, next)
        }))
        // Only API answers are compressed here (the SPA's files are compressed
        // ahead, at build time, and served as they are). Compressing a page of
        // the timeline was a fifth of the server's time under load, even at the
        // fastest level (`cargo xtask bench`): zstd, which Chromium takes, costs
        // least; others get gzip. Brotli is left to the prebuilt files.
        .layer(
            CompressionLayer::new()
                .no_br()
                .quality(CompressionLevel::Fastest),
        )
        .layer(axum::middleware::map_response(move |response| {
            headers::add_security_headers(response, policy.clone())
        }))
        // Paths only: query strings carry OAuth codes and, later, presigned signatures.
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                let path = lambda_index::loggable_path(request.uri().path());
                tracing::info_span!("request", method = %request.method(), %path)
            },
        ))
}

/// The `Host`s the app answers: its origin's, the loopback aliases of it, and
/// the loopback names of the port it listens on (a reverse proxy in front).
/// Any other is refused, so a page on a name an attacker controls that
/// resolves to this machine (DNS rebinding) cannot read the app or its API: a
/// browser sends a loopback `Host` only for a page that is itself on loopback.
pub struct AllowedHosts {
    origin: String,
    /// `host:port` of the origin, as browsers send it.
    host: String,
    aliases: [String; 3],
    redirect_aliases: bool,
    /// Loopback names of the listening port, answered as they come.
    local: Vec<String>,
}

/// `localhost:P`, `127.0.0.1:P` and `[::1]:P`.
fn loopback_names(port: &str) -> [String; 3] {
    [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ]
}

impl AllowedHosts {
    pub fn new(origin: &str, redirect_aliases: bool, listening_port: Option<u16>) -> Self {
        let origin = origin.trim_end_matches('/').to_owned();
        let host = origin
            .split_once("://")
            .map_or(origin.as_str(), |(_, authority)| authority)
            .to_ascii_lowercase();
        let port = match host.rsplit_once(':') {
            Some((_, port)) if !port.contains(']') => port.to_owned(),
            _ if origin.starts_with("https://") => "443".to_owned(),
            _ => "80".to_owned(),
        };
        let aliases = loopback_names(&port);
        let local = listening_port
            .map(|listening| loopback_names(&listening.to_string()).to_vec())
            .unwrap_or_default();
        Self {
            origin,
            host,
            aliases,
            redirect_aliases,
            local,
        }
    }
}

/// Answers requests for the origin; sends a loopback alias of it to the
/// origin itself when sign-in needs the one origin (storage, CORS and the
/// token's issuer are per origin); refuses every other `Host` with 421.
async fn allowed_host(
    hosts: Arc<AllowedHosts>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::{http::StatusCode, response::IntoResponse};
    // HTTP/1.0 clients may send none; browsers, and so rebinding pages, always do.
    let Some(host) = request.headers().get(axum::http::header::HOST) else {
        return next.run(request).await;
    };
    let host = host.to_str().unwrap_or_default().to_ascii_lowercase();
    if host == hosts.host {
        return next.run(request).await;
    }
    if hosts.aliases.contains(&host) {
        if !hosts.redirect_aliases {
            return next.run(request).await;
        }
        let path = request
            .uri()
            .path_and_query()
            .map_or("/", |path| path.as_str());
        return axum::response::Redirect::permanent(&format!("{}{path}", hosts.origin))
            .into_response();
    }
    if hosts.local.contains(&host) {
        return next.run(request).await;
    }
    tracing::warn!("a request for another host was refused");
    (
        StatusCode::MISDIRECTED_REQUEST,
        format!(
            "This Shoebox answers at {} only. Open it there, or start it with --public-url \
             naming the address you use.\n",
            hosts.origin
        ),
    )
        .into_response()
}

/// `scheme://host` of `origin` with another port.
fn with_port(origin: &str, port: u16) -> String {
    let scheme_end = origin.find("://").map_or(0, |index| index + 3);
    let authority = &origin[scheme_end..];
    let host = match authority.rfind(':') {
        Some(colon) if !authority[colon..].contains(']') => &authority[..colon],
        _ => authority,
    };
    format!("{}{host}:{port}", &origin[..scheme_end])
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
