//! Photos the library already has, and the same photo twice in a batch.

use super::*;

#[test]
fn a_photo_the_library_has_is_a_duplicate_not_a_failure() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB), ("b", MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    let commands = edge.on(Event::AnsweredExists { key: a });
    assert!(!commands.iter().any(|c| matches!(c, Command::Send { .. })));
    assert_eq!(edge.state("a"), RowState::Duplicate);
    edge.complete("b");
    let summary = edge.summary();
    assert_eq!(
        (
            summary.done,
            summary.duplicates,
            summary.failed,
            summary.finished
        ),
        (1, 1, 0, 2)
    );
    assert_eq!(
        summary.bytes_done,
        2 * MB,
        "a duplicate counts as done bytes"
    );
    assert_eq!(edge.committed, 1);
    assert!(edge.kept.is_empty());
}

#[test]
fn the_same_photo_twice_in_a_batch_is_uploaded_once() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB), ("copy of a", MB)]);
    let (a, copy) = (edge.key("a"), edge.key("copy of a"));
    edge.on(Event::Prepared {
        key: a,
        photo_id: "same".into(),
    });
    let held = edge.on(Event::Prepared {
        key: copy,
        photo_id: "same".into(),
    });
    assert_eq!(held, vec![], "the copy waits for the first");
    assert_eq!(edge.state("copy of a"), RowState::Preparing);

    edge.answered_upload("a");
    edge.uploaded_all("a");
    let commands = edge.committed("a");
    assert!(commands.contains(&Command::Ask {
        key: copy,
        retry: 0
    }));
    edge.on(Event::AnsweredExists { key: copy });
    let summary = edge.summary();
    assert_eq!((summary.done, summary.duplicates), (1, 1));
}

#[test]
fn a_held_copy_uploads_itself_when_the_first_fails() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB), ("copy of a", MB)]);
    let (a, copy) = (edge.key("a"), edge.key("copy of a"));
    for key in [a, copy] {
        edge.on(Event::Prepared {
            key,
            photo_id: "same".into(),
        });
    }
    let commands = edge.on(Event::Failed {
        key: a,
        failure: Failure::Final("This file type is not accepted.".into()),
    });
    assert!(commands.contains(&Command::Ask {
        key: copy,
        retry: 0
    }));
    edge.answered_upload("copy of a");
    edge.uploaded_all("copy of a");
    edge.committed("copy of a");
    assert_eq!(edge.state("copy of a"), RowState::Done);
}
