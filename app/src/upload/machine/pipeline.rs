//! A running file's steps: prepared, asked, its parts sent, committed, or a
//! step failed. Transient failures are tried again here, a step or a part at a
//! time, until the tries run out.

use super::{Command, Failure, Key, PARTS_IN_FLIGHT, Part, PlannedPart, Queue, Stage};

impl<H> Queue<H> {
    pub(super) fn prepared(&mut self, key: Key, photo_id: String, out: &mut Vec<Command<H>>) {
        if !self.is_at(key, |stage| *stage == Stage::Preparing) {
            return;
        }
        let twin_in_flight = self.twin_in_flight(key, &photo_id);
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.photo_id = Some(photo_id);
            if twin_in_flight {
                entry.stage = Stage::Held;
            } else {
                entry.stage = Stage::Asking { tries: 0 };
                out.push(Command::Ask { key, retry: 0 });
            }
        }
    }

    /// Whether another entry is asking about, sending or committing the same photo.
    pub(super) fn twin_in_flight(&self, key: Key, photo_id: &str) -> bool {
        self.entries.values().any(|other| {
            other.key != key
                && other.photo_id.as_deref() == Some(photo_id)
                && matches!(
                    other.stage,
                    Stage::Asking { .. } | Stage::Uploading { .. } | Stage::Committing { .. }
                )
        })
    }

    pub(super) fn answered_upload(
        &mut self,
        key: Key,
        parts: Vec<PlannedPart>,
        out: &mut Vec<Command<H>>,
    ) {
        if !self.is_at(key, |stage| matches!(stage, Stage::Asking { .. })) {
            return;
        }
        if parts.iter().all(|part| part.already_stored) {
            self.set_stage(key, Stage::Committing { tries: 0 });
            out.push(Command::Commit { key, retry: 0 });
            return;
        }
        let parts = parts.into_iter().map(Part::new).collect();
        self.set_stage(key, Stage::Uploading { parts });
        self.send_more(key, out);
    }

    /// Starts the file's next parts, in order, while fewer than
    /// [`PARTS_IN_FLIGHT`] are on their way.
    fn send_more(&mut self, key: Key, out: &mut Vec<Command<H>>) {
        let Some(Stage::Uploading { parts }) = self.entries.get_mut(&key).map(|e| &mut e.stage)
        else {
            return;
        };
        let mut in_flight = parts.iter().filter(|part| part.in_flight()).count();
        for (index, part) in parts.iter_mut().enumerate() {
            if in_flight >= PARTS_IN_FLIGHT {
                break;
            }
            if !part.started {
                part.started = true;
                in_flight += 1;
                out.push(Command::Send {
                    key,
                    part: index,
                    retry: 0,
                });
            }
        }
    }

    pub(super) fn progress(&mut self, key: Key, part: usize, sent: u64) {
        let Some(part) = self.part_mut(key, part) else {
            return;
        };
        // A retried part starts again from nothing: it adds nothing until it
        // is past where the last try got.
        let delta = sent.saturating_sub(part.sent);
        part.sent = sent;
        self.batch.sent += delta as f64;
    }

    pub(super) fn uploaded(&mut self, key: Key, part: usize, out: &mut Vec<Command<H>>) {
        let Some(done) = self.part_mut(key, part) else {
            return;
        };
        done.done = true;
        done.sent = done.bytes;
        let all_done = matches!(
            self.entries.get(&key).map(|entry| &entry.stage),
            Some(Stage::Uploading { parts }) if parts.iter().all(|part| part.done)
        );
        if all_done {
            self.set_stage(key, Stage::Committing { tries: 0 });
            out.push(Command::Commit { key, retry: 0 });
        } else {
            self.send_more(key, out);
        }
    }

    pub(super) fn part_mut(&mut self, key: Key, part: usize) -> Option<&mut Part> {
        match &mut self.entries.get_mut(&key)?.stage {
            Stage::Uploading { parts } => parts.get_mut(part).filter(|part| !part.done),
            _ => None,
        }
    }

    pub(super) fn failed(&mut self, key: Key, failure: Failure, out: &mut Vec<Command<H>>) {
        let Some(entry) = self.entries.get_mut(&key) else {
            return;
        };
        let attempts = self.limits.attempts;
        let failure = match (&mut entry.stage, failure) {
            (Stage::Asking { tries }, Failure::Transient(_)) if *tries + 1 < attempts => {
                *tries += 1;
                out.push(Command::Ask { key, retry: *tries });
                return;
            }
            (Stage::Committing { tries }, Failure::Transient(_)) if *tries + 1 < attempts => {
                *tries += 1;
                out.push(Command::Commit { key, retry: *tries });
                return;
            }
            (Stage::Preparing | Stage::Asking { .. } | Stage::Committing { .. }, failure) => {
                failure
            }
            _ => return,
        };
        self.fail(key, failure, out);
    }

    pub(super) fn part_failed(
        &mut self,
        key: Key,
        part: usize,
        failure: Failure,
        out: &mut Vec<Command<H>>,
    ) {
        let attempts = self.limits.attempts;
        let Some(failed) = self.part_mut(key, part) else {
            return;
        };
        if matches!(failure, Failure::Transient(_)) && failed.tries + 1 < attempts {
            failed.tries += 1;
            out.push(Command::Send {
                key,
                part,
                retry: failed.tries,
            });
            return;
        }
        // The other parts are of no use now.
        out.push(Command::Abort { key });
        self.fail(key, failure, out);
    }

    pub(super) fn fail(&mut self, key: Key, failure: Failure, out: &mut Vec<Command<H>>) {
        let stage = match failure {
            Failure::Transient(reason) | Failure::Interrupted(reason) => Stage::Failed {
                reason,
                retryable: true,
            },
            Failure::Final(reason) => Stage::Failed {
                reason,
                retryable: false,
            },
        };
        self.finish(key, stage, out);
    }
}
