//! The plan of a made-up export with every trap the module docs name.

use super::*;

const ROOT: &str = "Takeout/Google Photos";

/// Builds a listing part by part: `media` entries are named only, `json`
/// entries carry their text.
struct Export {
    listing: Listing,
}

impl Export {
    fn new(parts: &[&str]) -> Export {
        Export {
            listing: Listing {
                parts: parts.iter().map(|part| part.to_string()).collect(),
                ..Listing::default()
            },
        }
    }

    fn add(&mut self, part: u32, path: &str, text: Option<Text>) -> &mut Export {
        let entry = self
            .listing
            .entries
            .iter()
            .filter(|e| e.at.part == part)
            .count() as u32;
        self.listing.entries.push(Entry {
            at: Where { part, entry },
            path: path.to_owned(),
            bytes: 1000,
            text,
        });
        self
    }

    fn media(&mut self, part: u32, path: &str) -> &mut Export {
        self.add(part, &format!("{ROOT}/{path}"), None)
    }

    fn json(&mut self, part: u32, path: &str, text: &str) -> &mut Export {
        self.add(
            part,
            &format!("{ROOT}/{path}"),
            Some(Text::Read(text.to_owned())),
        )
    }

    fn plan(&self) -> Plan {
        Plan::of(&self.listing)
    }
}

fn sidecar(title: &str, taken: i64) -> String {
    format!(
        r#"{{"title":"{title}","photoTakenTime":{{"timestamp":"{taken}"}},"geoData":{{"latitude":0.0,"longitude":0.0}}}}"#
    )
}

fn item<'a>(plan: &'a Plan, name: &str) -> &'a Item {
    let found: Vec<&Item> = plan
        .items
        .iter()
        .filter(|item| item.path.ends_with(name))
        .collect();
    assert_eq!(found.len(), 1, "one item ending {name}: {:#?}", plan.items);
    found[0]
}

fn skipped(plan: &Plan, name: &str) -> SkipReason {
    plan.skipped
        .iter()
        .find(|skipped| skipped.path.ends_with(name))
        .unwrap_or_else(|| panic!("{name} not skipped: {:#?}", plan.skipped))
        .reason
        .clone()
}

#[test]
fn a_photo_takes_its_sidecars_date_and_place_and_zero_zero_is_none() {
    let mut export = Export::new(&["takeout-X-001.zip"]);
    export
        .media(0, "Photos from 2019/IMG_0001.jpg")
        .json(
            0,
            "Photos from 2019/IMG_0001.jpg.json",
            r#"{"title":"IMG_0001.jpg","description":"Lisbon tram","photoTakenTime":{"timestamp":"1546300800"},
            "geoData":{"latitude":38.71,"longitude":-9.14,"altitude":0.0},"favorited":true}"#,
        )
        .media(0, "Photos from 2019/IMG_0002.jpg")
        .json(0, "Photos from 2019/IMG_0002.jpg.json", &sidecar("IMG_0002.jpg", 1546300900));
    let plan = export.plan();
    let first = item(&plan, "IMG_0001.jpg");
    assert_eq!(first.source, Source::Own);
    assert_eq!(first.facts.taken_s, Some(1_546_300_800));
    assert_eq!(
        first.facts.place.map(|p| (p.latitude, p.longitude)),
        Some((38.71, -9.14))
    );
    assert_eq!(first.facts.description.as_deref(), Some("Lisbon tram"));
    assert!(first.facts.favorite);
    assert!(first.albums.is_empty(), "a year folder is no album");
    assert_eq!(item(&plan, "IMG_0002.jpg").facts.place, None);
    assert!(plan.skipped.is_empty() && plan.albums.is_empty());
}

#[test]
fn album_folders_become_albums_and_hold_their_copies() {
    let mut export = Export::new(&["takeout-X-001.zip", "takeout-X-002.zip"]);
    export
        .media(0, "Photos from 2019/IMG_0001.jpg")
        .json(
            0,
            "Photos from 2019/IMG_0001.jpg.json",
            &sidecar("IMG_0001.jpg", 1),
        )
        .json(
            1,
            "Lisbon/metadata.json",
            r#"{"title":"Summer in Lisbon","description":"","access":"protected"}"#,
        )
        .media(1, "Lisbon/IMG_0001.jpg")
        .json(1, "Lisbon/IMG_0001.jpg.json", &sidecar("IMG_0001.jpg", 1));
    let plan = export.plan();
    assert_eq!(plan.albums.len(), 1);
    assert_eq!(plan.albums[0].title, "Summer in Lisbon");
    assert_eq!(plan.albums[0].folder, format!("{ROOT}/Lisbon"));
    // Both copies are items: the second is found to be the same photo by its
    // SHA-256 when it is read, and only added to the album.
    assert_eq!(plan.items.len(), 2);
    assert_eq!(item(&plan, "Lisbon/IMG_0001.jpg").albums, vec![0]);
    assert_eq!(plan.album_sizes(), vec![1]);
}

