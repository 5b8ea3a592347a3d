//! `GET /timeline`: how many photos there are per month (and per day of one
//! month), so the SPA can size and scrub the whole timeline before loading any
//! photo. Days and months are on the camera's clock, as the photos' dates show.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Every photo in the view.
    pub total: u64,
    /// Newest month first; months without photos are left out.
    pub months: Vec<MonthCount>,
    /// With `?month=YYYY-MM`: that month's days, newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<Vec<DayCount>>,
    /// How many photos each view holds (the counts above are of the view
    /// asked for, the timeline unless `?view=` names another).
    #[serde(default)]
    pub views: crate::care::ViewTotals,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthCount {
    /// `YYYY-MM`
    pub month: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayCount {
    /// `YYYY-MM-DD`
    pub day: String,
    pub count: u32,
}
