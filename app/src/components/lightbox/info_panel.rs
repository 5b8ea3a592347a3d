//! What is known about a photo: when (with its time zone), where (with a map
//! link), the camera and lens, the exposure, its size and file.

use api_types::photo::Photo;
use leptos::prelude::*;

use crate::timeline::labels;

#[component]
pub fn InfoPanel(photo: Photo) -> impl IntoView {
    let details = &photo.details;
    let exif = &details.metadata;
    let exposure = [
        exif.exposure_time.clone(),
        exif.f_number.map(|f| format!("ƒ/{}", trim(f))),
        exif.iso.map(|iso| format!("ISO {iso}")),
        exif.focal_length.map(|mm| format!("{} mm", trim(mm))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let dimensions = match (details.width, details.height, &details.video) {
        (Some(w), Some(h), Some(_)) => format!("{w} × {h} · "),
        (Some(w), Some(h), None) => {
            format!("{w} × {h} · {:.1} MP · ", f64::from(w) * f64::from(h) / 1e6)
        }
        _ => String::new(),
    };
    let length = details
        .video
        .as_ref()
        .and_then(|video| video.duration_ms)
        .map(|ms| format!("{} · ", labels::duration(ms)))
        .unwrap_or_default();
    let place = exif.gps.clone().map(|gps| {
        let link = format!(
            "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=15/{lat}/{lon}",
            lat = gps.latitude,
            lon = gps.longitude
        );
        let text = format!("{:.5}, {:.5}", gps.latitude, gps.longitude);
        view! {
            <dt>"Place"</dt>
            <dd>
                <a href=link target="_blank" rel="noopener noreferrer">
                    {text}
                    " (map)"
                </a>
            </dd>
        }
    });
    view! {
        <aside class="info-panel" aria-label="Details" data-testid="info-panel">
            <dl>
                <dt>"Taken"</dt>
                <dd>{taken(&photo.taken_at)}</dd>
                {place}
                {exif
                    .camera
                    .clone()
                    .map(|camera| {
                        view! {
                            <dt>"Camera"</dt>
                            <dd>{camera}</dd>
                        }
                    })}
                {exif
                    .lens
                    .clone()
                    .map(|lens| {
                        view! {
                            <dt>"Lens"</dt>
                            <dd>{lens}</dd>
                        }
                    })}
                {(!exposure.is_empty())
                    .then(|| {
                        view! {
                            <dt>"Exposure"</dt>
                            <dd>{exposure}</dd>
                        }
                    })}
                <dt>"File"</dt>
                <dd>
                    <span class="info-filename">{details.filename.clone()}</span>
                    <br />
                    {format!("{length}{dimensions}{}", labels::size(details.bytes))}
                </dd>
            </dl>
        </aside>
    }
}

/// "Fri 3 May 2024, 18:45 (UTC+05:30)" from `2024-05-03T18:45:12.25+05:30`.
fn taken(taken_at: &str) -> String {
    let time = taken_at.get(11..16).unwrap_or_default();
    let zone = match taken_at
        .get(19..)
        .map(|rest| rest.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit()))
    {
        Some("Z") | Some("+00:00") => "UTC".to_owned(),
        Some(offset) if !offset.is_empty() => format!("UTC{offset}"),
        _ => String::new(),
    };
    let day = labels::day(taken_at.get(..10).unwrap_or_default());
    if zone.is_empty() {
        format!("{day}, {time}")
    } else {
        format!("{day}, {time} ({zone})")
    }
}

/// 1.6 as "1.6", 50.0 as "50".
fn trim(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_show_their_own_zone() {
        assert_eq!(
            taken("2024-05-03T18:45:12.25+05:30"),
            "Fri 3 May 2024, 18:45 (UTC+05:30)"
        );
        assert_eq!(
            taken("2019-09-26T16:38:00Z"),
            "Thu 26 September 2019, 16:38 (UTC)"
        );
        assert_eq!(
            taken("2019-09-26T10:00:00-05:00"),
            "Thu 26 September 2019, 10:00 (UTC-05:00)"
        );
        assert_eq!(labels::size(4_812_345), "4.8 MB");
        assert_eq!(labels::size(21_000), "21 kB");
        assert_eq!(trim(1.6), "1.6");
        assert_eq!(trim(50.0), "50");
    }
}
