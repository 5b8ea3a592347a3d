//! Cancelling one file or all of them, waiting or under way.

use super::*;

#[test]
fn a_cancelled_waiting_file_is_never_started() {
    let mut edge = Edge::new(Limits {
        concurrency: 1,
        ..LIMITS
    });
    edge.add(&[("a", MB), ("b", MB), ("c", MB)]);
    let commands = edge.on(Event::Cancel { key: edge.key("b") });
    assert!(prepares(&commands).is_empty());
    assert_eq!(edge.state("b"), RowState::Cancelled);
    assert!(!edge.kept.contains_key("id-b"));
    assert_eq!(prepares(&edge.complete("a")), vec![edge.key("c")]);
}

#[test]
fn a_cancelled_running_file_is_aborted_its_slot_freed_and_its_late_answers_ignored() {
    let mut edge = Edge::new(Limits {
        concurrency: 1,
        ..LIMITS
    });
    edge.add(&[("a", 4 * MB), ("b", MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    edge.answered_upload("a");
    let commands = edge.on(Event::Cancel { key: a });
    assert_eq!(released(&commands), vec![a], "its requests are stopped");
    assert_eq!(prepares(&commands), vec![edge.key("b")]);
    assert_eq!(edge.state("a"), RowState::Cancelled);
    assert!(!edge.kept.contains_key("id-a"));

    // The requests under way end after all: nothing changes.
    let late = [
        Event::Progress {
            key: a,
            part: 0,
            sent: MB,
        },
        Event::Uploaded { key: a, part: 0 },
        Event::PartFailed {
            key: a,
            part: 1,
            failure: transient(),
        },
        Event::Committed { key: a },
        Event::Retry { key: a },
    ];
    for event in late {
        assert_eq!(edge.on(event), vec![]);
    }
    assert_eq!(edge.state("a"), RowState::Cancelled);
    assert_eq!(edge.committed, 0);
    assert_eq!(edge.running(), vec!["b"]);
}

#[test]
fn a_commit_under_way_is_not_called_back() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    edge.answered_upload("a");
    edge.uploaded_all("a");
    assert_eq!(edge.on(Event::Cancel { key: a }), vec![]);
    edge.committed("a");
    assert_eq!(edge.state("a"), RowState::Done);
}

#[test]
fn cancel_all_stops_every_open_file_and_starts_none() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB), ("b", MB), ("c", MB), ("d", MB)]);
    edge.complete("a");
    edge.prepared("b");
    let commands = edge.on(Event::CancelAll);
    assert!(prepares(&commands).is_empty(), "{commands:?}");
    let mut stopped = released(&commands);
    stopped.sort();
    assert_eq!(stopped, vec![edge.key("b"), edge.key("c"), edge.key("d")]);
    assert_eq!(
        edge.state("a"),
        RowState::Done,
        "finished rows stay as they are"
    );
    for name in ["b", "c", "d"] {
        assert_eq!(edge.state(name), RowState::Cancelled);
    }
    assert!(edge.kept.is_empty());
    let summary = edge.summary();
    assert_eq!((summary.finished, summary.failed), (4, 0));
}

#[test]
fn cancel_all_asks_nothing_for_a_copy_that_was_held_back() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB), ("copy of a", MB)]);
    for key in [edge.key("a"), edge.key("copy of a")] {
        edge.on(Event::Prepared {
            key,
            photo_id: "same".into(),
        });
    }
    let commands = edge.on(Event::CancelAll);
    assert!(
        !commands
            .iter()
            .any(|command| matches!(command, Command::Ask { .. })),
        "{commands:?}"
    );
    assert_eq!(edge.state("copy of a"), RowState::Cancelled);
}
