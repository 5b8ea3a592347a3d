//! The names originals get inside a zip: their own, made safe for any file
//! system and unique, as a file manager does it: the second `IMG_0001.JPG`
//! becomes `IMG_0001 (2).JPG`. Compared without case, since Windows and
//! macOS do.

use std::collections::HashSet;

/// `names` made safe and unique, in order.
pub fn unique(names: &[String]) -> Vec<String> {
    let mut taken = HashSet::new();
    names
        .iter()
        .map(|name| {
            let name = safe(name);
            let (stem, extension) = match name.rsplit_once('.') {
                Some((stem, extension)) if !stem.is_empty() => (stem, format!(".{extension}")),
                _ => (name.as_str(), String::new()),
            };
            let mut candidate = name.clone();
            let mut n = 2;
            while !taken.insert(candidate.to_lowercase()) {
                candidate = format!("{stem} ({n}){extension}");
                n += 1;
            }
            candidate
        })
        .collect()
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

    fn names(list: &[&str]) -> Vec<String> {
        unique(
            &list
                .iter()
                .map(|name| (*name).to_owned())
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn the_same_name_again_is_numbered_as_a_file_manager_does() {
        assert_eq!(
            names(&[
                "IMG_0001.JPG",
                "IMG_0001.JPG",
                "img_0001.jpg",
                "IMG_0002.JPG"
            ]),
            [
                "IMG_0001.JPG",
                "IMG_0001 (2).JPG",
                "img_0001 (3).jpg",
                "IMG_0002.JPG"
            ]
        );
        // A name that is already what a numbered one would be.
        assert_eq!(
            names(&["a (2).jpg", "a.jpg", "a.jpg"]),
            ["a (2).jpg", "a.jpg", "a (3).jpg"]
        );
        assert_eq!(names(&["README", "README"]), ["README", "README (2)"]);
    }

    #[test]
    fn no_name_reaches_outside_the_folder_it_is_opened_in() {
        assert_eq!(
            names(&[
                "../../etc/passwd",
                "C:\\Windows\\a.jpg",
                "..",
                "",
                "tab\there.jpg"
            ]),
            [
                ".._.._etc_passwd",
                "C__Windows_a.jpg",
                "photo",
                "photo (2)",
                "tab_here.jpg"
            ]
        );
    }
}
