//! Apple's maker note, for the one thing read from it: the content identifier
//! (tag `0x0011`) that a Live Photo's still shares with its video.
//!
//! The note starts `Apple iOS\0`, a version (2 bytes), the byte order (`MM` or
//! `II`), then a TIFF IFD whose offsets count from the note's own start.

const SIGNATURE: &[u8] = b"Apple iOS\0";
const IFD_AT: usize = 14;
const CONTENT_IDENTIFIER: u16 = 0x0011;
const ASCII: u16 = 2;

/// The content identifier in the maker note `note`, if it is Apple's and has one.
pub fn content_identifier(note: &[u8]) -> Option<String> {
    if !note.starts_with(SIGNATURE) {
        return None;
    }
    let big_endian = match note.get(12..14)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let bytes: [u8; 2] = note.get(at..at + 2)?.try_into().ok()?;
        Some(if big_endian {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_le_bytes(bytes)
        })
    };
    let u32_at = |at: usize| {
        let bytes: [u8; 4] = note.get(at..at + 4)?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_le_bytes(bytes)
        })
    };
    let entries = usize::from(u16_at(IFD_AT)?);
    (0..entries).find_map(|index| {
        let entry = IFD_AT + 2 + index * 12;
        if u16_at(entry)? != CONTENT_IDENTIFIER || u16_at(entry + 2)? != ASCII {
            return None;
        }
        let count = usize::try_from(u32_at(entry + 4)?).ok()?;
        let value = if count <= 4 {
            note.get(entry + 8..entry + 8 + count)?
        } else {
            let at = usize::try_from(u32_at(entry + 8)?).ok()?;
            note.get(at..at.checked_add(count)?)?
        };
        let text = std::str::from_utf8(value)
            .ok()?
            .trim_end_matches('\0')
            .trim();
        (!text.is_empty()).then(|| text.to_owned())
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An iPhone's maker note with `entries` (tag, type, value) in big-endian
    /// order, values past the IFD as a phone lays them out.
    pub(crate) fn note(entries: &[(u16, u16, &[u8])]) -> Vec<u8> {
        let mut note = SIGNATURE.to_vec();
        note.extend_from_slice(&[0, 1]);
        note.extend_from_slice(b"MM");
        note.extend_from_slice(&(entries.len() as u16).to_be_bytes());
        let mut data_at = IFD_AT + 2 + entries.len() * 12 + 4;
        let mut data = Vec::new();
        for (tag, kind, value) in entries {
            note.extend_from_slice(&tag.to_be_bytes());
            note.extend_from_slice(&kind.to_be_bytes());
            note.extend_from_slice(&(value.len() as u32).to_be_bytes());
            if value.len() <= 4 {
                let mut inline = value.to_vec();
                inline.resize(4, 0);
                note.extend_from_slice(&inline);
            } else {
                note.extend_from_slice(&(data_at as u32).to_be_bytes());
                data.extend_from_slice(value);
                data_at += value.len();
            }
        }
        note.extend_from_slice(&[0; 4]);
        note.extend_from_slice(&data);
        note
    }

    #[test]
    fn an_iphones_note_gives_its_content_identifier() {
        let id = b"2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99\0";
        let note = note(&[
            (0x0001, 9, &[0, 0, 0, 14]),
            (0x0011, ASCII, id),
            (0x0017, 4, &[0, 0, 0, 1]),
        ]);
        assert_eq!(
            content_identifier(&note).as_deref(),
            Some("2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99")
        );
    }

    #[test]
    fn other_notes_and_damaged_ones_give_nothing() {
        assert_eq!(content_identifier(b""), None);
        assert_eq!(content_identifier(b"Nikon\0\x02\x10\0\0MM\0*"), None);
        let without = note(&[(0x0001, 9, &[0, 0, 0, 14])]);
        assert_eq!(content_identifier(&without), None);
        // The value's offset points past the end.
        let mut cut = note(&[(0x0011, ASCII, b"2F7A0B44-6C1E-4A5B-9A43-0E5D3C1B2A99\0")]);
        cut.truncate(cut.len() - 10);
        assert_eq!(content_identifier(&cut), None);
        let mut count_too_big = note(&[(0x0011, ASCII, b"2F7A0B44-6C1E\0")]);
        count_too_big[IFD_AT + 2 + 4..IFD_AT + 2 + 8].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(content_identifier(&count_too_big), None);
    }
}
