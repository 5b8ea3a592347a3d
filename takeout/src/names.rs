//! Which file a sidecar belongs to, from the names alone. Google's names are
//! not simply `{photo}.json`:
//!
//! - a sidecar's whole name is clipped to 51 characters, `.json` included:
//!   `Screenshot_20190305-101010_Some Very Long App.json` for a photo whose
//!   name goes on (`…App Name.jpg`), extension and all;
//! - since 2024 it is `{photo}.supplemental-metadata.json`, clipped the same
//!   way (`IMG_1234.JPG.supplemental-metad.json`, `…JPG.suppl.json`);
//! - the second photo of one name in a folder is `IMG(1).jpg`, and its
//!   sidecar `IMG.jpg(1).json`: the number moves;
//! - an edit Google saved is `IMG-edited.jpg` (the word in the account's
//!   language) and has no sidecar of its own;
//! - a Live Photo is `IMG.HEIC` and `IMG.MP4` with one sidecar, usually the
//!   still's.

/// A sidecar's name is clipped at this many characters, `.json` included;
/// one this long may have been.
const CLIPPED_AT: usize = 46;
const SUPPLEMENTAL: &str = "supplemental-metadata";

/// The word Google Photos puts after an edited copy's name, in the languages
/// Takeout has been seen to use. Matched without regard to case.
const EDITED: &[&str] = &[
    "-edited",
    "-bearbeitet",
    "-modifié",
    "-modificato",
    "-editado",
    "-editada",
    "-bewerkt",
    "-redigeret",
    "-redigert",
    "-redigerad",
    "-muokattu",
    "-edytowane",
    "-upravené",
    "-upraveno",
    "-szerkesztett",
    "-editat",
    "-düzenlendi",
    "-изменено",
    "-編集済み",
    "-已修改",
    "-편집됨",
];

/// What a sidecar's name says about the file it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SidecarName {
    /// The photo's name, or its start when clipped (`IMG_1234.JPG`,
    /// `Screenshot_…Long App`), without the `(n)`.
    pub base: String,
    pub number: Option<u32>,
    /// The name is long enough to have been clipped: `base` may be only the
    /// start of the photo's name.
    pub clipped: bool,
}

/// `name` without `(n)` before its extension (or at its end), and n:
/// `IMG(1).jpg` → `IMG.jpg`, 1. A name that is only `(1)` has none.
pub fn without_number(name: &str) -> (String, Option<u32>) {
    let (stem, extension) = split_extension(name);
    if let Some(found) = trailing_number(stem) {
        let (before, number) = found;
        let joined = match extension {
            Some(extension) => format!("{before}.{extension}"),
            None => before.to_owned(),
        };
        return (joined, Some(number));
    }
    (name.to_owned(), None)
}

/// `IMG(12)` → (`IMG`, 12).
fn trailing_number(text: &str) -> Option<(&str, u32)> {
    let inner = text.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let digits = &inner[open + 1..];
    let before = &inner[..open];
    if before.is_empty() || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((before, digits.parse().ok()?))
}

/// (`IMG_1234`, `JPG`) from `IMG_1234.JPG`; a name with no dot, or only a
/// leading one, has no extension.
pub fn split_extension(name: &str) -> (&str, Option<&str>) {
    match name.rfind('.') {
        Some(dot) if dot > 0 && dot + 1 < name.len() => (&name[..dot], Some(&name[dot + 1..])),
        _ => (name, None),
    }
}

/// What a sidecar's file name says, or None when it is no `.json`.
pub fn sidecar_name(file_name: &str) -> Option<SidecarName> {
    let clipped = file_name.chars().count() >= CLIPPED_AT;
    let lower = file_name.to_ascii_lowercase();
    let stem = &file_name[..lower.strip_suffix(".json")?.len()];
    let (stem, number) = match trailing_number(stem) {
        Some((before, number)) => (before, Some(number)),
        None => (stem, None),
    };
    let base = without_supplemental(stem, clipped);
    Some(SidecarName {
        base: base.to_owned(),
        number,
        clipped,
    })
}

/// `IMG.JPG.supplemental-metadata` → `IMG.JPG`, and the clipped forms
/// (`.supplemental-me`, `.suppl`, `.s`) when the name was clipped.
fn without_supplemental(stem: &str, clipped: bool) -> &str {
    if let Some((before, tail)) = stem.rsplit_once('.') {
        let whole = tail.eq_ignore_ascii_case(SUPPLEMENTAL);
        let cut = clipped && !tail.is_empty() && SUPPLEMENTAL.starts_with(&tail.to_lowercase());
        if (whole || cut) && !before.is_empty() {
            return before;
        }
    }
    stem
}

/// How well a photo's name fits a sidecar's: the best kind wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// The sidecar's start is the photo's name (both clipped to fit).
    Clipped,
    /// The sidecar is named after the photo without its extension.
    WithoutExtension,
    Exact,
}

/// How `media` (a file name in the sidecar's folder) fits `sidecar`, if at all.
pub fn fit(sidecar: &SidecarName, media: &str) -> Option<Fit> {
    let (media, number) = without_number(media);
    if number != sidecar.number {
        return None;
    }
    let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    if same(&media, &sidecar.base) {
        return Some(Fit::Exact);
    }
    if same(split_extension(&media).0, &sidecar.base) {
        return Some(Fit::WithoutExtension);
    }
    let starts = media
        .to_lowercase()
        .starts_with(&sidecar.base.to_lowercase());
    (sidecar.clipped && starts && sidecar.base.chars().count() >= 8).then_some(Fit::Clipped)
}

