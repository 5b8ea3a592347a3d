//! The trash's purge on this machine (`lambda_index::purge`): every hour while
//! Shoebox runs, as AWS's scheduled rule does, and once by `shoebox-local
//! purge-trash [--as-of TIME]`, whose time stands in for the clock (so a test,
//! or an owner who wants the space now, need not wait 30 days).

use std::{future::Future, path::Path, sync::Arc, time::Duration};

use lambda_index::{
    purge::{self, Purged},
    store::{ObjectStore, PhotoIndex},
};
use time::OffsetDateTime;

use crate::recovery::{Offline, RunError};

const EVERY: Duration = Duration::from_secs(60 * 60);
/// A run's time before it leaves the rest to the next.
const BUDGET: Duration = Duration::from_secs(10 * 60);

pub struct Purger {
    pub objects: Arc<dyn ObjectStore>,
    pub index: Arc<dyn PhotoIndex>,
}

impl Purger {
    /// Purges now, then every hour until `stop` completes.
    pub async fn run_hourly(self, stop: impl Future<Output = ()>) {
        let purging = async {
            loop {
                let now = OffsetDateTime::now_utc();
                match purge::run(self.objects.as_ref(), self.index.as_ref(), now, BUDGET).await {
                    Ok(purged) if purged.deleted > 0 => {
                        tracing::info!(deleted = purged.deleted, "emptied the trash of old photos")
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "could not purge the trash"),
                }
                tokio::time::sleep(EVERY).await;
            }
        };
        tokio::select! {
            () = purging => {}
            () = stop => {}
        }
    }
}

/// Purges the data folder's trash once, as if it were `as_of`.
pub async fn purge_once(data_dir: &Path, as_of: OffsetDateTime) -> Result<Purged, RunError> {
    let offline = Offline::open(data_dir).await?;
    let storage = offline.storage();
    let purged = purge::run(
        storage.objects.as_ref(),
        storage.index.as_ref(),
        as_of,
        Duration::MAX,
    )
    .await
    .map_err(|error| RunError::Purge(error.to_string()))?;
    Ok(purged)
}
