//! The timeline on screen, virtualized: the page is as tall as the whole
//! library (months not loaded yet are estimated from their counts), and only
//! the headers and tiles near the screen are in the DOM. Scrolling asks the
//! [`TimelineStore`] for the months near the screen; a month above the screen
//! that changes height (its photos arrived) keeps what is on screen in place.

use api_types::care::ViewName;
use leptos::{ev, html, prelude::*};

use super::{photo_tile::PhotoTile, scrubber::Scrubber};
use crate::timeline::{
    Source, TimelineStore, labels,
    layout::Rect,
    placement::{Item, MonthBox, Place, Shown, place_months, visible_items},
    selection::Selection,
};
use crate::{
    components::{albums::add_to_album::photo_count, download::zip_dialog::ZipDialog},
    download::source::ZipSource,
};

/// How far beyond the screen (in screen heights) tiles are kept and months load.
const AHEAD: f64 = 1.5;

/// A month of the library asked to download as one zip (`YYYY-MM`), and
/// whether its dialog is open.
#[derive(Clone, Copy)]
struct MonthZip {
    month: RwSignal<String>,
    /// The whole of the month's year instead.
    whole_year: RwSignal<bool>,
    open: RwSignal<bool>,
}

#[component]
pub fn TimelineView() -> impl IntoView {
    let store = expect_context::<TimelineStore>();
    let month_zip = MonthZip {
        month: RwSignal::new(String::new()),
        whole_year: RwSignal::new(false),
        open: RwSignal::new(false),
    };
    provide_context(month_zip);
    let asked_month = move || month_zip.month.get();
    let year = move || asked_month().get(..4).unwrap_or_default().to_owned();
    // `YYYY-MM`, or `YYYY` for the whole year.
    let asked = move || {
        if month_zip.whole_year.get() {
            year()
        } else {
            asked_month()
        }
    };
    let count_of = move |period: String| {
        store.months().with(|months| {
            months
                .iter()
                .filter(|m| m.month.starts_with(&period))
                .map(|m| m.count)
                .sum::<u32>()
        })
    };
    let asked_count = move || count_of(asked());
    let asked_label = move || {
        let period = asked();
        if period.len() == 4 {
            period
        } else {
            labels::month(&period)
        }
    };
    let container = NodeRef::<html::Div>::new();
    let width = RwSignal::new(0.0_f64);
    let viewport = RwSignal::new(window_height());
    // Where the viewport's top is, in the timeline's own coordinates.
    let scroll_top = RwSignal::new(0.0_f64);
    let measure = move || {
        if let Some(element) = container.get_untracked() {
            let rect = element.get_bounding_client_rect();
            width.set(f64::from(element.client_width()));
            viewport.set(window_height());
            scroll_top.set(-rect.top());
        }
    };
    let on_scroll = window_event_listener(ev::scroll, move |_| measure());
    let on_resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    Effect::new(move |_| {
        if container.get().is_some() {
            measure();
        }
    });

    let boxes = Memo::new(move |_| {
        let width = width.get();
        store.months().with(|months| place_months(months, width))
    });
    let total = move || boxes.with(|boxes| boxes.last().map_or(0.0, |b| b.top + b.height));

    // A month above the screen that changes height would push what is on
    // screen down (or up): scroll by the same amount to keep it still.
    Effect::new(move |previous: Option<Vec<MonthBox>>| {
        let current = boxes.get();
        if let Some(previous) = previous {
            let top = scroll_top.get_untracked();
            if top > 0.0
                && let Some(anchor) = previous.iter().find(|b| b.top + b.height > top)
                && let Some(now) = current.iter().find(|b| b.month == anchor.month)
            {
                let moved = now.top - anchor.top;
                if moved.abs() > 0.5 {
                    window().scroll_by_with_x_and_y(0.0, moved);
                }
            }
        }
        current
    });

    // Load the months near the screen; abort the ones scrolled away from.
    Effect::new(move |_| {
        let (top, screen) = (scroll_top.get(), viewport.get());
        // The lightbox's month counts too, wherever the timeline is.
        store.pinned();
        let wanted: Vec<usize> = boxes.with(|boxes| {
            boxes
                .iter()
                .enumerate()
                .filter(|(_, b)| {
                    b.top < top + screen * (1.0 + AHEAD) && b.top + b.height > top - screen * AHEAD
                })
                .map(|(index, _)| index)
                .collect()
        });
        store.want(&wanted);
    });

    let items = Memo::new(move |_| {
        let (top, screen) = (scroll_top.get(), viewport.get());
        let (from, to) = (top - screen * AHEAD, top + screen * (1.0 + AHEAD));
        boxes.with(|boxes| visible_items(boxes, from, to))
    });

    view! {
        <div class="timeline-wrap">
            <div
                class="timeline"
                node_ref=container
                data-testid="timeline"
                style:height=move || format!("{}px", total())
            >
                <For each=move || items.get() key=|item| item.key.clone() let:item>
                    <TimelineItem item />
                </For>
            </div>
            <Scrubber boxes=boxes total=Signal::derive(total) container />
        </div>
        <ZipDialog
            open=month_zip.open
            what=Signal::derive(move || {
                format!(
                    "The originals of the {} of {}, as they were uploaded.",
                    photo_count(asked_count()),
                    asked_label(),
                )
            })
            source=Signal::derive(move || ZipSource::Period(asked()))
            name=Signal::derive(move || format!("Shoebox {}.zip", asked_label()))
            total=Signal::derive(move || (Some(asked_count() as usize), None))
        >
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || month_zip.whole_year.get()
                    on:change=move |event| month_zip.whole_year.set(event_target_checked(&event))
                />
                <span>
                    {move || { format!("All of {} ({})", year(), photo_count(count_of(year()))) }}
                </span>
            </label>
        </ZipDialog>
    }
}

