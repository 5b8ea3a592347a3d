//! The happy path, the queue's slots, the size limit, and the panel's header.

use super::*;

#[test]
fn a_photo_goes_through_every_stage_to_backed_up() {
    let mut edge = Edge::new(LIMITS);
    let commands = edge.add(&[("a.jpg", 4 * MB)]);
    let a = edge.key("a.jpg");
    assert_eq!(prepares(&commands), vec![a]);
    assert_eq!(edge.state("a.jpg"), RowState::Preparing);
    assert!(
        edge.kept.contains_key("id-a.jpg"),
        "kept for after a reload"
    );

    assert_eq!(
        edge.prepared("a.jpg"),
        vec![Command::Ask { key: a, retry: 0 }]
    );
    let sends = edge.answered_upload("a.jpg");
    assert_eq!(sends.len(), 3, "the original and both previews go at once");
    assert_eq!(edge.state("a.jpg"), RowState::Uploading);

    edge.on(Event::Progress {
        key: a,
        part: 0,
        sent: 2 * MB,
    });
    let row = edge.queue.rows()[0].clone();
    assert_eq!((row.sent, row.upload_bytes), (2 * MB, 4_120_000));

    assert_eq!(
        edge.uploaded_all("a.jpg"),
        vec![Command::Commit { key: a, retry: 0 }]
    );
    assert_eq!(edge.state("a.jpg"), RowState::Committing);
    edge.committed("a.jpg");
    assert_eq!(edge.state("a.jpg"), RowState::Done);
    assert_eq!(edge.committed, 1, "the gallery hears of it");
    assert!(edge.kept.is_empty(), "a done file needs no resuming");
    assert_eq!(edge.queue.handle(a), None, "nor its file");
}

#[test]
fn never_more_than_the_concurrency_run_and_the_next_starts_when_one_ends() {
    let mut edge = Edge::new(LIMITS);
    let started = edge.add(&[("a", MB), ("b", MB), ("c", MB), ("d", MB)]);
    assert_eq!(prepares(&started).len(), 2);
    assert_eq!(edge.running(), vec!["a", "b"]);
    assert_eq!(edge.state("c"), RowState::Waiting);

    // Steps that do not end a file start nothing.
    assert!(prepares(&edge.prepared("a")).is_empty());
    assert!(prepares(&edge.answered_upload("a")).is_empty());

    let next = edge.complete("b");
    assert_eq!(
        prepares(&next),
        vec![edge.key("c")],
        "the oldest waiting one"
    );
    assert_eq!(edge.running(), vec!["a", "c"]);

    // A failure frees its slot as well as a success does.
    let a = edge.key("a");
    let next = edge.on(Event::PartFailed {
        key: a,
        part: 0,
        failure: Failure::Interrupted("The photo store refused the upload.".into()),
    });
    assert_eq!(prepares(&next), vec![edge.key("d")]);
    assert_eq!(edge.running(), vec!["c", "d"]);
}

#[test]
fn a_file_over_the_limit_fails_at_once_and_is_never_started_or_kept() {
    let mut edge = Edge::new(LIMITS);
    let commands = edge.add(&[("huge.tif", 80 * MB), ("small.jpg", MB)]);
    assert_eq!(prepares(&commands), vec![edge.key("small.jpg")]);
    assert_eq!(
        edge.state("huge.tif"),
        RowState::Failed("This file is 80 MB; this Shoebox takes files up to 50 MB.".into())
    );
    assert!(!edge.retryable("huge.tif"));
    assert!(!edge.kept.contains_key("id-huge.tif"));
    let summary = edge.summary();
    assert_eq!((summary.failed, summary.bytes_total), (1, MB));
}

#[test]
fn the_summary_counts_bytes_and_estimates_the_time_left() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", 4 * MB), ("b", 4 * MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    edge.on(Event::AnsweredUpload {
        key: a,
        parts: vec![PlannedPart::to_send(4 * MB)],
    });
    edge.on(Event::Progress {
        key: a,
        part: 0,
        sent: 2 * MB,
    });
    let early = edge.queue.summary(1_000.0);
    assert_eq!(early.seconds_left, None, "a second says little of the rate");
    assert_eq!((early.bytes_total, early.bytes_done), (8 * MB, 2 * MB));

    // 2 MB in 4 s: the 6 MB left take 12 s.
    let later = edge.queue.summary(4_000.0);
    assert_eq!(later.seconds_left, Some(12.0));
    assert_eq!((later.total, later.finished), (2, 0));

    // A retried part starting again does not count its bytes twice.
    edge.on(Event::PartFailed {
        key: a,
        part: 0,
        failure: transient(),
    });
    edge.on(Event::Progress {
        key: a,
        part: 0,
        sent: MB,
    });
    assert_eq!(
        edge.queue.summary(4_000.0).seconds_left,
        Some(12.0 * 7.0 / 6.0)
    );
}

#[test]
fn clear_finished_leaves_only_the_open_files() {
    let mut edge = Edge::new(LIMITS);
    edge.on(Event::Skipped(3));
    edge.add(&[("a", MB), ("b", MB), ("c", MB), ("d", 60 * MB)]);
    edge.complete("a");
    assert_eq!(edge.summary().skipped, 3);
    edge.on(Event::ClearFinished);
    let names: Vec<String> = edge.queue.rows().into_iter().map(|row| row.name).collect();
    assert_eq!(names, vec!["b", "c"]);
    let summary = edge.summary();
    assert_eq!((summary.total, summary.skipped), (2, 0));
}

#[test]
fn clearing_one_file_takes_it_off_only_once_it_has_finished() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB), ("b", MB)]);
    let (a, b) = (edge.key("a"), edge.key("b"));
    edge.complete("a");
    edge.on(Event::Clear { key: b });
    assert_eq!(edge.state("b"), RowState::Preparing, "b is still running");
    edge.on(Event::Clear { key: a });
    let names: Vec<String> = edge.queue.rows().into_iter().map(|row| row.name).collect();
    assert_eq!(names, vec!["b".to_owned()]);
    assert_eq!(edge.queue.row(a), None);
    assert_eq!(edge.summary().total, 1);
}
