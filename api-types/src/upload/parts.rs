//! Originals sent in parts: S3 multipart uploads driven by the browser. The API
//! starts the upload (`POST /uploads` answers [`PartsUpload`] instead of one
//! PUT), signs each part on request (`POST /uploads/{id}/parts`), gives the upload up (`DELETE /uploads/{id}/parts`), and finishes
//! it when the photo is committed. A reloaded tab names the upload it had
//! begun (`UploadFile::resume`), and is told which parts the store holds.
//!
//! How a file is cut is a pure function of its size ([`PartPlan::for_size`]),
//! so the browser and the API agree on every part's length without storing it.

use serde::{Deserialize, Serialize};

use super::UploadTarget;

const MIB: u64 = 1024 * 1024;

/// Originals of at least this size go in parts, when the client can send them:
/// below it one PUT is as fast, and there is little to resume.
pub const MULTIPART_THRESHOLD: u64 = 16 * MIB;

/// The smallest part: S3 allows 5 MiB; 8 MiB parts keep a 1 GB video to 128
/// requests, and each retry resends at most 8 MiB.
pub const MIN_PART_BYTES: u64 = 8 * MIB;

/// S3's most parts in one upload.
pub const MAX_PARTS: u32 = 10_000;

/// The largest original one PUT may carry: what every client could send
/// before originals went in parts, kept for clients that cannot.
pub const MAX_SINGLE_PUT_BYTES: u64 = 200 * MIB;

/// How many part URLs one `POST /uploads/{id}/parts` signs: enough for a
/// quarter of an hour at 100 Mbit/s, so a batch rarely outlives its URLs.
pub const MAX_PARTS_PER_REQUEST: usize = 100;

/// How a file of a given size is cut: every part `part_bytes` long but the
/// last, which holds the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartPlan {
    pub bytes: u64,
    pub part_bytes: u64,
    pub parts: u32,
}

impl PartPlan {
    /// The plan for a file of `bytes` bytes: [`MIN_PART_BYTES`] parts, or
    /// larger ones (in whole MiB) where that would take more than
    /// [`MAX_PARTS`]. `None` for an empty file.
    pub fn for_size(bytes: u64) -> Option<PartPlan> {
        if bytes == 0 {
            return None;
        }
        let fewest = bytes.div_ceil(u64::from(MAX_PARTS));
        let part_bytes = fewest.div_ceil(MIB).saturating_mul(MIB).max(MIN_PART_BYTES);
        let parts = u32::try_from(bytes.div_ceil(part_bytes)).ok()?;
        Some(PartPlan {
            bytes,
            part_bytes,
            parts,
        })
    }

    /// Where part `number` (1 to [`PartPlan::parts`]) starts in the file, and
    /// its length.
    pub fn part(&self, number: u32) -> Option<(u64, u64)> {
        if !(1..=self.parts).contains(&number) {
            return None;
        }
        let start = u64::from(number - 1) * self.part_bytes;
        Some((start, self.part_bytes.min(self.bytes - start)))
    }
}

/// `POST /uploads`'s answer for an original sent in parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartsUpload {
    /// The store's name for this upload: every later call about it names it.
    pub upload_id: String,
    pub plan: PartPlan,
    /// The parts the store already holds, by number, when an upload was
    /// resumed: only the others are sent.
    #[serde(default)]
    pub stored: Vec<u32>,
}

/// `POST /uploads/{id}/parts`: sign these parts of this upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignParts {
    pub upload_id: String,
    /// The whole original's size, as in `POST /uploads`: the plan follows.
    pub bytes: u64,
    /// Part numbers, 1 to the plan's `parts`, at most [`MAX_PARTS_PER_REQUEST`].
    pub numbers: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedParts {
    pub parts: Vec<PartTarget>,
}

/// One part's presigned PUT: exactly the part's bytes, for a quarter of an hour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartTarget {
    pub number: u32,
    pub target: UploadTarget,
}

/// The query of `DELETE /uploads/{id}/parts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadIdQuery {
    pub upload_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_cut_in_eight_mib_parts_with_the_rest_last() {
        let plan = PartPlan::for_size(20 * MIB + 5).expect("plan");
        assert_eq!((plan.part_bytes, plan.parts), (8 * MIB, 3));
        assert_eq!(plan.part(1), Some((0, 8 * MIB)));
        assert_eq!(plan.part(3), Some((16 * MIB, 4 * MIB + 5)));
        assert_eq!(plan.part(0), None);
        assert_eq!(plan.part(4), None);
        let exact = PartPlan::for_size(16 * MIB).expect("plan");
        assert_eq!((exact.parts, exact.part(2)), (2, Some((8 * MIB, 8 * MIB))));
    }

    #[test]
    fn a_huge_file_takes_larger_parts_never_more_than_ten_thousand() {
        for bytes in [80 * 1024 * MIB, 80 * 1024 * MIB + 1, 5 * 1024 * 1024 * MIB] {
            let plan = PartPlan::for_size(bytes).expect("plan");
            assert!(plan.parts <= MAX_PARTS, "{plan:?}");
            assert_eq!(plan.part_bytes % MIB, 0);
            let (start, last) = plan.part(plan.parts).expect("last");
            assert_eq!(start + last, bytes);
            assert!(last > 0 && last <= plan.part_bytes);
        }
        assert_eq!(PartPlan::for_size(0), None);
        assert_eq!(PartPlan::for_size(1).map(|plan| plan.parts), Some(1));
    }
}
