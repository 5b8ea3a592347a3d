//! How an import went: each item's [`Outcome`], the [`Counts`] the page shows,
//! and the CSV the person can keep (every file of the export, and what
//! happened to it).

use std::collections::HashSet;

use takeout::{Plan, Source};

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Waiting,
    Running,
    /// In the library as `id`: uploaded by this run (`new`) or there already.
    Stored {
        id: String,
        new: bool,
    },
    /// An earlier run of these parts finished it.
    DoneBefore,
    Failed(String),
}

impl Outcome {
    pub fn is_finished(&self) -> bool {
        !matches!(self, Outcome::Waiting | Outcome::Running)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub items: usize,
    pub finished: usize,
    /// Photos and videos this run added to the library.
    pub imported: usize,
    /// Photos the library already had (from before this import).
    pub already_there: usize,
    /// Second copies in album folders of photos this run imported.
    pub copies: usize,
    pub done_before: usize,
    pub failed: usize,
    pub skipped: usize,
}

pub fn counts(plan: &Plan, outcomes: &[Outcome]) -> Counts {
    let new: HashSet<&str> = outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            Outcome::Stored { id, new: true } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let mut already = HashSet::new();
    let mut counts = Counts {
        items: plan.items.len(),
        imported: new.len(),
        skipped: plan.skipped.len(),
        ..Counts::default()
    };
    for outcome in outcomes {
        counts.finished += usize::from(outcome.is_finished());
        match outcome {
            Outcome::Stored { id, new: false } if !new.contains(id.as_str()) => {
                already.insert(id.as_str());
            }
            Outcome::DoneBefore => counts.done_before += 1,
            Outcome::Failed(_) => counts.failed += 1,
            _ => {}
        }
    }
    counts.already_there = already.len();
    counts.copies = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Outcome::Stored { .. }))
        .count()
        - counts.imported
        - counts.already_there;
    counts
}

fn cell(text: &str) -> String {
    // Quoted, and a leading = + - @ defused: a spreadsheet must not run a
    // file name as a formula.
    let defused = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

/// `path,outcome,detail`, a line per file of the export.
pub fn csv(plan: &Plan, outcomes: &[Outcome]) -> String {
    let mut lines = vec!["path,outcome,detail".to_owned()];
    for (item, outcome) in plan.items.iter().zip(outcomes) {
        let (what, mut detail) = match outcome {
            Outcome::Stored { new: true, .. } => ("imported", String::new()),
            Outcome::Stored { new: false, .. } => ("already there", String::new()),
            Outcome::DoneBefore => ("imported by an earlier run", String::new()),
            Outcome::Failed(why) => ("failed", why.clone()),
            Outcome::Waiting | Outcome::Running => ("not finished", String::new()),
        };
        let note = match &item.source {
            Source::None => Some("no sidecar".to_owned()),
            Source::Unreadable(why) => Some(format!("sidecar unreadable: {why}")),
            _ => item.note.clone(),
        };
        if let Some(note) = note {
            if !detail.is_empty() {
                detail.push_str("; ");
            }
            detail.push_str(&note);
        }
        lines.push(format!(
            "{},{},{}",
            cell(&item.path),
            cell(what),
            cell(&detail)
        ));
    }
    for skipped in &plan.skipped {
        lines.push(format!(
            "{},{},{}",
            cell(&skipped.path),
            cell("skipped"),
            cell(&skipped.reason.words())
        ));
    }
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use takeout::{Facts, Item, SkipReason, Skipped, Where};

    use super::*;

    fn item(path: &str, source: Source) -> Item {
        Item {
            at: Where { part: 0, entry: 0 },
            path: path.to_owned(),
            name: path.rsplit('/').next().unwrap_or(path).to_owned(),
            bytes: 1,
            facts: Facts::default(),
            source,
            albums: Vec::new(),
            edit_of: None,
            note: None,
        }
    }

    fn stored(id: &str, new: bool) -> Outcome {
        Outcome::Stored {
            id: id.to_owned(),
            new,
        }
    }

    #[test]
    fn an_album_copy_of_a_new_photo_is_neither_new_again_nor_already_there() {
        let plan = Plan {
            items: ["a", "b", "a-in-album", "c", "d", "e"]
                .into_iter()
                .map(|path| item(path, Source::Own))
                .collect(),
            skipped: vec![Skipped {
                path: "x.html".into(),
                reason: SkipReason::NotMedia,
            }],
            ..Plan::default()
        };
        let outcomes = [
            stored("A", true),
            stored("B", false),
            stored("A", false),
            Outcome::DoneBefore,
            Outcome::Failed("the network".into()),
            Outcome::Running,
        ];
        let counts = counts(&plan, &outcomes);
        assert_eq!(
            counts,
            Counts {
                items: 6,
                finished: 5,
                imported: 1,
                already_there: 1,
                copies: 1,
                done_before: 1,
                failed: 1,
                skipped: 1,
            }
        );
    }

    #[test]
    fn the_csv_has_a_line_per_file_and_defuses_formulas() {
        let plan = Plan {
            items: vec![
                item("=cmd.jpg", Source::None),
                item(
                    "A/b \"quoted\".jpg",
                    Source::Unreadable("the sidecar is empty".into()),
                ),
            ],
            skipped: vec![Skipped {
                path: "../evil.jpg".into(),
                reason: SkipReason::UnsafePath,
            }],
            ..Plan::default()
        };
        let csv = csv(
            &plan,
            &[stored("A", true), Outcome::Failed("refused".into())],
        );
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines,
            [
                "path,outcome,detail",
                "\"'=cmd.jpg\",\"imported\",\"no sidecar\"",
                "\"A/b \"\"quoted\"\".jpg\",\"failed\",\"refused; sidecar unreadable: the sidecar is empty\"",
                "\"../evil.jpg\",\"skipped\",\"a name that leads outside the archive\"",
            ]
        );
    }
}
