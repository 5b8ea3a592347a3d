//! What the upload panel shows: one [`Row`] per file and the [`Summary`] of them
//! all. Plain data, built by the queue's state machine ([`super::machine`]) and
//! rendered by the panel; nothing here touches the browser.

#[derive(Debug, Clone, PartialEq)]
pub enum RowState {
    Waiting,
    /// Hashing and making previews.
    Preparing,
    Uploading,
    Committing,
    Done,
    /// Already in the library: nothing was uploaded.
    Duplicate,
    Failed(String),
    Cancelled,
}

impl RowState {
    pub fn is_finished(&self) -> bool {
        matches!(
            self,
            RowState::Done | RowState::Duplicate | RowState::Failed(_) | RowState::Cancelled
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub key: u64,
    pub name: String,
    /// The original's size.
    pub bytes: u64,
    /// Bytes to send for this photo (original and previews), once known.
    pub upload_bytes: u64,
    pub sent: u64,
    pub state: RowState,
    /// It failed for a reason that may pass (network, session, server): it can
    /// be tried again, and is kept for after a reload.
    pub retryable: bool,
}

impl Row {
    /// How much of this row's original counts as done, for the overall bar.
    fn done_bytes(&self) -> f64 {
        match self.state {
            RowState::Done | RowState::Duplicate | RowState::Committing => self.bytes as f64,
            RowState::Uploading if self.upload_bytes > 0 => {
                self.bytes as f64 * (self.sent as f64 / self.upload_bytes as f64).min(1.0)
            }
            _ => 0.0,
        }
    }
}

/// The queue at a glance, for the panel's header.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub total: usize,
    pub finished: usize,
    pub done: usize,
    pub duplicates: usize,
    pub failed: usize,
    /// Files in picked or dropped folders that were not photos.
    pub skipped: usize,
    pub bytes_total: u64,
    pub bytes_done: u64,
    pub seconds_left: Option<f64>,
}

/// When the current batch started, and how many bytes have left in it: the
/// rate that estimates the time left.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Batch {
    pub started_ms: Option<f64>,
    pub sent: f64,
}

impl Summary {
    pub fn of(rows: &[Row], skipped: usize, batch: Batch, now_ms: f64) -> Summary {
        let count = |f: fn(&RowState) -> bool| rows.iter().filter(|row| f(&row.state)).count();
        // Files that failed or were cancelled are out of the batch's bytes.
        let bytes_total: u64 = rows
            .iter()
            .filter(|row| !matches!(row.state, RowState::Failed(_) | RowState::Cancelled))
            .map(|row| row.bytes)
            .sum();
        let bytes_done = rows.iter().map(Row::done_bytes).sum::<f64>() as u64;
        let open = || rows.iter().filter(|row| !row.state.is_finished());
        let pending = open()
            .map(|row| row.bytes)
            .sum::<u64>()
            .saturating_sub(open().map(Row::done_bytes).sum::<f64>() as u64);
        let seconds_left = match batch {
            Batch {
                started_ms: Some(start),
                sent,
            } if sent > 0.0 => {
                let elapsed = (now_ms - start) / 1000.0;
                // The first seconds' rate says little.
                (elapsed > 2.0).then(|| pending as f64 / (sent / elapsed))
            }
            _ => None,
        };
        Summary {
            total: rows.len(),
            finished: count(RowState::is_finished),
            done: count(|state| *state == RowState::Done),
            duplicates: count(|state| *state == RowState::Duplicate),
            failed: count(|state| matches!(state, RowState::Failed(_))),
            skipped,
            bytes_total,
            bytes_done,
            seconds_left,
        }
    }
}
