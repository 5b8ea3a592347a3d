//! When a photo was taken, as the RFC 3339 time with offset that `POST /photos`
//! wants: the camera's own date and offset; else the camera's local time read in
//! this browser's time zone (what the camera's clock most likely meant); else the
//! file's last-modified time.

use api_types::photo::TakenAt;

pub fn rfc3339(taken_at: Option<&TakenAt>, last_modified_ms: f64) -> String {
    if let Some(taken) = taken_at {
        if let Some(offset) = &taken.offset {
            return format!("{}{offset}", taken.local);
        }
        // `YYYY-MM-DDTHH:MM:SS` without a zone is local time to `Date`.
        let date = js_sys::Date::new(&taken.local.as_str().into());
        if !date.get_time().is_nan() {
            return format!("{}{}", taken.local, offset_of(&date));
        }
    }
    let date = js_sys::Date::new(&last_modified_ms.into());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds(),
        offset_of(&date)
    )
}

/// `+HH:MM` of this browser's zone at `date` (summer time included).
fn offset_of(date: &js_sys::Date) -> String {
    // getTimezoneOffset is minutes *behind* UTC.
    let minutes = -(date.get_timezone_offset() as i32);
    let sign = if minutes < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
}
