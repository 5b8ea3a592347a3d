//! Pages of photos, alike for the timeline, an album and a share link: how many
//! to a page, where a page starts (a cursor sealed for that one scope), and the
//! cursor of the page after.

use api_types::photo::Photo;
use serde::Deserialize;

use crate::{
    ApiError, ApiState,
    cursor::{CursorError, CursorScope},
    store::{PhotoRecord, Position},
};

const DEFAULT_PAGE: usize = 60;
const MAX_PAGE: usize = 200;
/// About what one photo takes in a page, its two preview URLs included.
const PHOTO_JSON_BYTES: usize = 1_600;

/// `?limit=&cursor=` of an album's or a link's page.
#[derive(Deserialize)]
pub(crate) struct PageQuery {
    pub limit: Option<usize>,
    pub cursor: Option<String>,
}

/// How many photos a page holds for `asked`.
pub(crate) fn limit(asked: Option<usize>) -> usize {
    asked.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
}

/// Where the page after `cursor` starts; `None` for the first page. A cursor
/// that does not open in `scope` (edited, forged, another user's, album's or
/// link's) is as unknown as another user's photo; one that is not a cursor at
/// all (a cut tag among them) is a bad request.
pub(crate) fn start(
    state: &ApiState,
    scope: CursorScope<'_>,
    cursor: Option<&str>,
) -> Result<Option<Position>, ApiError> {
    match cursor.filter(|cursor| !cursor.is_empty()) {
        Some(cursor) => {
            state
                .cursor_key
                .open(scope, cursor)
                .map(Some)
                .map_err(|error| match error {
                    CursorError::Malformed => ApiError::BadRequest(error.to_string()),
                    CursorError::NotHere => ApiError::NotFound,
                })
        }
        None => Ok(None),
    }
}

/// The page's photos as `show` shows them, and the next page's cursor. The
/// records are fetched one more than `limit`: the extra one says there is more.
pub(crate) fn finish(
    state: &ApiState,
    scope: CursorScope<'_>,
    mut records: Vec<PhotoRecord>,
    limit: usize,
    show: impl Fn(&PhotoRecord) -> Result<Photo, ApiError>,
) -> Result<(Vec<Photo>, Option<String>), ApiError> {
    let next_cursor = if records.len() > limit {
        records.truncate(limit);
        records
            .last()
            .map(|last| state.cursor_key.seal(scope, &last.position()))
    } else {
        None
    };
    let items = records.iter().map(show).collect::<Result<Vec<_>, _>>()?;
    Ok((items, next_cursor))
}

/// About how long a page of `photos` is as JSON.
pub(crate) fn expected_bytes(photos: usize) -> usize {
    photos * PHOTO_JSON_BYTES + 512
}
