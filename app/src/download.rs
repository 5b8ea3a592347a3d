//! Downloading many originals as one zip: what goes in it, listed a part at
//! a time ([`source`]), the names they get in it ([`names`]), and the zip
//! itself, which the service worker builds as the originals stream in
//! (`app/sw-zip.js`, driven by [`zip`]).

pub mod names;
pub mod source;
pub mod zip;

use crate::timeline::labels::size;

/// What the selection bar says while a zip downloads: how many, how much,
/// and (once there is a rate to go by) about how long is left.
/// `total`: how many files and bytes in all, where known before the zip
/// starts (a selection's count is; a library's bytes are not).
pub fn progress_label(
    files: usize,
    bytes: u64,
    total: (Option<usize>, Option<u64>),
    seconds: f64,
) -> String {
    let mut label = match total.0 {
        Some(total_files) => format!("Zipping {} of {total_files}", (files + 1).min(total_files)),
        None => format!("Zipping {}", files + 1),
    };
    match total.1 {
        Some(total_bytes) => {
            label.push_str(&format!(" · {} of {}", size(bytes), size(total_bytes)));
            if seconds >= 2.0 && bytes > 0 {
                let left = total_bytes.saturating_sub(bytes) as f64 / (bytes as f64 / seconds);
                label.push_str(&format!(" · {}", time_left(left)));
            }
        }
        None => label.push_str(&format!(" · {} so far", size(bytes))),
    }
    label
}

fn time_left(seconds: f64) -> String {
    match seconds {
        s if s < 60.0 => "less than a minute left".to_owned(),
        s if s < 3600.0 => format!("about {} min left", (s / 60.0).round() as u64),
        s => format!("about {:.1} h left", s / 3600.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_says_which_file_how_much_and_how_long() {
        let all = (Some(300), Some(5_000_000_000));
        assert_eq!(
            progress_label(0, 0, all, 0.0),
            "Zipping 1 of 300 · 0 kB of 5.00 GB"
        );
        // 1 GB in 100 s: 4 GB more is about 7 minutes.
        assert_eq!(
            progress_label(60, 1_000_000_000, all, 100.0),
            "Zipping 61 of 300 · 1.00 GB of 5.00 GB · about 7 min left"
        );
        assert_eq!(
            progress_label(300, 4_990_000_000, all, 100.0),
            "Zipping 300 of 300 · 4.99 GB of 5.00 GB · less than a minute left"
        );
        // A library: neither known ahead.
        assert_eq!(
            progress_label(1_200, 3_400_000_000, (None, None), 60.0),
            "Zipping 1201 · 3.40 GB so far"
        );
    }
}
