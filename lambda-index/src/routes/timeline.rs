//! The caller's timeline:
//! - `GET /photos?limit=&cursor=` (or `&month=YYYY-MM` to start at a month): a
//!   page, newest first, each photo with presigned URLs for its previews;
//! - `GET /timeline[?month=YYYY-MM]`: photos per month (and per day of a month),
//!   for sizing and scrubbing the whole timeline before loading it.

use std::collections::BTreeMap;

use api_types::{
    photo::{Photo, PhotoImage, PhotoPage},
    timeline::{self, MonthCount, Timeline},
};
use axum::{
    Json,
    extract::{Query, State},
};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;

use super::{json::SizedJson, owner};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    store::{ObjectKey, PhotoRecord, Position, Variant, YearMonth},
};

const DEFAULT_PAGE: usize = 60;
const MAX_PAGE: usize = 200;
/// About what one photo takes in a page, its two preview URLs included.
const PHOTO_JSON_BYTES: usize = 1_600;

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    limit: Option<usize>,
    cursor: Option<String>,
    /// Start at this month's newest photo (a jump from the scrubber).
    month: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct TimelineQuery {
    month: Option<String>,
}

pub(crate) async fn list(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<SizedJson<PhotoPage>, ApiError> {
    let owner = owner(&user)?;
    let limit = query.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let cursor = query.cursor.as_deref().filter(|cursor| !cursor.is_empty());
    let after = match (cursor, query.month.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(ApiError::BadRequest(
                "Ask for a cursor or a month, not both.".into(),
            ));
        }
        // A cursor that does not open (edited, forged, another user's) is as
        // unknown as another user's photo.
        (Some(cursor), None) => Some(
            state
                .cursor_key
                .open(&owner, cursor)
                .ok_or(ApiError::NotFound)?,
        ),
        (None, Some(month)) => Some(Position::after_month(parse_month(month)?)),
        (None, None) => None,
    };
    // One more than asked says whether there is a next page.
    let mut records = state.index.page(&owner, after.as_ref(), limit + 1).await?;
    let next_cursor = if records.len() > limit {
        records.truncate(limit);
        records
            .last()
            .map(|last| state.cursor_key.seal(&owner, &last.position()))
    } else {
        None
    };
    let items = records
        .iter()
        .map(|record| photo(&state, record))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SizedJson {
        expected_bytes: items.len() * PHOTO_JSON_BYTES + 256,
        value: PhotoPage { items, next_cursor },
    })
}

pub(crate) async fn counts(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Query(query): Query<TimelineQuery>,
) -> Result<Json<Timeline>, ApiError> {
    let owner = owner(&user)?;
    let month = query.month.as_deref().map(parse_month).transpose()?;
    let all_days = state.index.day_counts(&owner, None).await?;
    let mut months: BTreeMap<YearMonth, u32> = BTreeMap::new();
    for day in &all_days {
        *months.entry(YearMonth::of(day.day)).or_default() += day.count;
    }
    let days = month.map(|month| {
        all_days
            .iter()
            .filter(|day| YearMonth::of(day.day) == month)
            .map(|day| timeline::DayCount {
                day: day.day.to_string(),
                count: day.count,
            })
            .collect()
    });
    Ok(Json(Timeline {
        total: months.values().map(|&count| u64::from(count)).sum(),
        months: months
            .into_iter()
            .rev()
            .map(|(month, count)| MonthCount {
                month: month.to_string(),
                count,
            })
            .collect(),
        days,
    }))
}

fn parse_month(text: &str) -> Result<YearMonth, ApiError> {
    YearMonth::parse(text).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "{text:?} is not a month; months are written YYYY-MM."
        ))
    })
}

/// The record as the SPA shows it, with fresh image URLs.
pub(crate) fn photo(state: &ApiState, record: &PhotoRecord) -> Result<Photo, ApiError> {
    let image = |variant, preview: &Option<api_types::upload::CommittedPreview>| {
        preview
            .as_ref()
            .map(|preview| {
                let key =
                    ObjectKey::preview(&record.owner, &record.id, variant, &preview.content_type)
                        .ok_or_else(|| {
                        ApiError::Internal(format!("bad stored preview type for {}", record.id))
                    })?;
                Ok::<_, ApiError>(PhotoImage {
                    url: state.objects.presign_get(&key)?,
                    width: preview.width,
                    height: preview.height,
                })
            })
            .transpose()
    };
    let time = |at: time::OffsetDateTime| {
        at.format(&Rfc3339)
            .map_err(|error| ApiError::Internal(error.to_string()))
    };
    let metadata = &record.metadata;
    Ok(Photo {
        id: record.id.to_string(),
        taken_at: time(record.taken_at)?,
        uploaded_at: time(record.uploaded_at)?,
        width: record.width,
        height: record.height,
        bytes: record.bytes,
        content_type: record.content_type.clone(),
        filename: record.filename.clone(),
        camera: metadata.camera.clone(),
        lens: metadata.lens.clone(),
        exposure_time: metadata.exposure_time.clone(),
        f_number: metadata.f_number,
        iso: metadata.iso,
        focal_length: metadata.focal_length,
        gps: metadata.gps.clone(),
        placeholder: record.placeholder.clone(),
        thumb: image(Variant::Thumb, &record.thumb)?,
        web: image(Variant::Web, &record.web)?,
        original_url: None,
    })
}
