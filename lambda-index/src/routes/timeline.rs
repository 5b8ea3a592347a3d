//! The caller's timeline, and the other views of their library (`&view=`
//! `favorites`, `archive` or `trash`; the timeline when absent):
//! - `GET /photos?limit=&cursor=` (or `&month=YYYY-MM` to start at a month): a
//!   page, newest first, each photo with presigned URLs for its previews;
//! - `GET /timeline[?month=YYYY-MM]`: photos per month (and per day of a month),
//!   for sizing and scrubbing the whole view before loading it, and every
//!   view's total.

use std::collections::{BTreeMap, HashMap};

use api_types::{
    care::ViewTotals,
    photo::PhotoPage,
    timeline::{self, MonthCount, Timeline},
};
use axum::{
    Json,
    extract::{Query, State},
};
use serde::Deserialize;

use super::{json::SizedJson, owner, paging, shown::photo};
use crate::{
    ApiError, ApiState,
    auth::SignedIn,
    cursor::CursorScope,
    store::{DayCount, Position, View, YearMonth},
};

#[derive(Deserialize)]
pub(crate) struct PageQuery {
    limit: Option<usize>,
    cursor: Option<String>,
    /// Start at this month's newest photo (a jump from the scrubber).
    month: Option<String>,
    view: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct TimelineQuery {
    month: Option<String>,
    view: Option<String>,
}

/// The view `?view=` names; the timeline when absent.
fn parse_view(name: Option<&str>) -> Result<View, ApiError> {
    match name {
        None | Some("") => Ok(View::Timeline),
        Some(name) => View::parse(name).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "{name:?} is not a view; ask for timeline, favorites, archive or trash."
            ))
        }),
    }
}

pub(crate) async fn list(
    State(state): State<ApiState>,
    SignedIn(user): SignedIn,
    Query(query): Query<PageQuery>,
) -> Result<SizedJson<PhotoPage>, ApiError> {
    let owner = owner(&user)?;
    let limit = paging::limit(query.limit);
    let view = parse_view(query.view.as_deref())?;
    let scope = match view {
        View::Timeline => CursorScope::Timeline(&owner),
        other => CursorScope::View(&owner, other),
    };
    let cursor = query.cursor.as_deref().filter(|cursor| !cursor.is_empty());
    let after = match (cursor, query.month.as_deref()) {
        (Some(_), Some(_)) => {
            return Err(ApiError::BadRequest(
                "Ask for a cursor or a month, not both.".into(),
            ));
        }
        (None, Some(month)) => Some(Position::after_month(parse_month(month)?)),
        (cursor, None) => paging::start(&state, scope, cursor)?,
    };
    let records = state
        .index
        .page(&owner, view, after.as_ref(), limit + 1)
        .await?;
    let (items, next_cursor) = paging::finish(&state, scope, records, limit, |record| {
        photo(&state, record)
    })?;
    Ok(SizedJson {
        expected_bytes: paging::expected_bytes(items.len()),
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
    let view = parse_view(query.view.as_deref())?;
    let counted = futures::future::try_join_all(
        View::ALL.map(|view| state.index.day_counts(&owner, view, None)),
    )
    .await?;
    let mut per_view: HashMap<View, Vec<DayCount>> = View::ALL.into_iter().zip(counted).collect();
    let total = |view: View| -> u64 {
        per_view
            .get(&view)
            .map_or(0, |days| days.iter().map(|day| u64::from(day.count)).sum())
    };
    let views = ViewTotals {
        timeline: total(View::Timeline),
        favorites: total(View::Favorites),
        archive: total(View::Archive),
        trash: total(View::Trash),
    };
    let all_days = per_view.remove(&view).unwrap_or_default();
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
        views,
    }))
}

fn parse_month(text: &str) -> Result<YearMonth, ApiError> {
    YearMonth::parse(text).ok_or_else(|| {
        ApiError::BadRequest(format!(
            "{text:?} is not a month; months are written YYYY-MM."
        ))
    })
}
