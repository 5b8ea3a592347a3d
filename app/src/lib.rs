//! The Shoebox SPA. Where things go:
//! - [`app`]: the root component: loads `/config.json`, then the router and shell.
//! - [`config`]: fetching and checking the runtime config.
//! - [`error`]: the app's error types and the words the UI uses for them.
//! - [`components`]: pieces used across pages (header, startup error screen).
//! - [`pages`]: one module per route.

pub mod app;
pub mod components;
pub mod config;
pub mod error;
pub mod pages;

/// Where the runtime config lives, next to index.html.
pub const CONFIG_URL: &str = "/config.json";

/// Mounts the app on `<body>`. Panics are reported to the console with a stack.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| leptos::view! { <app::App config_url=CONFIG_URL /> });
}
