//! Where every tile and header of the timeline goes, as plain numbers: pure
//! functions of the photos' shapes and the width, so they are tested natively
//! and the view only positions what they say.
//!
//! Wide screens get justified rows (every photo keeps its aspect ratio, each
//! row fills the width exactly, as Google Photos does); phones get a dense grid
//! of square tiles. A month whose photos are not loaded yet gets an estimate of
//! its height from its count, corrected once they arrive.

/// Below this width the timeline is a grid of squares.
pub const PHONE_WIDTH: f64 = 600.0;
const PHONE_COLUMNS: usize = 4;
const ROW_HEIGHT: f64 = 200.0;
pub const GAP: f64 = 4.0;
pub const MONTH_HEADER: f64 = 56.0;
pub const DAY_HEADER: f64 = 40.0;
/// Rows are never stretched past this many times their target height (a lone
/// panorama would otherwise fill the screen).
const MAX_STRETCH: f64 = 1.6;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }
}

/// One thing to draw, in the month's own coordinates (0 at its top).
#[derive(Debug, Clone, PartialEq)]
pub enum Placed {
    /// A day's header: its index into the month's days.
    Day { day: usize, rect: Rect },
    /// A photo's tile: its index into the month's photos.
    Photo { photo: usize, rect: Rect },
}

/// A month laid out: what goes where, and how tall it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MonthLayout {
    pub placed: Vec<Placed>,
    pub height: f64,
}

/// The photos of one day, as their aspect ratios (width / height).
pub struct DayShapes<'a> {
    pub first_photo: usize,
    pub aspects: &'a [f64],
}

