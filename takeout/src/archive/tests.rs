//! Real archives, made here: what is listed, what comes out, and what a
//! broken or hostile one does.

use std::io::{Cursor, Write};

use flate2::{Compression, write::GzEncoder};
use zip::write::SimpleFileOptions;

use super::*;

/// Bytes no two entries share, so a mix-up shows.
fn photo(seed: u8, bytes: usize) -> Vec<u8> {
    (0..bytes)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .expect("start an entry");
        writer.write_all(bytes).expect("write an entry");
    }
    writer.finish().expect("finish the zip").into_inner()
}

fn tgz_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(GzEncoder::new(Vec::new(), Compression::fast()));
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, name, *bytes)
            .expect("append an entry");
    }
    builder
        .into_inner()
        .expect("finish the tar")
        .finish()
        .expect("finish the gzip")
}

fn extracted_zip(part: &mut ZipPart<Cursor<Vec<u8>>>, entry: u32) -> Result<Vec<u8>, ArchiveError> {
    let mut out = Vec::new();
    part.extract(entry, &mut |chunk| {
        out.extend_from_slice(chunk);
        Ok(())
    })?;
    Ok(out)
}

const SIDECAR: &str = r#"{"title":"IMG_1.jpg","photoTakenTime":{"timestamp":"1546300800"}}"#;

#[test]
fn a_zip_lists_its_entries_reads_its_json_and_gives_back_each_photo() {
    let big = photo(1, 3 * CHUNK_BYTES + 17);
    let small = photo(2, 5000);
    let bytes = zip_of(&[
        ("Takeout/Google Photos/A/IMG_1.jpg", &big),
        ("Takeout/Google Photos/A/IMG_1.jpg.json", SIDECAR.as_bytes()),
        ("Takeout/Google Photos/A/IMG_2.jpg", &small),
    ]);
    assert_eq!(format(&bytes), Some(Format::Zip));
    let mut part = ZipPart::open(Cursor::new(bytes)).expect("a zip");
    let entries = part.list(3, &mut |_| {}).expect("listed");
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].at, Where { part: 3, entry: 0 });
    assert_eq!(entries[0].bytes, big.len() as u64);
    assert_eq!(entries[0].text, None);
    assert_eq!(entries[1].text, Some(Text::Read(SIDECAR.into())));
    // In any order.
    assert_eq!(extracted_zip(&mut part, 2).expect("IMG_2"), small);
    assert_eq!(extracted_zip(&mut part, 0).expect("IMG_1"), big);
    assert!(matches!(
        extracted_zip(&mut part, 9),
        Err(ArchiveError::NoSuchEntry(9) | ArchiveError::Zip(_))
    ));
}

#[test]
fn a_damaged_entry_fails_alone_and_the_others_still_come_out() {
    // Stored, so the damage is in the photo's own bytes, which only the
    // CRC can tell.
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let first = photo(3, 4000);
    let second = photo(4, 4000);
    writer.start_file("a.jpg", stored).expect("a");
    writer.write_all(&first).expect("a");
    writer.start_file("b.jpg", stored).expect("b");
    writer.write_all(&second).expect("b");
    let mut bytes = writer.finish().expect("zip").into_inner();
    let at = bytes
        .windows(first.len())
        .position(|window| window == first)
        .expect("a's bytes are in the zip");
    bytes[at + 100] ^= 0xff;
    let mut part = ZipPart::open(Cursor::new(bytes)).expect("a zip");
    assert!(
        extracted_zip(&mut part, 0).is_err(),
        "a damaged entry is an error"
    );
    assert_eq!(extracted_zip(&mut part, 1).expect("b is whole"), second);
}

#[test]
fn an_entry_that_inflates_past_its_declared_size_is_stopped() {
    let zeros = vec![0u8; 4 * CHUNK_BYTES];
    let mut bytes = zip_of(&[("bomb.jpg", &zeros)]);
    // Declare 1,000 bytes, in the local header (offset 22) and the central
    // directory (offset 24), as a zip bomb would.
    let declared = 1000u32.to_le_bytes();
    let local = bytes
        .windows(4)
        .position(|w| w == b"PK\x03\x04")
        .expect("local header");
    bytes[local + 22..local + 26].copy_from_slice(&declared);
    let central = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central header");
    bytes[central + 24..central + 28].copy_from_slice(&declared);
    let mut part = ZipPart::open(Cursor::new(bytes)).expect("a zip");
    let mut out = 0usize;
    let result = part.extract(0, &mut |chunk| {
        out += chunk.len();
        Ok(())
    });
    assert!(result.is_err(), "{result:?}");
    assert!(out <= 1000, "{out} bytes came out of a 1,000-byte entry");
}

#[test]
fn what_is_no_archive_says_so() {
    assert_eq!(format(b"\xff\xd8\xff\xe0 a jpeg"), None);
    assert!(ZipPart::open(Cursor::new(b"PK\x03\x04 and then nothing".to_vec())).is_err());
    let mut cut = zip_of(&[("a.jpg", &photo(5, 9000))]);
    cut.truncate(cut.len() / 2);
    assert!(
        ZipPart::open(Cursor::new(cut)).is_err(),
        "a zip cut short has no directory"
    );
}

#[test]
fn a_tgz_lists_in_one_pass_and_extracts_going_forward() {
    let first = photo(6, 2 * CHUNK_BYTES + 5);
    let second = photo(7, 777);
    let bytes = tgz_of(&[
        ("Takeout/Google Photos/A/IMG_1.jpg", &first),
        ("Takeout/Google Photos/A/IMG_1.jpg.json", SIDECAR.as_bytes()),
        ("Takeout/Google Photos/A/IMG_2.jpg", &second),
    ]);
    assert_eq!(format(&bytes), Some(Format::TarGz));
    let entries = TarGzPart::open(Box::new(Cursor::new(bytes.clone())))
        .expect("a tgz")
        .list(0, &mut |_| {})
        .expect("listed");
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[1].text, Some(Text::Read(SIDECAR.into())));
    assert_eq!(entries[2].bytes, 777);

    let mut part = TarGzPart::open(Box::new(Cursor::new(bytes))).expect("a tgz");
    let take = |part: &mut TarGzPart, entry| {
        let mut out = Vec::new();
        part.extract(entry, &mut |chunk| {
            out.extend_from_slice(chunk);
            Ok(())
        })
        .map(|_| out)
    };
    assert_eq!(take(&mut part, entries[0].at.entry).expect("IMG_1"), first);
    assert_eq!(take(&mut part, entries[2].at.entry).expect("IMG_2"), second);
    assert!(!part.can_reach(entries[0].at.entry));
    assert!(matches!(
        take(&mut part, entries[0].at.entry),
        Err(ArchiveError::NoSuchEntry(_))
    ));
}

#[test]
fn a_tgz_cut_short_fails_its_listing() {
    let mut bytes = tgz_of(&[("a.jpg", &photo(8, 300_000)), ("b.jpg", &photo(9, 300_000))]);
    bytes.truncate(bytes.len() * 2 / 3);
    let listed =
        TarGzPart::open(Box::new(Cursor::new(bytes))).and_then(|part| part.list(0, &mut |_| {}));
    assert!(listed.is_err(), "{listed:?}");
}
