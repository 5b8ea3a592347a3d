//! Who is calling: bearer access tokens from the identity provider (Cognito in AWS,
//! the built-in provider locally), verified here the way `aws-jwt-verify` does.
//!
//! - [`verifier`]: checks one token against the issuer's keys and our rules.
//! - [`jwks`]: where the keys come from (HTTP in production, anything in tests).
//! - [`extract`]: the `SignedIn` extractor handlers take to require a user.

pub mod extract;
pub mod jwks;
pub mod verifier;

pub use extract::SignedIn;
pub use jwks::{HttpJwks, JwksError, JwksFuture, JwksSource};
pub use verifier::{AuthError, IdentityConfig, KeyTiming, TokenVerifier, User};
