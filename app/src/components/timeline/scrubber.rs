//! The scrubber: a rail down the right edge standing for the whole timeline,
//! with the years on it. Dragging along it (or pressing a year) jumps straight
//! there; the month under the finger shows beside it, as in Google Photos.
//! Works before any photo of that month is loaded: the heights come from the
//! counts.

use leptos::{ev, html, prelude::*};

use crate::timeline::{labels, placement::MonthBox};

#[component]
pub fn Scrubber(
    boxes: Memo<Vec<MonthBox>>,
    total: Signal<f64>,
    container: NodeRef<html::Div>,
) -> impl IntoView {
    let rail = NodeRef::<html::Div>::new();
    let dragging = RwSignal::new(false);
    let bubble = RwSignal::new(None::<(f64, String)>);

    // The newest month of each year, where the year's label goes.
    let years = Memo::new(move |_| {
        let total = total.get().max(1.0);
        boxes.with(|boxes| {
            let mut years: Vec<(String, f64, f64)> = Vec::new();
            for b in boxes {
                let year = b.month.get(..4).unwrap_or_default();
                if years.last().map(|(y, _, _)| y.as_str()) != Some(year) {
                    years.push((year.to_owned(), b.top / total * 100.0, b.top));
                }
            }
            years
        })
    });

    let jump_to = move |y: f64| {
        if let Some(element) = container.get_untracked() {
            let top = element.get_bounding_client_rect().top() + window().scroll_y().unwrap_or(0.0);
            window().scroll_to_with_x_and_y(0.0, top + y);
        }
    };
    // The timeline position at the pointer, and the month there.
    let at_pointer = move |event: &ev::PointerEvent| -> Option<(f64, f64, String)> {
        let rail = rail.get_untracked()?;
        let bounds = rail.get_bounding_client_rect();
        let fraction =
            ((f64::from(event.client_y()) - bounds.top()) / bounds.height()).clamp(0.0, 1.0);
        let y = fraction * total.get_untracked();
        let month = boxes.with_untracked(|boxes| {
            boxes
                .iter()
                .find(|b| b.top + b.height > y)
                .or(boxes.last())
                .map(|b| b.month.clone())
        })?;
        Some((fraction * 100.0, y, month))
    };
    let scrub = move |event: &ev::PointerEvent| {
        if let Some((percent, y, month)) = at_pointer(event) {
            bubble.set(Some((percent, labels::month(&month))));
            jump_to(y);
        }
    };
    let on_down = move |event: ev::PointerEvent| {
        event.prevent_default();
        if let Some(rail) = rail.get_untracked() {
            let _ = rail.set_pointer_capture(event.pointer_id());
        }
        dragging.set(true);
        scrub(&event);
    };
    let on_move = move |event: ev::PointerEvent| {
        if dragging.get_untracked() {
            scrub(&event);
        } else if let Some((percent, _, month)) = at_pointer(&event) {
            bubble.set(Some((percent, labels::month(&month))));
        }
    };
    let on_up = move |_: ev::PointerEvent| dragging.set(false);
    let on_leave = move |_: ev::PointerEvent| {
        if !dragging.get_untracked() {
            bubble.set(None);
        }
    };

    view! {
        <nav class="scrubber" aria-label="Jump to a year" class:dragging=move || dragging.get()>
            <div
                class="scrubber-rail"
                node_ref=rail
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
                on:pointerleave=on_leave
                data-testid="scrubber"
            >
                <For each=move || years.get() key=|(year, _, _)| year.clone() let:year>
                    {
                        let (label, percent, top) = year;
                        view! {
                            <button
                                class="scrubber-year"
                                type="button"
                                style:top=format!("{percent}%")
                                on:pointerdown=|event: ev::PointerEvent| event.stop_propagation()
                                on:click=move |_| jump_to(top)
                            >
                                {label}
                            </button>
                        }
                    }
                </For>
                {move || {
                    bubble
                        .get()
                        .map(|(percent, label)| {
                            view! {
                                <span class="scrubber-bubble" style:top=format!("{percent}%")>
                                    {label}
                                </span>
                            }
                        })
                }}
            </div>
        </nav>
    }
}
