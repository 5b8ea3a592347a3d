//! The people who may sign in: `<data>/identity/users.json`, passwords as argon2
//! hashes. Read from disk at each login, so `shoebox-local user add` works while
//! the server runs.

use std::{
    path::{Path, PathBuf},
    sync::{Mutex, OnceLock},
    time::{SystemTime, UNIX_EPOCH},
};

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{IdentityError, store};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    /// Stable id, the `sub` claim; never reused.
    pub sub: String,
    pub username: String,
    pub email: String,
    password_hash: String,
    pub created_at: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct UserFile {
    users: Vec<UserRecord>,
}

/// A user just made, with the only copy of their generated password.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password: String,
}

pub struct Users {
    path: PathBuf,
    /// Serialises writers in this process; the file itself is replaced atomically.
    writing: Mutex<()>,
}

impl Users {
    pub fn open(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
            writing: Mutex::new(()),
        }
    }

    fn load(&self) -> Result<UserFile, IdentityError> {
        Ok(store::read_json(&self.path)?.unwrap_or_default())
    }

    pub fn is_empty(&self) -> Result<bool, IdentityError> {
        Ok(self.load()?.users.is_empty())
    }

    /// Adds `username` with a generated password, returned once.
    pub fn add_generated(&self, username: &str) -> Result<NewUser, IdentityError> {
        let password = generate_password();
        let record = self.add(username, &password)?;
        Ok(NewUser {
            username: record.username,
            password,
        })
    }

    pub fn add(&self, username: &str, password: &str) -> Result<UserRecord, IdentityError> {
        let username = normalize(username)?;
        if password.chars().count() < 8 {
            return Err(IdentityError::InvalidUser(
                "a password needs at least 8 characters".into(),
            ));
        }
        let _writing = self
            .writing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut file = self.load()?;
        if file.users.iter().any(|user| user.username == username) {
            return Err(IdentityError::InvalidUser(format!(
                "a user named {username} already exists"
            )));
        }
        let record = UserRecord {
            sub: random_uuid(),
            email: format!("{username}@localhost"),
            username,
            password_hash: hash(password)?,
            created_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        };
        file.users.push(record.clone());
        store::write_json(&self.path, &file)?;
        Ok(record)
    }

    /// The user, if the password is theirs. Takes as long for an unknown username as
    /// for a wrong password, so usernames cannot be probed by timing.
    pub fn check_password(
        &self,
        username: &str,
        password: &str,
    ) -> Result<Option<UserRecord>, IdentityError> {
        let username = username.trim().to_lowercase();
        let user = self
            .load()?
            .users
            .into_iter()
            .find(|user| user.username == username);
        let stored = user
            .as_ref()
            .map_or_else(|| dummy_hash().as_str(), |user| user.password_hash.as_str());
        let matches = PasswordHash::new(stored).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        Ok(user.filter(|_| matches))
    }

    pub fn find_by_sub(&self, sub: &str) -> Result<Option<UserRecord>, IdentityError> {
        Ok(self.load()?.users.into_iter().find(|user| user.sub == sub))
    }
}

fn normalize(username: &str) -> Result<String, IdentityError> {
    let username = username.trim().to_lowercase();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
    if username.is_empty() || username.len() > 64 || !username.chars().all(allowed) {
        return Err(IdentityError::InvalidUser(
            "a username is 1 to 64 letters, digits, dots, dashes or underscores".into(),
        ));
    }
    Ok(username)
}

fn hash(password: &str) -> Result<String, IdentityError> {
    Argon2::default()
        .hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng))
        .map(|hash| hash.to_string())
        .map_err(|error| IdentityError::InvalidUser(format!("cannot hash the password: {error}")))
}

fn dummy_hash() -> &'static String {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash("not anyone's password").unwrap_or_default())
}

/// 16 characters without look-alikes (no 0/o, 1/l/i), in groups of four: about 78
/// bits, easy to type from a terminal.
fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    (0..4)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn random_uuid() -> String {
    let mut bytes: [u8; 16] = rand::rngs::OsRng.r#gen();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_then_check_passwords() {
        let dir = tempfile::tempdir().expect("tempdir");
        let users = Users::open(&dir.path().join("users.json"));
        assert!(users.is_empty().expect("reads"));
        let new = users.add_generated("Alice").expect("adds");
        assert_eq!(new.username, "alice");
        assert_eq!(new.password.len(), 19);
        let found = users
            .check_password(" ALICE ", &new.password)
            .expect("reads");
        assert_eq!(found.map(|user| user.username), Some("alice".to_owned()));
        assert!(
            users
                .check_password("alice", "wrong password")
                .expect("reads")
                .is_none()
        );
        assert!(
            users
                .check_password("bob", &new.password)
                .expect("reads")
                .is_none()
        );
        let stored = std::fs::read_to_string(dir.path().join("users.json")).expect("file");
        assert!(!stored.contains(&new.password), "never the password itself");
        assert!(stored.contains("$argon2id$"));
    }

    #[test]
    fn bad_usernames_and_duplicates_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let users = Users::open(&dir.path().join("users.json"));
        users.add("carol", "long enough").expect("adds");
        for (name, password) in [
            ("carol", "long enough"),
            ("", "long enough"),
            ("with space", "long enough"),
            ("<script>", "long enough"),
            ("dave", "short"),
        ] {
            assert!(users.add(name, password).is_err(), "{name:?}");
        }
    }
}
