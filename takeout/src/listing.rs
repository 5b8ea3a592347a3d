//! What a scan of the parts found: every entry, where it is, and the text of
//! the small JSON files (sidecars and album metadata), which the plan needs
//! before anything is imported.

use serde::{Deserialize, Serialize};

/// JSON files larger than this are not read: no sidecar is anywhere near it,
/// and a "sidecar" of gigabytes must not fill the worker's memory.
pub const MAX_TEXT_BYTES: u64 = 1024 * 1024;

/// Where an entry is: the part (in the order the parts were picked) and its
/// index in that part's archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Where {
    pub part: u32,
    pub entry: u32,
}

/// A JSON file's text, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Text {
    Read(String),
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub at: Where,
    /// The path inside the archive, `/`-separated, as the archive names it.
    pub path: String,
    /// Uncompressed, as the archive declares it.
    pub bytes: u64,
    /// Read for files whose name ends in `.json`.
    pub text: Option<Text>,
}

/// Every part's entries, and the parts themselves by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub parts: Vec<String>,
    pub entries: Vec<Entry>,
    /// Parts that could not be read at all (not an archive, cut short), with
    /// the reason: the rest are still planned.
    pub unreadable_parts: Vec<(String, String)>,
}

/// Whether an entry's text is worth reading during the scan.
pub fn wants_text(path: &str, bytes: u64) -> bool {
    path.to_ascii_lowercase().ends_with(".json") && bytes <= MAX_TEXT_BYTES
}

/// What a part name's says of its place in the set: Takeout names them
/// `takeout-20240102T030405Z-001.zip`, `-002.zip`, … The export's stamp and
/// the number.
pub fn part_number(name: &str) -> Option<(String, u32)> {
    let stem = name
        .strip_suffix(".zip")
        .or_else(|| name.strip_suffix(".tgz"))
        .or_else(|| name.strip_suffix(".tar.gz"))?;
    let (export, number) = stem.rsplit_once('-')?;
    if number.len() != 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((export.to_owned(), number.parse().ok()?))
}

/// The parts missing from the set, as `export-NNN`: numbers below the highest
/// picked that were not picked. A set whose last part is missing cannot be
/// told from a complete one by the names alone.
pub fn missing_parts(names: &[String]) -> Vec<String> {
    let mut by_export: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for (export, number) in names.iter().filter_map(|name| part_number(name)) {
        by_export.entry(export).or_default().push(number);
    }
    let mut missing = Vec::new();
    for (export, numbers) in by_export {
        let highest = numbers.iter().copied().max().unwrap_or(0);
        for number in 1..highest {
            if !numbers.contains(&number) {
                missing.push(format!("{export}-{number:03}"));
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takeout_part_names_are_numbered() {
        assert_eq!(
            part_number("takeout-20240102T030405Z-002.zip"),
            Some(("takeout-20240102T030405Z".into(), 2))
        );
        assert_eq!(
            part_number("takeout-20240102T030405Z-010.tgz"),
            Some(("takeout-20240102T030405Z".into(), 10))
        );
        assert_eq!(part_number("photos.zip"), None);
        assert_eq!(part_number("my-2.zip"), None);
    }

    #[test]
    fn a_gap_in_the_numbers_is_a_missing_part() {
        let names = [
            "takeout-X-001.zip".to_owned(),
            "takeout-X-003.zip".to_owned(),
            "takeout-X-004.zip".to_owned(),
            "other.zip".to_owned(),
        ];
        assert_eq!(missing_parts(&names), vec!["takeout-X-002".to_owned()]);
        assert!(missing_parts(&names[..1]).is_empty());
    }

    #[test]
    fn only_small_json_files_are_read() {
        assert!(wants_text("Takeout/Google Photos/A/IMG.jpg.json", 900));
        assert!(wants_text("A/metadata.JSON", 900));
        assert!(!wants_text("A/IMG.jpg", 900));
        assert!(!wants_text("A/huge.json", MAX_TEXT_BYTES + 1));
    }
}
