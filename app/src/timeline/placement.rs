//! Where everything goes in the whole timeline, as numbers: each month's box
//! (laid out once its photos are here, estimated from its count before), and
//! which headers, tiles and placeholders fall near the screen. Pure, so the
//! view ([`crate::components::timeline`]) only draws what this decides.

use super::{
    Month,
    layout::{self, DayShapes, MonthLayout, Placed, Rect},
};

/// A month's place in the whole timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthBox {
    pub month: String,
    pub top: f64,
    pub height: f64,
    layout: Option<MonthLayout>,
    /// The month's days (`YYYY-MM-DD`), in the order the layout numbers them.
    days: Vec<String>,
    /// Its photos' ids, in the order the layout numbers them.
    pub ids: Vec<String>,
    complete: bool,
    failed: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    MonthHeader(String),
    DayHeader(String),
    Photo(usize, usize),
    /// Tiles to come: a month not loaded yet, or failed (with why).
    Placeholder(String, Option<String>),
}

/// Where an item goes, as CSS values.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub transform: String,
    pub width: Option<String>,
    pub height: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub key: String,
    pub rect: Rect,
    pub shown: Shown,
}

/// Each month's top and height (laid out when its photos are here).
pub fn place_months(months: &[Month], width: f64) -> Vec<MonthBox> {
    let mut top = 0.0;
    months
        .iter()
        .map(|month| {
            let (layout, days) = if month.photos.is_empty() {
                (None, Vec::new())
            } else {
                let (layout, days) = lay_out(month, width);
                (Some(layout), days)
            };
            // Loaded in part: what is here, and an estimate for the rest.
            let height = match &layout {
                Some(layout) if month.complete => layout.height,
                Some(layout) => {
                    let rest = month.count.saturating_sub(month.photos.len() as u32);
                    layout.height + layout::estimate(rest, width) - layout::MONTH_HEADER
                }
                None => layout::estimate(month.count, width),
            };
            let placed = MonthBox {
                month: month.month.clone(),
                top,
                height,
                layout,
                days,
                ids: month.photos.iter().map(|photo| photo.id.clone()).collect(),
                complete: month.complete,
                failed: month.failed.clone(),
            };
            top += height;
            placed
        })
        .collect()
}

fn lay_out(month: &Month, width: f64) -> (MonthLayout, Vec<String>) {
    let aspects: Vec<f64> = month
        .photos
        .iter()
        .map(
            |photo| match (&photo.thumb, photo.details.width, photo.details.height) {
                (Some(thumb), _, _) if thumb.height > 0 => {
                    f64::from(thumb.width) / f64::from(thumb.height)
                }
                (None, Some(w), Some(h)) if h > 0 => f64::from(w) / f64::from(h),
                _ => 1.0,
            },
        )
        .collect();
    let mut days: Vec<String> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    for (index, photo) in month.photos.iter().enumerate() {
        let day = photo.taken_at.get(..10).unwrap_or_default();
        if days.last().map(String::as_str) != Some(day) {
            days.push(day.to_owned());
            starts.push(index);
        }
    }
    let shapes: Vec<DayShapes<'_>> = starts
        .iter()
        .enumerate()
        .map(|(day, &start)| {
            let end = starts.get(day + 1).copied().unwrap_or(aspects.len());
            DayShapes {
                first_photo: start,
                aspects: &aspects[start..end],
            }
        })
        .collect();
    (layout::month(&shapes, width), days)
}

