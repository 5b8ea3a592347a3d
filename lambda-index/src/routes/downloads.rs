//! `POST /downloads {ids}`: the caller's originals to put in one zip, which
//! the browser builds as they stream in; each with a short-lived URL to fetch
//! it. A Live Photo brings its video along, as the phone's own export does.
//! Ids that are not the caller's photos (deleted since, or someone else's)
//! are listed as missing, the same either way; originals in deep archive
//! are listed apart, for the zip to name.

use api_types::download::{
    ArchivedItem, DownloadItem, DownloadList, DownloadRequest, MAX_DOWNLOAD_IDS,
};
use axum::{Json, extract::State};
use futures::{StreamExt, TryStreamExt, stream};

use super::{json::JsonBody, owner, restore, shown};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{ObjectKey, Owner, PhotoId, PhotoRecord},
};

/// Index reads at once.
const PARALLEL_READS: usize = 16;

pub(crate) async fn list(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    JsonBody(request): JsonBody<DownloadRequest>,
) -> Result<Json<DownloadList>, ApiError> {
    let owner = owner(&user)?;
    if request.ids.len() > MAX_DOWNLOAD_IDS {
        return Err(ApiError::BadRequest(format!(
            "Ask for at most {MAX_DOWNLOAD_IDS} photos at a time."
        )));
    }
    let found: Vec<(String, Vec<(PhotoRecord, bool)>)> = stream::iter(request.ids)
        .map(|id| {
            let (state, owner) = (&state, &owner);
            async move {
                let mut found = Vec::new();
                for record in records(state, owner, &id).await? {
                    let archived = restore::archived(state, &record).await?.is_some();
                    found.push((record, archived));
                }
                Ok::<_, ApiError>((id, found))
            }
        })
        .buffered(PARALLEL_READS)
        .try_collect()
        .await?;
    let mut list = DownloadList {
        items: Vec::new(),
        missing: Vec::new(),
        archived: Vec::new(),
    };
    for (id, records) in found {
        if records.is_empty() {
            list.missing.push(id);
        }
        for (record, archived) in records {
            if archived {
                list.archived.push(ArchivedItem {
                    id: record.id.to_string(),
                    filename: record.details.filename.clone(),
                    taken_at: shown::rfc3339(record.taken_at)?,
                });
            } else {
                list.items.push(item(&state, &record)?);
            }
        }
    }
    Ok(Json(list))
}

/// The photo `id` of `owner`'s, and its Live Photo video; none if it is not
/// theirs.
async fn records(state: &ApiState, owner: &Owner, id: &str) -> Result<Vec<PhotoRecord>, ApiError> {
    let Some(id) = PhotoId::parse(id) else {
        return Ok(Vec::new());
    };
    let Some(record) = state.index.get(owner, &id).await? else {
        return Ok(Vec::new());
    };
    let video = match record
        .live
        .as_ref()
        .and_then(|live| PhotoId::parse(&live.id))
    {
        Some(video) => state.index.get(owner, &video).await?,
        None => None,
    };
    Ok([Some(record), video].into_iter().flatten().collect())
}

fn item(state: &ApiState, record: &PhotoRecord) -> Result<DownloadItem, ApiError> {
    let key = ObjectKey::original(&record.owner, &record.id);
    Ok(DownloadItem {
        id: record.id.to_string(),
        filename: record.details.filename.clone(),
        bytes: record.details.bytes,
        taken_at: shown::rfc3339(record.taken_at)?,
        url: state.objects.presign_get(&key)?,
    })
}
