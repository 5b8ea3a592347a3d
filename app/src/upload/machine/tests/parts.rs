//! A large file sent in pieces: a few at a time, each retried on its own, and
//! after a reload only the pieces the store does not hold yet.

use super::*;

/// A deployment that takes 1 GB videos.
const VIDEO_LIMITS: Limits = Limits {
    max_original_bytes: 2_000 * MB,
    ..LIMITS
};

fn sends(commands: &[Command<&'static str>]) -> Vec<usize> {
    commands
        .iter()
        .filter_map(|command| match command {
            Command::Send { part, .. } => Some(*part),
            _ => None,
        })
        .collect()
}

fn commits(commands: &[Command<&'static str>]) -> usize {
    commands
        .iter()
        .filter(|command| matches!(command, Command::Commit { .. }))
        .count()
}

/// A 1 GB video asked about: `stored` of its 120 pieces are in the store
/// already; then its two previews.
fn answered_in_pieces(edge: &mut Edge, stored: &[usize]) -> Vec<Command<&'static str>> {
    edge.add(&[("clip.mov", 1_000 * MB)]);
    edge.prepared("clip.mov");
    let key = edge.key("clip.mov");
    let mut parts: Vec<PlannedPart> = (0..120)
        .map(|index| PlannedPart {
            bytes: if index < 119 { 8 * MB } else { 48 * MB },
            already_stored: stored.contains(&index),
        })
        .collect();
    parts.extend([100_000, 20_000].map(PlannedPart::to_send));
    edge.on(Event::AnsweredUpload { key, parts })
}

#[test]
fn pieces_go_four_at_a_time_and_the_next_starts_as_one_lands() {
    let mut edge = Edge::new(VIDEO_LIMITS);
    let commands = answered_in_pieces(&mut edge, &[]);
    assert_eq!(sends(&commands), [0, 1, 2, 3]);
    let key = edge.key("clip.mov");

    let commands = edge.on(Event::Uploaded { key, part: 2 });
    assert_eq!(sends(&commands), [4], "one landed, one more leaves");
    let mut sent = vec![0, 1, 2, 3, 4];
    let mut finished = vec![2];
    // Land every piece, oldest in flight first, as each frees a place.
    while finished.len() < 122 {
        let next = *sent
            .iter()
            .find(|part| !finished.contains(*part))
            .expect("one in flight");
        let commands = edge.on(Event::Uploaded { key, part: next });
        finished.push(next);
        let started = sends(&commands);
        assert!(started.len() <= 1, "{started:?}");
        sent.extend(started);
        let in_flight = sent.len() - finished.len();
        assert!(in_flight <= PARTS_IN_FLIGHT, "{in_flight} in flight");
        if finished.len() < 122 {
            assert_eq!(commits(&commands), 0);
        } else {
            assert_eq!(commits(&commands), 1, "committed once all are there");
        }
    }
    sent.sort_unstable();
    assert_eq!(sent, (0..122).collect::<Vec<_>>(), "each piece sent once");
}

#[test]
fn a_resumed_upload_sends_only_what_the_store_lacks_and_shows_the_rest_as_sent() {
    let mut edge = Edge::new(VIDEO_LIMITS);
    let stored: Vec<usize> = (0..100).collect();
    let commands = answered_in_pieces(&mut edge, &stored);
    assert_eq!(sends(&commands), [100, 101, 102, 103]);
    let row = edge
        .queue
        .rows()
        .into_iter()
        .find(|row| row.name == "clip.mov")
        .expect("row");
    assert_eq!(row.sent, 800 * MB, "the pieces already there count as sent");
    assert_eq!(row.state, RowState::Uploading);
}

#[test]
fn an_upload_whose_pieces_are_all_there_goes_straight_to_its_commit() {
    let mut edge = Edge::new(VIDEO_LIMITS);
    edge.add(&[("clip.mov", 16 * MB)]);
    edge.prepared("clip.mov");
    let key = edge.key("clip.mov");
    let stored = PlannedPart {
        bytes: 8 * MB,
        already_stored: true,
    };
    let commands = edge.on(Event::AnsweredUpload {
        key,
        parts: vec![stored, stored],
    });
    assert_eq!((sends(&commands), commits(&commands)), (vec![], 1));
    assert_eq!(edge.state("clip.mov"), RowState::Committing);
}

#[test]
fn a_failing_piece_is_retried_alone_and_the_file_fails_when_its_tries_run_out() {
    let mut edge = Edge::new(VIDEO_LIMITS);
    answered_in_pieces(&mut edge, &[]);
    let key = edge.key("clip.mov");
    for retry in 1..LIMITS.attempts {
        let commands = edge.on(Event::PartFailed {
            key,
            part: 1,
            failure: transient(),
        });
        assert_eq!(
            commands,
            [Command::Send {
                key,
                part: 1,
                retry
            }],
            "the same piece again, nothing else"
        );
    }
    // Others land meanwhile, and more leave.
    assert_eq!(sends(&edge.on(Event::Uploaded { key, part: 0 })), [4]);
    let commands = edge.on(Event::PartFailed {
        key,
        part: 1,
        failure: transient(),
    });
    assert!(commands.contains(&Command::Abort { key }), "{commands:?}");
    assert!(edge.retryable("clip.mov"));
    assert!(
        edge.kept.contains_key("id-clip.mov"),
        "kept, to resume after a reload"
    );
}
