//! [`InParts`]: an original's upload in parts as this tab knows it (the API's
//! answer, and the part URLs signed so far, each with when it was signed).

use api_types::upload::{
    UploadTarget,
    parts::{PartPlan, PartsUpload},
};

/// How many part URLs are signed at once: a batch lasts 256 MiB, so a 1 GB
/// video asks four times.
const SIGNED_AHEAD: u32 = 32;
/// A signed part URL lives a quarter of an hour; one older than this is signed
/// again rather than risk it expiring mid-part.
const SIGNATURE_FRESH_MS: f64 = 10.0 * 60_000.0;

/// The original's upload in parts, as this tab knows it: the API's answer and
/// the part URLs signed so far.
#[derive(Clone)]
pub struct InParts {
    pub upload_id: String,
    pub plan: PartPlan,
    stored: Vec<u32>,
    /// Part number → its URL and when it was signed (ms on the page's clock).
    signed: std::collections::HashMap<u32, (UploadTarget, f64)>,
}

impl InParts {
    pub fn new(upload: &PartsUpload) -> InParts {
        InParts {
            upload_id: upload.upload_id.clone(),
            plan: upload.plan,
            stored: upload.stored.clone(),
            signed: Default::default(),
        }
    }

    /// Part `number`'s URL, if one was signed lately.
    pub fn fresh_target(&self, number: u32, now_ms: f64) -> Option<UploadTarget> {
        self.signed
            .get(&number)
            .filter(|(_, signed_at)| now_ms - signed_at < SIGNATURE_FRESH_MS)
            .map(|(target, _)| target.clone())
    }

    /// The parts to sign along with `number`: it and the next few not stored.
    pub fn batch_from(&self, number: u32) -> Vec<u32> {
        (number..=self.plan.parts)
            .filter(|n| *n == number || !self.stored.contains(n))
            .take(SIGNED_AHEAD as usize)
            .collect()
    }

    pub fn remember(&mut self, signed: Vec<(u32, UploadTarget)>, now_ms: f64) {
        for (number, target) in signed {
            self.signed.insert(number, (target, now_ms));
        }
    }

    /// A URL the store refused (expired while the part waited): signed anew
    /// next time.
    pub fn forget(&mut self, number: u32) {
        self.signed.remove(&number);
    }
}
