//! The contract between the browser and the API: every JSON shape that crosses the
//! wire is defined here once, so the SPA (`app`) and the server (`lambda-index`)
//! cannot drift apart. Plain data only: no I/O, no framework types.

pub mod album;
pub mod assets;
pub mod care;
pub mod config;
pub mod download;
pub mod error;
pub mod health;
pub mod me;
pub mod photo;
pub mod previews;
pub mod timeline;
pub mod upload;

pub use config::{AuthConfig, ConfigProblem, RuntimeConfig, UploadConfig};
pub use error::{ErrorBody, ErrorDetail};
pub use health::Health;
pub use me::Me;