pub fn visible_items(boxes: &[MonthBox], from: f64, to: f64) -> Vec<Item> {
    let mut items = Vec::new();
    for (index, month) in boxes.iter().enumerate() {
        if month.top + month.height < from || month.top > to {
            continue;
        }
        let shift = |rect: Rect| Rect {
            y: rect.y + month.top,
            ..rect
        };
        // Keys carry the place: an item that moves is drawn anew where it went.
        let at = |rect: &Rect| format!("{:.0},{:.0},{:.0}", rect.x, rect.y + month.top, rect.width);
        items.push(Item {
            key: format!("m:{}@{:.0}", month.month, month.top),
            rect: Rect {
                x: 0.0,
                y: month.top,
                width: 0.0,
                height: layout::MONTH_HEADER,
            },
            shown: Shown::MonthHeader(month.month.clone()),
        });
        let mut laid_out_to = layout::MONTH_HEADER;
        if let Some(layout) = &month.layout {
            for placed in &layout.placed {
                let (key, rect, shown) = match placed {
                    Placed::Day { day, rect } => (
                        format!("d:{}@{}", month.days[*day], at(rect)),
                        *rect,
                        Shown::DayHeader(month.days[*day].clone()),
                    ),
                    Placed::Photo { photo, rect } => (
                        format!("p:{}@{}", month.ids[*photo], at(rect)),
                        *rect,
                        Shown::Photo(index, *photo),
                    ),
                };
                laid_out_to = laid_out_to.max(rect.bottom());
                let rect = shift(rect);
                if rect.bottom() >= from && rect.y <= to {
                    items.push(Item { key, rect, shown });
                }
            }
        }
        // The part still to load (or that failed).
        if !month.complete {
            let rect = shift(Rect {
                x: 0.0,
                y: laid_out_to,
                width: 0.0,
                height: month.height - laid_out_to - layout::GAP,
            });
            items.push(Item {
                key: format!("l:{}@{}:{}", month.month, at(&rect), month.failed.is_some()),
                rect,
                shown: Shown::Placeholder(month.month.clone(), month.failed.clone()),
            });
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use api_types::photo::{Photo, PhotoDetails};

    use super::*;

    fn photo(id: &str, taken_at: &str) -> Photo {
        Photo {
            id: id.into(),
            taken_at: taken_at.into(),
            uploaded_at: taken_at.into(),
            details: PhotoDetails {
                filename: format!("{id}.jpg"),
                content_type: "image/jpeg".into(),
                bytes: 1,
                width: Some(400),
                height: Some(300),
                metadata: Default::default(),
                placeholder: None,
                video: None,
                motion: None,
                imported: None,
            },
            thumb: None,
            web: None,
            original_url: None,
            download_url: None,
            play_url: None,
            live: None,
            play_on_request: false,
            archived: None,
            favorite: false,
            in_archive: false,
            trashed: None,
        }
    }

    fn months() -> Vec<Month> {
        vec![
            Month {
                month: "2024-05".into(),
                count: 2,
                photos: vec![
                    photo("b", "2024-05-03T10:00:00Z"),
                    photo("a", "2024-05-01T10:00:00Z"),
                ],
                complete: true,
                failed: None,
            },
            Month {
                month: "2024-04".into(),
                count: 300,
                photos: Vec::new(),
                complete: false,
                failed: None,
            },
        ]
    }

    #[test]
    fn months_stack_without_gaps_and_unloaded_ones_are_estimated() {
        let boxes = place_months(&months(), 1000.0);
        assert_eq!(boxes[0].top, 0.0);
        assert_eq!(
            boxes[1].top, boxes[0].height,
            "the next month starts where one ends"
        );
        assert_eq!(boxes[1].height, layout::estimate(300, 1000.0));
        assert_eq!(boxes[0].ids, ["b", "a"]);
    }

    #[test]
    fn only_what_is_near_the_screen_is_drawn() {
        let boxes = place_months(&months(), 1000.0);
        let top = visible_items(&boxes, 0.0, boxes[0].height - 1.0);
        let shown: Vec<&Shown> = top.iter().map(|item| &item.shown).collect();
        assert_eq!(shown[0], &Shown::MonthHeader("2024-05".into()));
        assert!(shown.contains(&&Shown::DayHeader("2024-05-03".into())));
        assert!(shown.contains(&&Shown::Photo(0, 0)) && shown.contains(&&Shown::Photo(0, 1)));
        assert!(
            !shown.contains(&&Shown::MonthHeader("2024-04".into())),
            "April is below the screen"
        );
        let below = visible_items(&boxes, boxes[1].top + 10.0, boxes[1].top + 500.0);
        assert!(
            below
                .iter()
                .any(|item| item.shown == Shown::Placeholder("2024-04".into(), None)),
            "a month still to load is a placeholder: {below:?}"
        );
    }
}
