//! The signed-in session (localStorage: shared by tabs, survives restarts) and the
//! sign-in in progress (sessionStorage: this tab only, survives the redirect).

use serde::{Deserialize, Serialize};

use crate::browser::Store;

/// The localStorage key of the session (other tabs watch it).
pub const SESSION_KEY: &str = "shoebox.session";
const PENDING_KEY: &str = "shoebox.signin";

/// Who is signed in, from the verified id token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    pub sub: String,
    pub username: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub id_token: String,
    pub refresh_token: Option<String>,
    /// When the access token stops working, in ms since the epoch.
    pub expires_at_ms: f64,
    pub user: SessionUser,
}

impl Session {
    pub fn load() -> Option<Session> {
        serde_json::from_str(&Store::Local.get(SESSION_KEY)?).ok()
    }

    pub fn save(&self) {
        if let Ok(json) = serde_json::to_string(self) {
            Store::Local.set(SESSION_KEY, &json);
        }
    }

    pub fn clear() {
        Store::Local.remove(SESSION_KEY);
    }
}

/// The secrets of a sign-in between leaving for the provider and coming back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub code_verifier: String,
    pub state: String,
    pub nonce: String,
    /// Where the user was, to return them there.
    pub return_to: String,
}

impl PendingSignIn {
    pub fn save(&self) -> bool {
        serde_json::to_string(self).is_ok_and(|json| Store::Session.set(PENDING_KEY, &json))
    }

    /// The pending sign-in, removed: a callback can be completed once.
    pub fn take() -> Option<PendingSignIn> {
        let json = Store::Session.get(PENDING_KEY)?;
        Store::Session.remove(PENDING_KEY);
        serde_json::from_str(&json).ok()
    }
}

/// Only a path on this origin; anything else (`//evil.example`, `https://…`) is `/`.
pub fn safe_return_path(path: &str) -> String {
    let same_origin_path = path.starts_with('/') && !path.starts_with("//") && !path.contains('\\');
    let is_callback = path.starts_with("/auth/");
    if same_origin_path && !is_callback {
        path.to_owned()
    } else {
        "/".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn return_paths_stay_on_this_origin() {
        assert_eq!(safe_return_path("/photo/abc?x=1#top"), "/photo/abc?x=1#top");
        assert_eq!(safe_return_path("//evil.example/"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/\\evil.example"), "/");
        assert_eq!(safe_return_path("/auth/callback?code=x"), "/");
        assert_eq!(safe_return_path(""), "/");
    }
}