#[component]
fn TimelineItem(item: Item) -> impl IntoView {
    let store = expect_context::<TimelineStore>();
    let Rect {
        x,
        y,
        width,
        height,
    } = item.rect;
    let place = Place {
        transform: format!("translate({x}px,{y}px)"),
        // A width of 0 is the whole row (headers, placeholders).
        width: (width > 0.0).then(|| format!("{width}px")),
        height: format!("{height}px"),
    };
    let Place {
        transform, height, ..
    } = place.clone();
    match item.shown {
        Shown::MonthHeader(month) => {
            // The library's months download as one zip (`MonthZip`).
            let zip = use_context::<MonthZip>()
                .filter(|_| store.source() == Source::Library(ViewName::Timeline));
            let label = labels::month(&month);
            let download = zip.map(|zip| {
                let aria = format!("Download {label}");
                view! {
                    <button
                        class="month-download"
                        type="button"
                        aria-label=aria
                        on:click=move |_| {
                            zip.month.set(month.clone());
                            zip.whole_year.set(false);
                            zip.open.set(true);
                        }
                    >
                        "Download"
                    </button>
                }
            });
            // The heading is the month alone; its button sits beside it.
            view! {
                <div class="timeline-month" style:transform=transform style:height=height>
                    <h2>{label}</h2>
                    {download}
                </div>
            }
            .into_any()
        }
        Shown::DayHeader(day) => {
            let selection = expect_context::<Selection>();
            let label = labels::day(&day);
            let ids = Memo::new({
                let day = day.clone();
                move |_| store.ids_of_day(&day)
            });
            let all = move || ids.with(|ids| selection.all_of(ids));
            view! {
                <h3
                    class="timeline-day"
                    class:selecting=move || selection.is_active()
                    style:transform=transform
                    style:height=height
                    data-day=day.clone()
                >
                    {store
                        .source()
                        .selectable()
                        .then(|| {
                            view! {
                                <button
                                    class="day-check"
                                    type="button"
                                    aria-label=format!("Select all of {label}")
                                    aria-pressed=move || all().to_string()
                                    on:click=move |_| {
                                        ids.with_untracked(|ids| selection.toggle_all(ids))
                                    }
                                ></button>
                            }
                        })}
                    {label.clone()}
                </h3>
            }
            .into_any()
        }
        Shown::Photo(month, index) => {
            let photo = store.months().with_untracked(|months| {
                months.get(month).and_then(|m| m.photos.get(index).cloned())
            });
            match photo {
                Some(photo) => view! { <PhotoTile photo place /> }.into_any(),
                None => ().into_any(),
            }
        }
        Shown::Placeholder(month, failed) => match failed {
            None => view! {
                <div
                    class="timeline-placeholder"
                    style:transform=transform
                    style:height=height
                    aria-busy="true"
                    aria-label="Loading photos…"
                ></div>
            }
            .into_any(),
            Some(why) => view! {
                <div
                    class="timeline-placeholder failed"
                    style:transform=transform
                    style:height=height
                    role="alert"
                >
                    <p>{why}</p>
                    <button class="button" type="button" on:click=move |_| store.retry(&month)>
                        "Try again"
                    </button>
                </div>
            }
            .into_any(),
        },
    }
}

fn window_height() -> f64 {
    window()
        .inner_height()
        .ok()
        .and_then(|height| height.as_f64())
        .unwrap_or(800.0)
}