#[test]
fn clipped_and_supplemental_sidecars_find_their_photos() {
    let long = "Screenshot_20190305-101010_Some Very Long App Name.jpg";
    let mut export = Export::new(&["p.zip"]);
    export
        .media(0, &format!("Photos from 2019/{long}"))
        .json(
            0,
            "Photos from 2019/Screenshot_20190305-101010_Some Very Long App.json",
            &sidecar(long, 11),
        )
        .media(0, "Photos from 2024/PXL_20240101_101010123.jpg")
        .json(
            0,
            "Photos from 2024/PXL_20240101_101010123.jpg.supplemental-metadata.json",
            &sidecar("PXL_20240101_101010123.jpg", 22),
        )
        .media(0, "Photos from 2024/PXL_20231224_181530123456.NIGHT.jpg")
        .json(
            0,
            "Photos from 2024/PXL_20231224_181530123456.NIGHT.jpg.suppl.json",
            &sidecar("PXL_20231224_181530123456.NIGHT.jpg", 33),
        );
    let plan = export.plan();
    assert_eq!(item(&plan, long).facts.taken_s, Some(11));
    assert_eq!(
        item(&plan, "PXL_20240101_101010123.jpg").facts.taken_s,
        Some(22)
    );
    assert_eq!(item(&plan, "NIGHT.jpg").facts.taken_s, Some(33));
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
}

#[test]
fn numbered_duplicates_pair_across_the_moved_number() {
    let mut export = Export::new(&["p.zip"]);
    export
        .media(0, "Photos from 2020/IMG.jpg")
        .media(0, "Photos from 2020/IMG(1).jpg")
        .json(
            0,
            "Photos from 2020/IMG.jpg(1).json",
            &sidecar("IMG.jpg", 200),
        )
        .json(0, "Photos from 2020/IMG.jpg.json", &sidecar("IMG.jpg", 100));
    let plan = export.plan();
    assert_eq!(item(&plan, "/IMG.jpg").facts.taken_s, Some(100));
    assert_eq!(item(&plan, "/IMG(1).jpg").facts.taken_s, Some(200));
}

#[test]
fn an_edit_keeps_its_original_and_borrows_its_sidecar() {
    let mut export = Export::new(&["p.zip"]);
    export
        .media(0, "Photos from 2021/IMG_5-edited.jpg")
        .media(0, "Photos from 2021/IMG_5.jpg")
        .json(
            0,
            "Photos from 2021/IMG_5.jpg.json",
            &sidecar("IMG_5.jpg", 500),
        )
        .media(0, "Photos from 2021/IMG_6-bearbeitet.JPG")
        .media(0, "Photos from 2021/IMG_6.JPG");
    let plan = export.plan();
    let edit = item(&plan, "IMG_5-edited.jpg");
    assert_eq!(edit.source, Source::Original);
    assert_eq!(edit.facts.taken_s, Some(500));
    let original = edit.edit_of.expect("linked to its original") as usize;
    assert!(plan.items[original].path.ends_with("IMG_5.jpg"));
    // No sidecar for either: still linked.
    let german = item(&plan, "IMG_6-bearbeitet.JPG");
    assert_eq!(german.source, Source::None);
    assert!(
        plan.items[german.edit_of.expect("linked") as usize]
            .path
            .ends_with("IMG_6.JPG")
    );
}

#[test]
fn a_live_photos_video_borrows_the_stills_sidecar() {
    let mut export = Export::new(&["p.zip"]);
    export
        .media(0, "Photos from 2022/IMG_7.HEIC")
        .media(0, "Photos from 2022/IMG_7.MP4")
        .json(
            0,
            "Photos from 2022/IMG_7.HEIC.json",
            &sidecar("IMG_7.HEIC", 700),
        );
    let plan = export.plan();
    assert_eq!(item(&plan, "IMG_7.HEIC").source, Source::Own);
    let video = item(&plan, "IMG_7.MP4");
    assert_eq!(video.source, Source::Still);
    assert_eq!(video.facts.taken_s, Some(700));
    // A sidecar named without the extension fits both: the still wins.
    let mut bare = Export::new(&["p.zip"]);
    bare.media(0, "A/IMG_8.HEIC").media(0, "A/IMG_8.MOV").json(
        0,
        "A/IMG_8.json",
        &sidecar("IMG_8.HEIC", 800),
    );
    let plan = bare.plan();
    assert_eq!(item(&plan, "IMG_8.HEIC").source, Source::Own);
    assert_eq!(item(&plan, "IMG_8.MOV").source, Source::Still);
}

