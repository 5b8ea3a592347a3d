//! The Shoebox SPA. Where things go:
//! - [`app`]: the root component: loads `/config.json`, then the router and shell.
//! - [`auth`]: signing in (OIDC code + PKCE), the session, silent renewal.
//! - [`api`]: the authorized client for `/api`.
//! - [`browser`]: typed wrappers over the browser APIs outside the DOM.
//! - [`config`]: fetching and checking the runtime config.
//! - [`error`]: the app's error types and the words the UI uses for them.
//! - [`components`]: pieces used across pages (header, startup error screen).
//! - [`import`]: importing a Google Takeout export (read in a worker, uploaded by the queue).
//! - [`pages`]: one module per route.
//! - [`photos`]: the worker pool that turns files into previews, off the UI thread.
//! - [`timeline`]: the timeline's data (counts, months of photos) and its layout.
//! - [`upload`]: the upload queue: process, presign, PUT, commit, with retries.

pub mod api;
pub mod app;
pub mod auth;
pub mod browser;
pub mod care;
pub mod components;
pub mod config;
pub mod download;
pub mod error;
pub mod import;
pub mod lost_previews;
pub mod pages;
pub mod photos;
pub mod pwa;
pub mod timeline;
pub mod upload;

/// Where the runtime config lives, next to index.html.
pub const CONFIG_URL: &str = "/config.json";

/// Mounts the app on `<body>`. Panics are reported to the console with a stack.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| leptos::view! { <app::App config_url=CONFIG_URL /> });
}
