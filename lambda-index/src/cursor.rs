//! Page cursors: where the next page starts, sealed with an HMAC over the
//! position and the [`CursorScope`] it pages (a user's timeline, one of their
//! albums, or one share link), so a cursor cannot be forged, edited, or carried
//! to another user, album or link. Each is only ever a position within its own
//! scope anyway; the seal makes a tampered one an error instead of a silent jump.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::store::{AlbumId, Owner, PhotoId, Position, ShareToken, View};

/// What a cursor pages through; a cursor opens only in the scope it was sealed for.
#[derive(Debug, Clone, Copy)]
pub enum CursorScope<'a> {
    Timeline(&'a Owner),
    /// Another view of the owner's library (Favorites, the archive, the trash).
    View(&'a Owner, View),
    Album(&'a Owner, &'a AlbumId),
    Share(&'a ShareToken),
}

impl CursorScope<'_> {
    /// Distinct for every scope: the kind comes first, and no part holds a newline.
    fn write_to(&self, mac: &mut Hmac<Sha256>) {
        match self {
            CursorScope::Timeline(owner) => {
                mac.update(b"timeline\n");
                mac.update(owner.as_str().as_bytes());
            }
            CursorScope::View(owner, view) => {
                mac.update(b"view\n");
                mac.update(view.name().as_bytes());
                mac.update(b"\n");
                mac.update(owner.as_str().as_bytes());
            }
            CursorScope::Album(owner, album) => {
                mac.update(b"album\n");
                mac.update(owner.as_str().as_bytes());
                mac.update(b"\n");
                mac.update(album.as_str().as_bytes());
            }
            CursorScope::Share(token) => {
                mac.update(b"share\n");
                mac.update(token.as_str().as_bytes());
            }
        }
    }
}

/// Why a cursor did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    /// Not a cursor of ours at all: not base64, no tag, or a tag of another
    /// length than the one [`CursorKey::seal`] writes (a cut tag would be
    /// guessable byte by byte).
    #[error("the page cursor is malformed")]
    Malformed,
    /// Well formed, but not sealed by this deployment for this scope: edited,
    /// forged, or another user's, album's or link's.
    #[error("the page cursor does not open here")]
    NotHere,
}

/// How many bytes of the HMAC a cursor carries; exactly these many are checked.
const TAG_BYTES: usize = 16;

/// The secret cursors are sealed with (32 random bytes; the deployment's own).
#[derive(Clone)]
pub struct CursorKey([u8; 32]);

impl CursorKey {
    pub fn new(bytes: [u8; 32]) -> CursorKey {
        CursorKey(bytes)
    }

    /// The key from 64 hex digits (how deployments keep it); `None` otherwise.
    pub fn from_hex(hex: &str) -> Option<CursorKey> {
        let mut key = [0u8; 32];
        hex::decode_to_slice(hex, &mut key).ok()?;
        Some(CursorKey(key))
    }

    fn mac(&self, scope: CursorScope<'_>, body: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        scope.write_to(&mut mac);
        mac.update(b"\n");
        mac.update(body.as_bytes());
        mac
    }

    pub fn seal(&self, scope: CursorScope<'_>, position: &Position) -> String {
        let body = format!("{}.{}", position.clock_ms, position.id);
        let tag = self.mac(scope, &body).finalize().into_bytes();
        URL_SAFE_NO_PAD.encode(format!(
            "{body}.{}",
            URL_SAFE_NO_PAD.encode(&tag[..TAG_BYTES])
        ))
    }