#[test]
fn what_is_skipped_says_why() {
    let mut export = Export::new(&["takeout-X-001.zip", "takeout-X-003.zip"]);
    export
        .add(0, "Takeout/archive_browser.html", None)
        .json(0, "print-subscriptions.json", r#"{"subscriptions":[]}"#)
        .media(0, "Failed Videos/VID_1.mp4")
        .media(0, "Photos from 2019/gone.jpg")
        .json(
            0,
            "Photos from 2019/gone.jpg.json",
            r#"{"title":"gone.jpg","photoTakenTime":{"timestamp":"9"},"trashed":true}"#,
        )
        .media(0, "Photos from 2019/gone-edited.jpg")
        .json(
            0,
            "Photos from 2019/elsewhere.jpg.json",
            &sidecar("elsewhere.jpg", 1),
        )
        .json(0, "Photos from 2019/notes.json", "{not json")
        .add(0, "../../etc/evil.jpg", None)
        .add(0, "/abs/evil.jpg", None)
        .add(1, &format!("{ROOT}/Photos from 2019/dup.jpg"), None)
        .add(1, &format!("{ROOT}/Photos from 2019/dup.jpg"), None);
    let plan = export.plan();
    assert_eq!(skipped(&plan, "archive_browser.html"), SkipReason::NotMedia);
    assert_eq!(
        skipped(&plan, "print-subscriptions.json"),
        SkipReason::NotMedia
    );
    assert_eq!(skipped(&plan, "VID_1.mp4"), SkipReason::FailedVideo);
    assert_eq!(skipped(&plan, "gone.jpg"), SkipReason::InTrash);
    assert_eq!(skipped(&plan, "gone-edited.jpg"), SkipReason::InTrash);
    assert_eq!(
        skipped(&plan, "elsewhere.jpg.json"),
        SkipReason::SidecarWithoutMedia
    );
    assert!(matches!(
        skipped(&plan, "notes.json"),
        SkipReason::UnreadableJson(_)
    ));
    assert_eq!(skipped(&plan, "etc/evil.jpg"), SkipReason::UnsafePath);
    assert_eq!(skipped(&plan, "abs/evil.jpg"), SkipReason::UnsafePath);
    assert_eq!(skipped(&plan, "dup.jpg"), SkipReason::ListedTwice);
    assert_eq!(plan.items.len(), 1, "{:#?}", plan.items);
    assert_eq!(plan.warnings.len(), 1);
    assert!(
        plan.warnings[0].contains("takeout-X-002"),
        "{:?}",
        plan.warnings
    );
    for skip in &plan.skipped {
        assert!(!skip.reason.words().is_empty());
    }
}

#[test]
fn broken_sidecars_leave_the_photo_to_its_own_metadata() {
    let mut export = Export::new(&["p.zip"]);
    export
        .media(0, "A/empty.jpg")
        .json(0, "A/empty.jpg.json", "")
        .media(0, "A/garbage.jpg")
        .json(0, "A/garbage.jpg.json", "<html>")
        .media(0, "A/baddate.jpg")
        .json(
            0,
            "A/baddate.jpg.json",
            r#"{"title":"baddate.jpg","photoTakenTime":{"timestamp":"soon"}}"#,
        )
        .media(0, "A/huge.jpg")
        .add(
            0,
            &format!("{ROOT}/A/huge.jpg.json"),
            Some(Text::Unreadable("larger than 1 MiB".into())),
        )
        .media(0, "A/alone.jpg");
    let plan = export.plan();
    assert_eq!(
        item(&plan, "empty.jpg").source,
        Source::Unreadable("the sidecar is empty".into())
    );
    assert_eq!(
        item(&plan, "garbage.jpg").source,
        Source::Unreadable("the sidecar is not JSON".into())
    );
    let bad = item(&plan, "baddate.jpg");
    assert_eq!((bad.source.clone(), bad.facts.taken_s), (Source::Own, None));
    assert!(
        bad.note
            .as_deref()
            .is_some_and(|note| note.contains("not a date"))
    );
    assert_eq!(
        item(&plan, "huge.jpg").source,
        Source::Unreadable("larger than 1 MiB".into())
    );
    assert_eq!(item(&plan, "alone.jpg").source, Source::None);
    assert!(plan.skipped.is_empty(), "{:?}", plan.skipped);
}

#[test]
fn a_sidecar_in_another_part_still_pairs_and_items_come_in_archive_order() {
    let mut export = Export::new(&["takeout-X-001.zip", "takeout-X-002.zip"]);
    export
        .json(
            1,
            "Photos from 2019/IMG_1.jpg.json",
            &sidecar("IMG_1.jpg", 42),
        )
        .media(1, "Photos from 2019/IMG_0.jpg")
        .media(0, "Photos from 2019/IMG_1.jpg");
    let plan = export.plan();
    assert_eq!(item(&plan, "IMG_1.jpg").facts.taken_s, Some(42));
    let order: Vec<Where> = plan.items.iter().map(|item| item.at).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
    assert_eq!(plan.items[0].at.part, 0);
}

#[test]
fn a_folder_of_thousands_pairs_each_photo_with_its_own_sidecar() {
    let mut export = Export::new(&["p.zip"]);
    for n in 0..3000 {
        export
            .media(0, &format!("Photos from 2019/IMG_{n}.jpg"))
            .json(
                0,
                &format!("Photos from 2019/IMG_{n}.jpg.json"),
                &sidecar(&format!("IMG_{n}.jpg"), n + 1),
            );
    }
    let plan = export.plan();
    assert_eq!(plan.items.len(), 3000);
    for item in &plan.items {
        let n: i64 = item.name["IMG_".len()..item.name.len() - ".jpg".len()]
            .parse()
            .expect("a number");
        assert_eq!(item.facts.taken_s, Some(n + 1), "{}", item.name);
    }
}
