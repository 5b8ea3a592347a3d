//! Signing in: OpenID Connect authorization code flow with PKCE (S256) against the
//! provider in `/config.json` (Cognito's Hosted UI, or the local stack's built-in
//! provider, which serves the same paths).
//!
//! - [`flow`]: the redirect out, the callback, the token requests, sign-out.
//! - [`id_token`]: checking the id token (signature by WebCrypto, claims by hand).
//! - [`session`]: what is kept between visits, and where.
//! - [`context`]: [`Auth`], the reactive session the UI reads, with silent renewal.
//!
//! Tokens are kept in localStorage so a returning user (a new tab, the reopened PWA)
//! stays signed in while the refresh token lives, as Amplify does; the strict CSP
//! (no inline script, no third-party script) is the defence against script
//! injection reading them.

pub mod context;
pub mod flow;
pub mod id_token;
pub mod session;

pub use context::Auth;
pub use flow::SignInError;
