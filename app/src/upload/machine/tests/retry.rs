//! Trying again: by the queue after a pause, or by the person after a failure.

use super::*;

#[test]
fn a_failure_that_may_pass_in_a_moment_is_tried_again_after_a_pause() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    let again = edge.on(Event::Failed {
        key: a,
        failure: transient(),
    });
    assert_eq!(again, vec![Command::Ask { key: a, retry: 1 }]);
    assert_eq!(edge.state("a"), RowState::Preparing, "no failure shows");
    edge.answered_upload("a");
    edge.uploaded_all("a");
    let again = edge.on(Event::Failed {
        key: a,
        failure: transient(),
    });
    assert_eq!(
        again,
        vec![Command::Commit { key: a, retry: 1 }],
        "each step has its own tries"
    );
    edge.committed("a");
    assert_eq!(edge.state("a"), RowState::Done);
}

#[test]
fn a_part_that_fails_in_a_moment_is_sent_again_on_its_own() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", 4 * MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    edge.answered_upload("a");
    edge.on(Event::Uploaded { key: a, part: 1 });
    let again = edge.on(Event::PartFailed {
        key: a,
        part: 0,
        failure: transient(),
    });
    assert_eq!(
        again,
        vec![Command::Send {
            key: a,
            part: 0,
            retry: 1
        }]
    );
    edge.on(Event::Uploaded { key: a, part: 2 });
    assert_eq!(
        edge.state("a"),
        RowState::Uploading,
        "the original is not there yet"
    );
    let commit = edge.on(Event::Uploaded { key: a, part: 0 });
    assert_eq!(commit, vec![Command::Commit { key: a, retry: 0 }]);
}

#[test]
fn when_the_tries_run_out_the_file_fails_and_can_be_retried() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    let mut retries = Vec::new();
    for _ in 0..LIMITS.attempts {
        retries.extend(edge.on(Event::Failed {
            key: a,
            failure: transient(),
        }));
    }
    let asks: Vec<u32> = retries
        .iter()
        .filter_map(|command| match command {
            Command::Ask { retry, .. } => Some(*retry),
            _ => None,
        })
        .collect();
    assert_eq!(asks, vec![1, 2, 3], "four tries in all");
    assert_eq!(
        edge.state("a"),
        RowState::Failed("Shoebox could not be reached. Check your connection.".into())
    );
    assert!(edge.retryable("a"));
    assert!(edge.kept.contains_key("id-a"), "a reload tries it again");
    let summary = edge.summary();
    assert_eq!((summary.failed, summary.finished), (1, 1));
}

#[test]
fn a_retried_file_goes_through_the_whole_pipeline_again_in_its_turn() {
    let mut edge = Edge::new(Limits {
        concurrency: 1,
        ..LIMITS
    });
    edge.add(&[("a", MB), ("b", MB), ("c", MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    edge.answered_upload("a");
    edge.on(Event::PartFailed {
        key: a,
        part: 0,
        failure: Failure::Interrupted("The photo store refused the upload (403).".into()),
    });
    assert_eq!(edge.running(), vec!["b"]);

    // Retried while b runs: it waits behind c, which was added before.
    let commands = edge.on(Event::Retry { key: a });
    assert!(prepares(&commands).is_empty());
    assert_eq!(edge.state("a"), RowState::Waiting);
    assert!(!edge.retryable("a"));
    assert_eq!(prepares(&edge.complete("b")), vec![edge.key("c")]);
    assert_eq!(prepares(&edge.complete("c")), vec![a], "hashed again");

    assert_eq!(
        edge.prepared("a"),
        vec![Command::Ask { key: a, retry: 0 }],
        "asked again: its old upload URLs may have expired"
    );
    edge.answered_upload("a");
    edge.uploaded_all("a");
    edge.committed("a");
    assert_eq!(edge.state("a"), RowState::Done);
    assert_eq!(edge.summary().done, 3);
}

#[test]
fn a_file_that_failed_for_good_cannot_be_retried() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("notes.jpg", MB), ("refused.jpg", MB)]);
    let notes = edge.key("notes.jpg");
    edge.on(Event::Failed {
        key: notes,
        failure: Failure::Final("Can't read this photo: not an image.".into()),
    });
    let refused = edge.key("refused.jpg");
    edge.prepared("refused.jpg");
    edge.on(Event::Failed {
        key: refused,
        failure: Failure::Final("This file type is not accepted.".into()),
    });
    for key in [notes, refused] {
        let commands = edge.on(Event::Retry { key });
        assert!(commands.is_empty());
    }
    assert!(!edge.retryable("notes.jpg"));
    assert!(matches!(edge.state("notes.jpg"), RowState::Failed(_)));
    assert!(matches!(edge.state("refused.jpg"), RowState::Failed(_)));
    assert!(edge.kept.is_empty(), "a reload would fail them again");
}
