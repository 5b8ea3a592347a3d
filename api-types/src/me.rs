//! `GET /me`: the signed-in user.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// The identity provider's `sub`.
    pub id: String,
    /// The username to show.
    pub name: String,
}
