//! The content identifier an iPhone writes in a Live Photo's video, the same
//! as in its still's maker note: QuickTime metadata (`moov/meta`, handler
//! `mdta`) under the key `com.apple.quicktime.content.identifier`. The keys are
//! listed in `keys`; each value is in `ilst`, in a box whose type is the key's
//! 1-based index, holding a `data` box (type 1: UTF-8).

use super::boxes::{boxes, child};

const KEY: &[u8] = b"com.apple.quicktime.content.identifier";
const UTF8: u32 = 1;

/// The content identifier in `moov` (the movie box's body), if any.
pub fn content_identifier(moov: &[u8]) -> Option<String> {
    let meta = child(moov, b"meta").or_else(|| child(child(moov, b"udta")?, b"meta"))?;
    // QuickTime's `meta` holds its boxes directly; ISO's (and what some
    // writers put in `udta`) starts with a version and flags.
    let meta = if meta.get(4..8) == Some(b"hdlr") {
        meta
    } else {
        meta.get(4..)?
    };
    let index = key_index(child(meta, b"keys")?)?;
    let item = boxes(child(meta, b"ilst")?)
        .find(|(kind, _)| u32::from_be_bytes(*kind) == index)
        .map(|(_, item)| item)?;
    let data = child(item, b"data")?;
    // Type (4: a reserved byte, then the type), locale (4), the value.
    if u32::from_be_bytes(data.get(..4)?.try_into().ok()?) & 0x00FF_FFFF != UTF8 {
        return None;
    }
    let text = std::str::from_utf8(data.get(8..)?)
        .ok()?
        .trim_end_matches('\0')
        .trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// The 1-based index of [`KEY`] in a `keys` box's body.
fn key_index(keys: &[u8]) -> Option<u32> {
    // Version and flags, the count, then each key: its size (with these 8
    // bytes), its namespace, its name.
    let count = u32::from_be_bytes(keys.get(4..8)?.try_into().ok()?);
    let mut at = 8;
    for index in 1..=count {
        let size =
            usize::try_from(u32::from_be_bytes(keys.get(at..at + 4)?.try_into().ok()?)).ok()?;
        let name = keys.get(at + 8..at.checked_add(size)?)?;
        if size < 8 {
            return None;
        }
        if name == KEY {
            return Some(index);
        }
        at += size;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{super::boxes::tests::boxed, *};

    fn key(name: &[u8]) -> Vec<u8> {
        let mut out = ((8 + name.len()) as u32).to_be_bytes().to_vec();
        out.extend_from_slice(b"mdta");
        out.extend_from_slice(name);
        out
    }

    fn value(index: u32, text: &str) -> Vec<u8> {
        let mut data = UTF8.to_be_bytes().to_vec();
        data.extend_from_slice(&[0; 4]);
        data.extend_from_slice(text.as_bytes());
        boxed(&index.to_be_bytes(), &boxed(b"data", &data))
    }

    /// A `moov` with QuickTime metadata: two keys, ours second.
    fn moov(full_box_meta: bool) -> Vec<u8> {
        let mut keys = vec![0, 0, 0, 0, 0, 0, 0, 2];
        keys.extend(key(b"com.apple.quicktime.make"));
        keys.extend(key(KEY));
        let mut hdlr = vec![0; 8];
        hdlr.extend_from_slice(b"mdta");
        hdlr.extend_from_slice(&[0; 13]);
        let ilst = [
            value(1, "Apple"),
            value(2, "2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99"),
        ]
        .concat();
        let mut meta = if full_box_meta {
            vec![0; 4]
        } else {
            Vec::new()
        };
        meta.extend(
            [
                boxed(b"hdlr", &hdlr),
                boxed(b"keys", &keys),
                boxed(b"ilst", &ilst),
            ]
            .concat(),
        );
        boxed(b"meta", &meta)
    }

    #[test]
    fn the_identifier_is_read_from_quicktime_metadata() {
        assert_eq!(
            content_identifier(&moov(false)).as_deref(),
            Some("2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99")
        );
        let in_udta = boxed(b"udta", &moov(true));
        assert_eq!(
            content_identifier(&in_udta).as_deref(),
            Some("2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99")
        );
    }

    #[test]
    fn no_key_or_a_damaged_box_gives_nothing() {
        assert_eq!(content_identifier(&[]), None);
        let mut cut = moov(false);
        cut.truncate(cut.len() - 20);
        // The outer box no longer fits: nothing, not a panic.
        assert_eq!(content_identifier(&cut), None);
        let mut keys = vec![0, 0, 0, 0, 0, 0, 0, 1];
        keys.extend(key(b"com.apple.quicktime.make"));
        let meta = [
            boxed(b"hdlr", &[0; 24]),
            boxed(b"keys", &keys),
            boxed(b"ilst", &value(1, "Apple")),
        ]
        .concat();
        assert_eq!(content_identifier(&boxed(b"meta", &meta)), None);
    }
}
