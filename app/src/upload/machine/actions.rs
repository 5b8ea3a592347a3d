//! What the person does to files: cancel one or all, retry a failed one.

use super::{Command, Key, Queue, Stage};

impl<H> Queue<H> {
    pub(super) fn cancel(&mut self, key: Key, out: &mut Vec<Command<H>>) {
        // Releasing the file stops its requests in flight.
        match self.entries.get(&key).map(|entry| &entry.stage) {
            // The commit is on its way and cannot be called back: the photo
            // will be in the library, and the row says so.
            Some(Stage::Committing { .. }) => {}
            Some(stage) if !stage.is_finished() => self.finish(key, Stage::Cancelled, out),
            _ => {}
        }
    }

    pub(super) fn cancel_all(&mut self, out: &mut Vec<Command<H>>) {
        // The waiting (for a slot, or for a copy of the same photo) first:
        // cancelling the copy under way would send a held one on, only for
        // it to be cancelled in turn.
        let (waiting, running): (Vec<Key>, Vec<Key>) = self
            .entries
            .values()
            .filter(|entry| !entry.stage.is_finished())
            .map(|entry| entry.key)
            .partition(|key| {
                self.is_at(*key, |stage| {
                    matches!(stage, Stage::Queued { .. } | Stage::Held)
                })
            });
        for key in waiting.into_iter().chain(running) {
            self.cancel(key, out);
        }
    }

    pub(super) fn retry(&mut self, key: Key) {
        let can_retry = self.entries.get(&key).is_some_and(|entry| {
            entry.handle.is_some()
                && matches!(
                    entry.stage,
                    Stage::Failed {
                        retryable: true,
                        ..
                    }
                )
        });
        if can_retry {
            let turn = self.next_turn();
            if let Some(entry) = self.entries.get_mut(&key) {
                entry.stage = turn;
                entry.photo_id = None;
            }
        }
    }
}
