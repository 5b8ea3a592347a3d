//! A reload: kept files come back and finish; finished ones stay finished.

use super::*;

#[test]
fn a_reload_resumes_unfinished_files_and_does_not_redo_finished_ones() {
    // The first page: a is backed up, b fails for a reason that may pass,
    // c is half sent, d has not started, e is cancelled.
    let mut first = Edge::new(LIMITS);
    first.add(&[("a", MB), ("b", MB), ("c", MB), ("d", MB), ("e", MB)]);
    first.complete("a");
    first.prepared("b");
    let b = first.key("b");
    first.on(Event::Failed {
        key: b,
        failure: Failure::Interrupted("Your session ended. Sign in again to go on.".into()),
    });
    first.prepared("c");
    first.answered_upload("c");
    first.on(Event::Cancel {
        key: first.key("e"),
    });
    assert_eq!(first.running(), vec!["c", "d"]);
    let kept: Vec<&str> = first.kept.keys().map(String::as_str).collect();
    assert_eq!(kept, vec!["id-b", "id-c", "id-d"]);

    // The page reloads: the kept files come back, queued, and finish.
    let mut second = Edge::new(LIMITS);
    second.kept = first.kept.clone();
    let resumed = |edge: &Edge| {
        edge.kept
            .iter()
            .map(|(id, &name)| NewFile {
                name: name.into(),
                bytes: MB,
                kept_as: Some(id.clone()),
                handle: name,
            })
            .collect::<Vec<_>>()
    };
    let files = resumed(&second);
    let commands = second.on(Event::Resumed { files, now_ms: 0.0 });
    let names: Vec<String> = second
        .queue
        .rows()
        .into_iter()
        .map(|row| row.name)
        .collect();
    assert_eq!(names, vec!["b", "c", "d"], "a and e are not redone");
    assert_eq!(prepares(&commands).len(), 2);
    assert!(
        !commands
            .iter()
            .any(|command| matches!(command, Command::Keep { .. })),
        "they are kept already"
    );

    // Resuming again on the same page adds nothing.
    let files = resumed(&second);
    second.on(Event::Resumed { files, now_ms: 0.0 });
    assert_eq!(second.queue.rows().len(), 3);

    second.complete("b");
    second.complete("c");
    second.complete("d");
    let summary = second.summary();
    assert_eq!((summary.done, summary.total), (3, 3));
    assert!(second.kept.is_empty(), "nothing left to resume");
}

#[test]
fn a_kept_file_now_over_the_limit_is_not_resumed_again() {
    let mut edge = Edge::new(LIMITS);
    edge.kept.insert("id-big".into(), "big");
    let files = vec![NewFile {
        name: "big".into(),
        bytes: 60 * MB,
        kept_as: Some("id-big".into()),
        handle: "big",
    }];
    edge.on(Event::Resumed { files, now_ms: 0.0 });
    assert!(matches!(edge.state("big"), RowState::Failed(_)));
    assert!(edge.kept.is_empty());
}