/// The original's name of an edit Google saved (`IMG-edited.jpg` →
/// `IMG.jpg`, `IMG-bearbeitet(1).jpg` → `IMG(1).jpg`), or None.
pub fn original_of_edit(name: &str) -> Option<String> {
    let (bare, number) = without_number(name);
    let (stem, extension) = split_extension(&bare);
    let lower = stem.to_lowercase();
    let word = EDITED.iter().find(|word| lower.ends_with(*word))?;
    // Cut by characters: the stem's case may differ from the word's.
    let keep = stem.chars().count() - word.chars().count();
    let original: String = stem.chars().take(keep).collect();
    if original.is_empty() {
        return None;
    }
    let numbered = match number {
        Some(number) => format!("{original}({number})"),
        None => original,
    };
    Some(match extension {
        Some(extension) => format!("{numbered}.{extension}"),
        None => numbered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(file: &str) -> SidecarName {
        sidecar_name(file).expect("a sidecar's name")
    }

    #[test]
    fn the_plain_and_supplemental_forms() {
        assert_eq!(named("IMG_1234.JPG.json").base, "IMG_1234.JPG");
        assert_eq!(
            named("IMG_1234.JPG.supplemental-metadata.json").base,
            "IMG_1234.JPG"
        );
        let clipped = named("PXL_20231224_181530123.MP.jpg.supplemental-me.json");
        assert!(clipped.clipped);
        assert_eq!(clipped.base, "PXL_20231224_181530123.MP.jpg");
        assert_eq!(
            named("PXL_20231224_181530123456.NIGHT.jpg.suppl.json").base,
            "PXL_20231224_181530123456.NIGHT.jpg"
        );
        // A short name is not clipped, so `.s` is the photo's own.
        assert_eq!(named("a.s.json").base, "a.s");
        assert_eq!(sidecar_name("IMG_1234.JPG"), None);
    }

    #[test]
    fn the_number_moves_from_the_sidecar_to_the_photo() {
        let sidecar = named("IMG_1234.JPG(1).json");
        assert_eq!(
            (sidecar.base.as_str(), sidecar.number),
            ("IMG_1234.JPG", Some(1))
        );
        assert_eq!(fit(&sidecar, "IMG_1234(1).JPG"), Some(Fit::Exact));
        assert_eq!(fit(&sidecar, "IMG_1234.JPG"), None);
        assert_eq!(fit(&named("IMG_1234.JPG.json"), "IMG_1234(1).JPG"), None);
        let supplemental = named("IMG_1234.JPG.supplemental-metadata(2).json");
        assert_eq!(fit(&supplemental, "IMG_1234(2).JPG"), Some(Fit::Exact));
    }

    #[test]
    fn a_clipped_sidecar_fits_the_photo_it_starts() {
        let sidecar = named("Screenshot_20190305-101010_Some Very Long App.json");
        assert!(sidecar.clipped);
        assert_eq!(
            fit(
                &sidecar,
                "Screenshot_20190305-101010_Some Very Long App Name.jpg"
            ),
            Some(Fit::Clipped)
        );
        assert_eq!(fit(&sidecar, "Screenshot_20190305.jpg"), None);
        // Not clipped: a longer photo name is another photo.
        assert_eq!(fit(&named("IMG_1.json"), "IMG_10.jpg"), None);
    }

    #[test]
    fn a_sidecar_without_the_extension_fits() {
        assert_eq!(
            fit(&named("IMG_1234.json"), "IMG_1234.HEIC"),
            Some(Fit::WithoutExtension)
        );
        assert_eq!(
            fit(&named("img_1234.jpg.json"), "IMG_1234.JPG"),
            Some(Fit::Exact)
        );
    }

    #[test]
    fn edits_in_several_languages_name_their_original() {
        assert_eq!(
            original_of_edit("IMG_1234-edited.jpg").as_deref(),
            Some("IMG_1234.jpg")
        );
        assert_eq!(
            original_of_edit("IMG_1234-bearbeitet(1).JPG").as_deref(),
            Some("IMG_1234(1).JPG")
        );
        assert_eq!(
            original_of_edit("IMG-modifié.jpg").as_deref(),
            Some("IMG.jpg")
        );
        assert_eq!(
            original_of_edit("IMG-EDITED.jpg").as_deref(),
            Some("IMG.jpg")
        );
        assert_eq!(original_of_edit("IMG_1234.jpg"), None);
        assert_eq!(original_of_edit("-edited.jpg"), None);
    }

    #[test]
    fn numbers_come_off_names() {
        assert_eq!(without_number("IMG(1).jpg"), ("IMG.jpg".into(), Some(1)));
        assert_eq!(without_number("IMG(12)"), ("IMG".into(), Some(12)));
        assert_eq!(without_number("(1).jpg"), ("(1).jpg".into(), None));
        assert_eq!(without_number("IMG (a).jpg"), ("IMG (a).jpg".into(), None));
    }
}
