//! The names originals get inside a zip: their own, made safe for any file
//! system and unique, as a file manager does it: the second `IMG_0001.JPG`
//! becomes `IMG_0001 (2).JPG`; optionally in `YYYY/MM/` folders by the
//! capture date. Compared without case, since Windows and macOS do.

use std::collections::HashSet;

/// The names given so far in one zip.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
    /// Whether each goes into a `YYYY/MM/` folder of its capture date.
    folders: bool,
}

impl UniqueNames {
    pub fn new(folders: bool) -> UniqueNames {
        UniqueNames {
            taken: HashSet::new(),
            folders,
        }
    }

    /// The name in the zip of `filename`, taken at `taken_at` (RFC 3339).
    pub fn name(&mut self, filename: &str, taken_at: &str) -> String {
        let name = safe(filename);
        let folder = match (self.folders, taken_at.get(..4), taken_at.get(5..7)) {
            (true, Some(year), Some(month))
                if year
                    .bytes()
                    .chain(month.bytes())
                    .all(|b| b.is_ascii_digit()) =>
            {
                format!("{year}/{month}/")
            }
            _ => String::new(),
        };
        let (stem, extension) = match name.rsplit_once('.') {
            Some((stem, extension)) if !stem.is_empty() => (stem, format!(".{extension}")),
            _ => (name.as_str(), String::new()),
        };
        let mut candidate = format!("{folder}{name}");
        let mut n = 2;
        while !self.taken.insert(candidate.to_lowercase()) {
            candidate = format!("{folder}{stem} ({n}){extension}");
            n += 1;
        }
        candidate
    }
}

/// A name with no folders in it (`/`, `\`), no control characters, and not
/// empty or dots alone: nothing that could be written outside where the zip
/// is opened.
fn safe(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().to_owned();
    if cleaned.trim_matches('.').is_empty() {
        "photo".to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHEN: &str = "2024-05-01T10:00:00+02:00";

    fn names(folders: bool, list: &[&str]) -> Vec<String> {
        let mut names = UniqueNames::new(folders);
        list.iter().map(|name| names.name(name, WHEN)).collect()
    }

    #[test]
    fn the_same_name_again_is_numbered_as_a_file_manager_does() {
        assert_eq!(
            names(
                false,
                &[
                    "IMG_0001.JPG",
                    "IMG_0001.JPG",
                    "img_0001.jpg",
                    "IMG_0002.JPG"
                ]
            ),
            [
                "IMG_0001.JPG",
                "IMG_0001 (2).JPG",
                "img_0001 (3).jpg",
                "IMG_0002.JPG"
            ]
        );
        // A name that is already what a numbered one would be.
        assert_eq!(
            names(false, &["a (2).jpg", "a.jpg", "a.jpg"]),
            ["a (2).jpg", "a.jpg", "a (3).jpg"]
        );
        assert_eq!(
            names(false, &["README", "README"]),
            ["README", "README (2)"]
        );
    }

    #[test]
    fn no_name_reaches_outside_the_folder_it_is_opened_in() {
        assert_eq!(
            names(
                false,
                &[
                    "../../etc/passwd",
                    "C:\\Windows\\a.jpg",
                    "..",
                    "",
                    "tab\there.jpg"
                ]
            ),
            [
                ".._.._etc_passwd",
                "C__Windows_a.jpg",
                "photo",
                "photo (2)",
                "tab_here.jpg"
            ]
        );
    }

    #[test]
    fn folders_by_year_and_month_keep_names_unique_within_each() {
        let mut names = UniqueNames::new(true);
        assert_eq!(names.name("IMG_0001.JPG", WHEN), "2024/05/IMG_0001.JPG");
        assert_eq!(names.name("IMG_0001.JPG", WHEN), "2024/05/IMG_0001 (2).JPG");
        assert_eq!(
            names.name("IMG_0001.JPG", "2023-12-31T23:59:00Z"),
            "2023/12/IMG_0001.JPG"
        );
        // No date it can read: at the top.
        assert_eq!(names.name("scan.png", "unknown"), "scan.png");
    }
}
