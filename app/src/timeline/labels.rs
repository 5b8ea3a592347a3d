//! Month and day headings from the `YYYY-MM` and `YYYY-MM-DD` the photos carry
//! (dates on the camera's clock), in plain English; how long a video plays;
//! sizes, counts, prices and moments.

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

fn parts(date: &str) -> Option<(i32, u32, u32)> {
    let year = date.get(0..4)?.parse().ok()?;
    let month = date
        .get(5..7)?
        .parse()
        .ok()
        .filter(|m| (1..=12).contains(m))?;
    let day = match date.get(8..10) {
        Some(day) => day.parse().ok()?,
        None => 1,
    };
    Some((year, month, day))
}

/// "May 2024" for `2024-05`.
pub fn month(month: &str) -> String {
    match parts(month) {
        Some((year, m, _)) => format!("{} {year}", MONTHS[m as usize - 1]),
        None => month.to_owned(),
    }
}

/// "May" for `2024-05` (the scrubber's labels within a year).
pub fn month_short(month: &str) -> &'static str {
    parts(month).map_or("", |(_, m, _)| &MONTHS[m as usize - 1][..3])
}

/// "Fri 3 May 2024" for `2024-05-03`.
pub fn day(day: &str) -> String {
    match parts(day) {
        Some((year, m, d)) => format!(
            "{} {d} {} {year}",
            WEEKDAYS[weekday(year, m, d)],
            MONTHS[m as usize - 1]
        ),
        None => day.to_owned(),
    }
}

/// 0 for Sunday (Sakamoto's method, proleptic Gregorian).
fn weekday(year: i32, month: u32, day: u32) -> usize {
    const OFFSETS: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let year = if month < 3 { year - 1 } else { year };
    let total =
        year + year / 4 - year / 100 + year / 400 + OFFSETS[month as usize - 1] + day as i32;
    total.rem_euclid(7) as usize
}

/// A file's size as people read it: "21 kB", "4.8 MB", "5.12 GB".
/// A count with thousands grouped: `12,345`.
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `1 album`, `2,000 albums`.
pub fn count_of(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

pub fn size(bytes: u64) -> String {
    match bytes {
        0..1_000_000 => format!("{:.0} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.2} GB", bytes as f64 / 1e9),
    }
}

/// A price as people read it: "less than a cent", "$0.42", "$12.00".
pub fn usd(amount: f64) -> String {
    if amount < 0.005 {
        "less than a cent".to_owned()
    } else {
        format!("${amount:.2}")
    }
}

/// "Wed 9 Dec, 17:40": a moment in the coming days, on the device's clock
/// (`month` 1 to 12, `weekday` 0 for Sunday).
pub fn moment(weekday: u32, day: u32, month: u32, hour: u32, minute: u32) -> String {
    let weekday = WEEKDAYS.get(weekday as usize).copied().unwrap_or("");
    let month = MONTHS
        .get(month.saturating_sub(1) as usize)
        .map_or("", |name| &name[..3]);
    format!("{weekday} {day} {month}, {hour:02}:{minute:02}")
}

/// A video's length as players show it: "0:07", "12:04", "1:02:03".
pub fn duration(ms: u64) -> String {
    let seconds = (ms + 500) / 1000;
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_and_moments_read_as_people_say_them() {
        assert_eq!(usd(0.0004), "less than a cent");
        assert_eq!(usd(0.42), "$0.42");
        assert_eq!(usd(12.0), "$12.00");
        assert_eq!(moment(3, 9, 12, 7, 5), "Wed 9 Dec, 07:05");
    }

    #[test]
    fn a_video_length_reads_as_players_show_it() {
        assert_eq!(duration(0), "0:00");
        assert_eq!(duration(6_600), "0:07");
        assert_eq!(duration(724_000), "12:04");
        assert_eq!(duration(3_723_000), "1:02:03");
    }

    #[test]
    fn headings_read_as_people_write_dates() {
        assert_eq!(month("2024-05"), "May 2024");
        assert_eq!(month_short("2023-12"), "Dec");
        assert_eq!(day("2024-05-03"), "Fri 3 May 2024");
        assert_eq!(day("2000-02-29"), "Tue 29 February 2000");
        assert_eq!(day("1969-07-20"), "Sun 20 July 1969");
        assert_eq!(day("2026-11-24"), "Tue 24 November 2026");
        assert_eq!(month("garbage"), "garbage");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count_of(1, "album", "albums"), "1 album");
        assert_eq!(count_of(2000, "album", "albums"), "2,000 albums");
    }
}
