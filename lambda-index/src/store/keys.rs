//! Checked identifiers and the object keys of DESIGN.md's storage layout:
//! `u/{sub}/o/{photo_id}` (original), `u/{sub}/t/{photo_id}.webp` (thumbnail),
//! `u/{sub}/w/{photo_id}.webp` (web view); `.jpg` for a JPEG preview; and
//! `u/{sub}/s/{photo_id}`, a video's copy without its location, made when a
//! share link that keeps the location private first plays it (`scrub`); and
//! `u/{sub}/m/{photo_id}.json`, the photo's record kept beside it
//! (`record_object.rs`); `u/{sub}/a/{album_id}/{time}-{hash}.json`, one change
//! to an album (`album_log.rs`); `u/{sub}/r/{photo_id}.json`, when a restore
//! of its original from deep archive was asked for (`routes/restore.rs`);
//! `u/{sub}/p/{photo_id}.json`, its previews to be made again by the next
//! browser to open Shoebox (`routes/previews.rs`).
//!
//! Every key is built here from an [`Owner`] and a [`PhotoId`], both checked, so a
//! caller can never name a key outside their own prefix.

use std::fmt;

/// The signed-in user's `sub`, checked to be safe inside a key and a URL path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Owner(String);

impl Owner {
    /// Cognito's subs are UUIDs; anything with characters outside
    /// `[A-Za-z0-9._-]` (a `/` above all) is refused.
    pub fn new(sub: &str) -> Option<Owner> {
        let safe = !sub.is_empty()
            && sub.len() <= 128
            && !sub.starts_with('.')
            && sub
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        safe.then(|| Owner(sub.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A photo's id: the lowercase hex SHA-256 of the original's bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhotoId(String);

impl PhotoId {
    pub fn parse(id: &str) -> Option<PhotoId> {
        let valid = id.len() == 64
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid.then(|| PhotoId(id.to_owned()))
    }

    /// The id that sorts before every other (all zeros).
    pub fn smallest() -> PhotoId {
        PhotoId("0".repeat(64))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PhotoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which of a photo's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Original,
    Thumb,
    Web,
    /// What a share link that keeps the location private plays.
    Shareable,
}

impl Variant {
    fn folder(self) -> char {
        match self {
            Variant::Original => 'o',
            Variant::Thumb => 't',
            Variant::Web => 'w',
            Variant::Shareable => 's',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Variant::Original => "original",
            Variant::Thumb => "thumb",
            Variant::Web => "web",
            Variant::Shareable => "copy to share",
        }
    }
}

/// The preview types the API signs for, and the extension each is stored with.
pub fn preview_extension(content_type: &str) -> Option<&'static str> {
    match content_type {
        "image/webp" => Some("webp"),
        "image/jpeg" => Some("jpg"),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectKey(String);

impl ObjectKey {
    pub fn original(owner: &Owner, id: &PhotoId) -> ObjectKey {
        ObjectKey(format!("u/{}/o/{}", owner.0, id.0))
    }

    /// A preview's key; `None` for a type that is not a preview type.
    pub fn preview(
        owner: &Owner,
        id: &PhotoId,
        variant: Variant,
        content_type: &str,
    ) -> Option<ObjectKey> {
        let extension = preview_extension(content_type)?;
        matches!(variant, Variant::Thumb | Variant::Web).then(|| {
            ObjectKey(format!(
                "u/{}/{}/{}.{extension}",
                owner.0,
                variant.folder(),
                id.0
            ))
        })
    }

    /// The photo's record, kept beside its original ([`super::record_object`]).
    pub fn photo_record(owner: &Owner, id: &PhotoId) -> ObjectKey {
        ObjectKey(format!("u/{}/m/{}.json", owner.0, id.0))
    }

    /// When a restore of the photo's original from deep archive was asked for.
    pub fn restore_note(owner: &Owner, id: &PhotoId) -> ObjectKey {
        ObjectKey(format!("u/{}/r/{}.json", owner.0, id.0))
    }

    /// A note that the photo's lost previews are to be made again.
    pub fn previews_wanted(owner: &Owner, id: &PhotoId) -> ObjectKey {
        ObjectKey(format!("u/{}/p/{}.json", owner.0, id.0))
    }

    /// Where the notes of previews to be made again are, for `owner`.
    pub fn previews_wanted_prefix(owner: &Owner) -> String {
        format!("u/{}/p/", owner.0)
    }

    /// One change to an album ([`super::album_log`]), named `name`.
    pub fn album_change(owner: &Owner, album: &super::AlbumId, name: &str) -> ObjectKey {
        ObjectKey(format!("u/{}/a/{}/{name}", owner.0, album.as_str()))
    }

    /// The copy of a video (or of a motion photo's clip) that a share link
    /// keeping the location private plays.
    pub fn shareable(owner: &Owner, id: &PhotoId) -> ObjectKey {
        ObjectKey(format!("u/{}/s/{}", owner.0, id.0))
    }

    /// A photo's files: the original, and each preview it has, by the preview's
    /// content type (a type that is not a preview type has no file).
    pub fn photo_files(
        owner: &Owner,
        id: &PhotoId,
        thumb_type: Option<&str>,
        web_type: Option<&str>,
    ) -> Vec<(Variant, ObjectKey)> {
        let mut files = vec![(Variant::Original, ObjectKey::original(owner, id))];
        for (variant, content_type) in [(Variant::Thumb, thumb_type), (Variant::Web, web_type)] {
            if let Some(key) =
                content_type.and_then(|type_| ObjectKey::preview(owner, id, variant, type_))
            {
                files.push((variant, key));
            }
        }
        files
    }

    /// Reads a key back into its parts (the local sweep walks keys on disk).
    pub fn parse(key: &str) -> Option<(Owner, PhotoId, Variant)> {
        let mut parts = key.split('/');
        let (Some("u"), Some(sub), Some(folder), Some(name), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let owner = Owner::new(sub)?;
        let (variant, id) = match folder {
            "o" => (Variant::Original, name),
            "s" => (Variant::Shareable, name),
            "t" => (Variant::Thumb, name.split_once('.')?.0),
            "w" => (Variant::Web, name.split_once('.')?.0),
            _ => return None,
        };
        Some((owner, PhotoId::parse(id)?, variant))
    }

    /// What a key found in the bucket is, if it is one of the layout's:
    /// walking the bucket (`recovery`) sorts every object with this.
    pub fn kept(key: &str) -> Option<Kept> {
        if let Some((owner, id, variant)) = ObjectKey::parse(key) {
            return Some(Kept::File(owner, id, variant));
        }
        let mut parts = key.split('/');
        let (Some("u"), Some(sub), Some(folder)) = (parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let owner = Owner::new(sub)?;
        let rest: Vec<&str> = parts.collect();
        match (folder, rest.as_slice()) {
            ("m", [name]) => {
                let id = PhotoId::parse(name.strip_suffix(".json")?)?;
                Some(Kept::Record(owner, id))
            }
            ("r", [name]) => {
                let id = PhotoId::parse(name.strip_suffix(".json")?)?;
                Some(Kept::RestoreNote(owner, id))
            }
            ("p", [name]) => {
                let id = PhotoId::parse(name.strip_suffix(".json")?)?;
                Some(Kept::PreviewsWanted(owner, id))
            }
            ("a", [album, name]) => {
                let album = super::AlbumId::parse(album)?;
                album_change_name(name).then(|| Kept::AlbumChange(owner, album, (*name).to_owned()))
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An object of the layout, as [`ObjectKey::kept`] reads its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// One of a photo's files.
    File(Owner, PhotoId, Variant),
    /// A photo's record.
    Record(Owner, PhotoId),
    /// One change to an album, by its name (which sorts by time).
    AlbumChange(Owner, super::AlbumId, String),
    /// A restore from deep archive asked for.
    RestoreNote(Owner, PhotoId),
    /// Previews to be made again.
    PreviewsWanted(Owner, PhotoId),
}

impl Kept {
    /// The key it was read from.
    pub fn key(&self) -> Option<ObjectKey> {
        match self {
            Kept::File(owner, id, Variant::Original) => Some(ObjectKey::original(owner, id)),
            Kept::File(owner, id, Variant::Shareable) => Some(ObjectKey::shareable(owner, id)),
            // A preview's key needs its type; nothing reads one by its listing.
            Kept::File(..) => None,
            Kept::Record(owner, id) => Some(ObjectKey::photo_record(owner, id)),
            Kept::RestoreNote(owner, id) => Some(ObjectKey::restore_note(owner, id)),
            Kept::PreviewsWanted(owner, id) => Some(ObjectKey::previews_wanted(owner, id)),
            Kept::AlbumChange(owner, album, name) => {
                Some(ObjectKey::album_change(owner, album, name))
            }
        }
    }
}

/// `{20 digits}-{8 hex}.json`, as `album_log::entry` names a change.
fn album_change_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".json") else {
        return false;
    };
    let Some((micros, hash)) = stem.split_once('-') else {
        return false;
    };
    micros.len() == 20
        && micros.bytes().all(|b| b.is_ascii_digit())
        && hash.len() == 8
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn keys_follow_the_storage_layout() {
        let owner = Owner::new("2b5f0c1e-8a4d-4c6b-9e1f-0a1b2c3d4e5f").expect("uuid sub");
        let id = PhotoId::parse(ID).expect("id");
        assert_eq!(
            ObjectKey::original(&owner, &id).as_str(),
            format!("u/{}/o/{ID}", owner.as_str())
        );
        let thumb = ObjectKey::preview(&owner, &id, Variant::Thumb, "image/webp").expect("thumb");
        assert_eq!(thumb.as_str(), format!("u/{}/t/{ID}.webp", owner.as_str()));
        let web = ObjectKey::preview(&owner, &id, Variant::Web, "image/jpeg").expect("web");
        assert_eq!(web.as_str(), format!("u/{}/w/{ID}.jpg", owner.as_str()));
        assert_eq!(
            ObjectKey::preview(&owner, &id, Variant::Web, "image/png"),
            None
        );
        assert_eq!(
            ObjectKey::parse(thumb.as_str()),
            Some((owner.clone(), id.clone(), Variant::Thumb))
        );
        let record = ObjectKey::photo_record(&owner, &id);
        let kept = ObjectKey::kept(record.as_str()).expect("a record's key");
        assert_eq!(kept, Kept::Record(owner.clone(), id.clone()));
        assert_eq!(kept.key(), Some(record));
        let album = crate::store::AlbumId::parse(&"c".repeat(32)).expect("an album id");
        let change = ObjectKey::album_change(&owner, &album, "00000001765100000000-0a1b2c3d.json");
        let kept = ObjectKey::kept(change.as_str()).expect("a change's key");
        assert_eq!(
            kept,
            Kept::AlbumChange(owner, album, "00000001765100000000-0a1b2c3d.json".into())
        );
        assert_eq!(kept.key(), Some(change));
    }

    #[test]
    fn subs_and_ids_that_could_escape_a_prefix_are_refused() {
        for sub in ["", "a/b", "..", ".hidden", "a b", "ü", &"x".repeat(129)] {
            assert_eq!(Owner::new(sub), None, "{sub:?}");
        }
        for id in [
            &ID[..63],
            &ID.to_uppercase(),
            &format!("{}/", &ID[..63]),
            "../x",
        ] {
            assert_eq!(PhotoId::parse(id), None, "{id:?}");
        }
        assert_eq!(ObjectKey::parse("u/a/o/short"), None);
        for key in [
            format!("u/a/m/{ID}"),
            format!("u/a/m/{}.json", &ID[..63]),
            format!("u/a/a/{}/../x.json", "c".repeat(32)),
            format!(
                "u/a/a/{}/00000000000000000001-zzzzzzzz.json",
                "c".repeat(32)
            ),
            format!("u/a/a/{}/1-abcdef01.json", "c".repeat(32)),
            format!("u/../m/{ID}.json"),
        ] {
            assert_eq!(ObjectKey::kept(&key), None, "{key}");
        }
        assert_eq!(ObjectKey::parse(&format!("u/a/x/{ID}")), None);
    }
}