    /// The position in `cursor`, if it was sealed by us for `scope`. The whole
    /// tag is compared, in constant time.
    pub fn open(&self, scope: CursorScope<'_>, cursor: &str) -> Result<Position, CursorError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(cursor)
            .map_err(|_| CursorError::Malformed)?;
        let text = String::from_utf8(bytes).map_err(|_| CursorError::Malformed)?;
        let (body, tag) = text.rsplit_once('.').ok_or(CursorError::Malformed)?;
        let tag = URL_SAFE_NO_PAD
            .decode(tag)
            .map_err(|_| CursorError::Malformed)?;
        if tag.len() != TAG_BYTES {
            return Err(CursorError::Malformed);
        }
        self.mac(scope, body)
            .verify_truncated_left(&tag)
            .map_err(|_| CursorError::NotHere)?;
        // Sealed by us: a body we cannot read is a bug of an older version's
        // format, not an attack; it still opens nowhere.
        let (clock_ms, id) = body.split_once('.').ok_or(CursorError::NotHere)?;
        Ok(Position {
            clock_ms: clock_ms.parse().map_err(|_| CursorError::NotHere)?,
            id: PhotoId::parse(id).ok_or(CursorError::NotHere)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn only_the_owners_own_untouched_cursor_opens() {
        let key = CursorKey::new([7; 32]);
        let alice = Owner::new("alice").expect("owner");
        let alice = CursorScope::Timeline(&alice);
        let bob = Owner::new("bob").expect("owner");
        let bob = CursorScope::Timeline(&bob);
        let position = Position {
            clock_ms: 1_569_508_680_000,
            id: PhotoId::parse(ID).expect("id"),
        };
        let cursor = key.seal(alice, &position);
        assert_eq!(key.open(alice, &cursor), Ok(position.clone()));
        assert_eq!(
            key.open(bob, &cursor),
            Err(CursorError::NotHere),
            "another user's cursor"
        );
        assert_eq!(
            CursorKey::new([8; 32]).open(alice, &cursor),
            Err(CursorError::NotHere),
            "another deployment's"
        );
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(&cursor).expect("b64")).expect("utf8");
        let edited = URL_SAFE_NO_PAD.encode(text.replacen("1569508680000", "1569508680001", 1));
        assert_eq!(
            key.open(alice, &edited),
            Err(CursorError::NotHere),
            "an edited position"
        );
        assert!(CursorKey::from_hex(&"0a".repeat(32)).is_some());
        for bad in ["", "0a", &"zz".repeat(32), &"0a".repeat(33)] {
            assert!(CursorKey::from_hex(bad).is_none(), "{bad:?}");
        }
        for junk in ["", "x", "%%%", &URL_SAFE_NO_PAD.encode("1.2.3")] {
            assert_eq!(
                key.open(alice, junk),
                Err(CursorError::Malformed),
                "{junk:?}"
            );
        }
    }

    /// With a cut tag accepted, a forger needs 256 tries for a 1-byte tag, not 2^128.
    #[test]
    fn a_cursor_whose_tag_is_cut_or_lengthened_does_not_open() {
        let key = CursorKey::new([7; 32]);
        let alice = Owner::new("alice").expect("owner");
        let alice = CursorScope::Timeline(&alice);
        let position = Position {
            clock_ms: 1_569_508_680_000,
            id: PhotoId::parse(ID).expect("id"),
        };
        let text = String::from_utf8(
            URL_SAFE_NO_PAD
                .decode(key.seal(alice, &position))
                .expect("b64"),
        )
        .expect("utf8");
        let (body, tag) = text.rsplit_once('.').expect("a tag");
        let tag = URL_SAFE_NO_PAD.decode(tag).expect("b64 tag");
        for length in [0, 1, 8, 15] {
            let cut = format!("{body}.{}", URL_SAFE_NO_PAD.encode(&tag[..length]));
            assert_eq!(
                key.open(alice, &URL_SAFE_NO_PAD.encode(cut)),
                Err(CursorError::Malformed),
                "a tag cut to {length} bytes"
            );
        }
        let mut longer = tag.clone();
        longer.push(0);
        let longer = format!("{body}.{}", URL_SAFE_NO_PAD.encode(&longer));
        assert_eq!(
            key.open(alice, &URL_SAFE_NO_PAD.encode(longer)),
            Err(CursorError::Malformed)
        );
    }

    #[test]
    fn a_cursor_opens_only_in_its_own_album_or_link() {
        let key = CursorKey::new([7; 32]);
        let alice = Owner::new("alice").expect("owner");
        let trip = AlbumId::parse(&"a".repeat(32)).expect("album");
        let garden = AlbumId::parse(&"b".repeat(32)).expect("album");
        let link = ShareToken::parse(&"A".repeat(22)).expect("token");
        let other_link = ShareToken::parse(&"B".repeat(22)).expect("token");
        let position = Position {
            clock_ms: 1_569_508_680_000,
            id: PhotoId::parse(ID).expect("id"),
        };
        let scopes = [
            CursorScope::Timeline(&alice),
            CursorScope::Album(&alice, &trip),
            CursorScope::Album(&alice, &garden),
            CursorScope::Share(&link),
            CursorScope::Share(&other_link),
        ];
        for (sealed_in, sealed) in scopes.iter().enumerate() {
            let cursor = key.seal(*sealed, &position);
            for (opened_in, opened) in scopes.iter().enumerate() {
                let expected = if sealed_in == opened_in {
                    Ok(position.clone())
                } else {
                    Err(CursorError::NotHere)
                };
                assert_eq!(
                    key.open(*opened, &cursor),
                    expected,
                    "{sealed:?} in {opened:?}"
                );
            }
        }
    }
}