/// Lays out a month's days (newest first, each with its photos) at `width`.
pub fn month(days: &[DayShapes<'_>], width: f64) -> MonthLayout {
    let mut placed = Vec::new();
    let mut y = MONTH_HEADER;
    for (index, day) in days.iter().enumerate() {
        placed.push(Placed::Day {
            day: index,
            rect: Rect {
                x: 0.0,
                y,
                width,
                height: DAY_HEADER,
            },
        });
        y += DAY_HEADER;
        let rects = if width < PHONE_WIDTH {
            grid(day.aspects.len(), width)
        } else {
            justified(day.aspects, width)
        };
        let mut bottom = y;
        for (offset, rect) in rects.into_iter().enumerate() {
            let rect = Rect {
                y: y + rect.y,
                ..rect
            };
            bottom = bottom.max(rect.bottom());
            placed.push(Placed::Photo {
                photo: day.first_photo + offset,
                rect,
            });
        }
        y = bottom + GAP;
    }
    MonthLayout { placed, height: y }
}

/// The height a month of `count` photos will roughly take before they are here
/// (about one day header per six photos).
pub fn estimate(count: u32, width: f64) -> f64 {
    let count = f64::from(count.max(1));
    let days = (count / 6.0).ceil();
    let per_row = if width < PHONE_WIDTH {
        PHONE_COLUMNS as f64
    } else {
        // Photos average about 4:3.
        (width / (ROW_HEIGHT * 1.33 + GAP)).max(1.0)
    };
    let rows = (count / per_row).ceil().max(days);
    let row_height = if width < PHONE_WIDTH {
        tile_side(width)
    } else {
        ROW_HEIGHT
    };
    MONTH_HEADER + days * (DAY_HEADER + GAP) + rows * (row_height + GAP)
}

fn tile_side(width: f64) -> f64 {
    ((width - GAP * (PHONE_COLUMNS as f64 - 1.0)) / PHONE_COLUMNS as f64).max(1.0)
}

/// Square tiles, four to a row.
fn grid(count: usize, width: f64) -> Vec<Rect> {
    let side = tile_side(width);
    (0..count)
        .map(|index| Rect {
            x: (index % PHONE_COLUMNS) as f64 * (side + GAP),
            y: (index / PHONE_COLUMNS) as f64 * (side + GAP),
            width: side,
            height: side,
        })
        .collect()
}

/// Rows that fill `width` exactly, each photo at its own aspect ratio; the last
/// row of a day keeps the target height rather than being stretched.
fn justified(aspects: &[f64], width: f64) -> Vec<Rect> {
    let mut rects = Vec::with_capacity(aspects.len());
    let mut y = 0.0;
    let mut start = 0;
    while start < aspects.len() {
        // Take photos until the row at the target height is at least as wide
        // as the screen.
        let mut end = start;
        let mut natural = 0.0;
        while end < aspects.len() {
            natural += aspects[end] * ROW_HEIGHT;
            end += 1;
            let gaps = GAP * (end - start - 1) as f64;
            if natural + gaps >= width {
                break;
            }
        }
        let gaps = GAP * (end - start - 1) as f64;
        let full = natural + gaps >= width;
        let height = if full {
            (ROW_HEIGHT * (width - gaps) / natural).min(ROW_HEIGHT * MAX_STRETCH)
        } else {
            ROW_HEIGHT
        };
        let mut x = 0.0;
        for aspect in &aspects[start..end] {
            let tile = aspect * height;
            rects.push(Rect {
                x,
                y,
                width: tile,
                height,
            });
            x += tile + GAP;
        }
        y += height + GAP;
        start = end;
    }
    rects
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photos(layout: &MonthLayout) -> Vec<Rect> {
        layout
            .placed
            .iter()
            .filter_map(|placed| match placed {
                Placed::Photo { rect, .. } => Some(*rect),
                Placed::Day { .. } => None,
            })
            .collect()
    }

    #[test]
    fn full_rows_fill_the_width_and_keep_every_aspect_ratio() {
        let aspects = [1.5, 0.75, 1.33, 1.0, 2.0, 1.5, 0.66, 1.33, 1.33];
        let layout = month(
            &[DayShapes {
                first_photo: 0,
                aspects: &aspects,
            }],
            1200.0,
        );
        let rects = photos(&layout);
        assert_eq!(rects.len(), aspects.len());
        for (rect, aspect) in rects.iter().zip(aspects) {
            assert!((rect.width / rect.height - aspect).abs() < 1e-9);
        }
        let mut rows: Vec<Vec<Rect>> = Vec::new();
        for rect in &rects {
            match rows.last_mut() {
                Some(row) if (row[0].y - rect.y).abs() < 1e-9 => row.push(*rect),
                _ => rows.push(vec![*rect]),
            }
        }
        assert!(rows.len() >= 2);
        for row in &rows[..rows.len() - 1] {
            let right = row.last().expect("tile").x + row.last().expect("tile").width;
            assert!(
                (right - 1200.0).abs() < 1e-6,
                "a full row ends at the edge: {right}"
            );
        }
        let last = rows.last().expect("a row");
        assert_eq!(last[0].height, ROW_HEIGHT, "the last row is not stretched");
        let overlaps = rects.windows(2).any(|pair| {
            (pair[0].y - pair[1].y).abs() < 1e-9 && pair[0].x + pair[0].width > pair[1].x + 1e-9
        });
        assert!(!overlaps);
    }

    #[test]
    fn phones_get_four_squares_a_row_and_days_follow_each_other() {
        let first = [1.5; 6];
        let second = [0.75; 2];
        let layout = month(
            &[
                DayShapes {
                    first_photo: 0,
                    aspects: &first,
                },
                DayShapes {
                    first_photo: 6,
                    aspects: &second,
                },
            ],
            390.0,
        );
        let rects = photos(&layout);
        assert!(rects.iter().all(|r| (r.width - r.height).abs() < 1e-9));
        assert_eq!(rects[3].y, rects[0].y);
        assert!(rects[4].y > rects[0].y);
        let second_header = layout
            .placed
            .iter()
            .find_map(|p| match p {
                Placed::Day { day: 1, rect } => Some(*rect),
                _ => None,
            })
            .expect("the second day's header");
        assert!(
            second_header.y >= rects[5].bottom(),
            "the next day starts below"
        );
        assert!(rects[6].y >= second_header.bottom());
        assert!(layout.height >= rects[7].bottom());
    }

    #[test]
    fn a_lone_wide_panorama_is_not_stretched_to_fill_the_screen() {
        let layout = month(
            &[DayShapes {
                first_photo: 0,
                aspects: &[8.0],
            }],
            1200.0,
        );
        assert!(photos(&layout)[0].height <= ROW_HEIGHT * MAX_STRETCH);
    }

    #[test]
    fn estimates_grow_with_the_count() {
        assert!(estimate(600, 1200.0) > estimate(60, 1200.0));
        assert!(estimate(60, 390.0) > estimate(6, 390.0));
        assert!(estimate(0, 1200.0) > MONTH_HEADER);
    }
}
