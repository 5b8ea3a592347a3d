//! The queue's rules as a person would see them: what the rows say, what the
//! header counts, what gets started, kept and forgotten. A fake edge plays the
//! browser: it keeps files as IndexedDB would, counts commits, and answers for
//! the API and the store.

use std::collections::BTreeMap;

use super::*;
use crate::upload::rows::RowState;

const MB: u64 = 1_000_000;

const LIMITS: Limits = Limits {
    concurrency: 2,
    max_original_bytes: 50 * MB,
    attempts: 4,
};

/// The browser's side, faked: a handle is the file's name.
struct Edge {
    queue: Queue<&'static str>,
    /// The files kept for after a reload, by id (IndexedDB's `pending`).
    kept: BTreeMap<String, &'static str>,
    /// Photos committed on this page (the gallery's count).
    committed: u32,
}

impl Edge {
    fn new(limits: Limits) -> Edge {
        Edge {
            queue: Queue::new(limits),
            kept: BTreeMap::new(),
            committed: 0,
        }
    }

    /// Applies `event` and does the bookkeeping commands, as the edge would;
    /// returns every command, for the test to look at.
    fn on(&mut self, event: Event<&'static str>) -> Vec<Command<&'static str>> {
        let commands = self.queue.on(event);
        for command in &commands {
            match command {
                Command::Keep { key, id } => {
                    let file = self.queue.handle(*key).copied().unwrap_or_default();
                    self.kept.insert(id.clone(), file);
                }
                Command::Forget { id } => {
                    self.kept.remove(id);
                }
                Command::CountCommitted { .. } => self.committed += 1,
                _ => {}
            }
        }
        commands
    }

    /// Picks files (name, size) while signed in: each is kept as `id-<name>`.
    fn add(&mut self, files: &[(&'static str, u64)]) -> Vec<Command<&'static str>> {
        let files = files
            .iter()
            .map(|&(name, bytes)| NewFile {
                name: name.into(),
                bytes,
                kept_as: Some(format!("id-{name}")),
                handle: name,
            })
            .collect();
        self.on(Event::Added { files, now_ms: 0.0 })
    }

    fn key(&self, name: &str) -> Key {
        self.queue
            .rows()
            .iter()
            .find(|row| row.name == name)
            .map(|row| row.key)
            .unwrap_or_else(|| panic!("no row for {name}"))
    }

    fn state(&self, name: &str) -> RowState {
        let key = self.key(name);
        self.queue
            .rows()
            .into_iter()
            .find(|row| row.key == key)
            .map(|row| row.state)
            .unwrap_or(RowState::Cancelled)
    }

    fn retryable(&self, name: &str) -> bool {
        let key = self.key(name);
        self.queue
            .rows()
            .iter()
            .any(|row| row.key == key && row.retryable)
    }

    /// Rows that are under way (what the person sees moving).
    fn running(&self) -> Vec<String> {
        self.queue
            .rows()
            .into_iter()
            .filter(|row| {
                matches!(
                    row.state,
                    RowState::Preparing | RowState::Uploading | RowState::Committing
                )
            })
            .map(|row| row.name)
            .collect()
    }

    fn prepared(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let key = self.key(name);
        let photo_id = format!("sha-{name}");
        self.on(Event::Prepared { key, photo_id })
    }

    /// The API signs three parts (original and two previews).
    fn answered_upload(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let key = self.key(name);
        self.on(Event::AnsweredUpload {
            key,
            parts: vec![4 * MB, 100_000, 20_000],
        })
    }

    fn uploaded_all(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let key = self.key(name);
        (0..3)
            .flat_map(|part| self.on(Event::Uploaded { key, part }))
            .collect()
    }

    fn committed(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let key = self.key(name);
        self.on(Event::Committed { key })
    }

    /// A started file through the rest of the pipeline, every step answering well.
    fn complete(&mut self, name: &str) -> Vec<Command<&'static str>> {
        let mut commands = self.prepared(name);
        commands.extend(self.answered_upload(name));
        commands.extend(self.uploaded_all(name));
        commands.extend(self.committed(name));
        commands
    }

    fn summary(&self) -> Summary {
        self.queue.summary(0.0)
    }
}

/// The files the queue let go of: anything in flight for them is stopped.
fn released(commands: &[Command<&'static str>]) -> Vec<Key> {
    commands
        .iter()
        .filter_map(|command| match command {
            Command::Release { key, .. } => Some(*key),
            _ => None,
        })
        .collect()
}

fn prepares(commands: &[Command<&'static str>]) -> Vec<Key> {
    commands
        .iter()
        .filter_map(|command| match command {
            Command::Prepare { key } => Some(*key),
            _ => None,
        })
        .collect()
}

fn transient() -> Failure {
    Failure::Transient("Shoebox could not be reached. Check your connection.".into())
}

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

#[test]
fn the_summary_counts_bytes_and_estimates_the_time_left() {
    let mut edge = Edge::new(LIMITS);
    edge.add(&[("a", 4 * MB), ("b", 4 * MB)]);
    let a = edge.key("a");
    edge.prepared("a");
    edge.on(Event::AnsweredUpload {
        key: a,
        parts: vec![4 * MB],
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
