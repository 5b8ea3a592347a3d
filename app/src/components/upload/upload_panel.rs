//! The upload queue on screen: a panel in the corner (a sheet on a phone) with
//! overall progress (count, bytes, time left) and each file's state; cancel one or
//! all; clear when done.

use leptos::prelude::*;

use crate::upload::{Row, RowState, Summary, Uploads};

#[component]
pub fn UploadPanel() -> impl IntoView {
    let uploads = expect_context::<Uploads>();
    let expanded = RwSignal::new(true);
    let summary = Memo::new(move |_| uploads.summary());
    let visible = move || summary.with(|summary| summary.total > 0 || summary.skipped > 0);
    view! {
        <Show when=visible>
            <section class="upload-panel" aria-labelledby="upload-title" data-testid="upload-panel">
                <header class="upload-panel-header">
                    <div>
                        <h2 id="upload-title">{move || headline(&summary.get())}</h2>
                        <p class="upload-detail" data-testid="upload-detail">
                            {move || detail(&summary.get())}
                        </p>
                    </div>
                    <div class="upload-actions">
                        <Show
                            when=move || summary.with(|s| s.finished < s.total)
                            fallback=move || {
                                view! {
                                    <button
                                        class="button"
                                        type="button"
                                        on:click=move |_| uploads.clear_finished()
                                    >
                                        "Clear"
                                    </button>
                                }
                            }
                        >
                            <button
                                class="button"
                                type="button"
                                on:click=move |_| uploads.cancel_all()
                            >
                                "Cancel all"
                            </button>
                        </Show>
                        <button
                            class="button icon"
                            type="button"
                            aria-expanded=move || expanded.get().to_string()
                            aria-label=move || {
                                if expanded.get() { "Hide the list" } else { "Show the list" }
                            }
                            on:click=move |_| expanded.update(|open| *open = !*open)
                        >
                            {move || if expanded.get() { "▾" } else { "▴" }}
                        </button>
                    </div>
                </header>
                <progress
                    class="upload-progress"
                    max=move || summary.with(|s| s.bytes_total.max(1))
                    value=move || summary.with(|s| s.bytes_done)
                    aria-label="Overall progress"
                ></progress>
                <Show when=move || expanded.get()>
                    <ul class="upload-rows">
                        <For
                            each=move || uploads.rows()
                            key=|row| (
                                row.key,
                                state_key(&row.state),
                                row.retryable,
                                row.sent / 65_536,
                            )
                            let:row
                        >
                            <UploadRow row />
                        </For>
                    </ul>
                </Show>
            </section>
        </Show>
    }
}

/// Rows re-render when their state changes or another 64 kB has gone.
fn state_key(state: &RowState) -> String {
    format!("{state:?}")
}

#[component]
fn UploadRow(row: Row) -> impl IntoView {
    let uploads = expect_context::<Uploads>();
    let key = row.key;
    let (label, class) = describe(&row);
    let percent = (row.upload_bytes > 0).then(|| (row.sent * 100 / row.upload_bytes).min(100));
    view! {
        <li class=format!("upload-row {class}") data-testid="upload-row" data-state=class>
            <span class="upload-name" title=row.name.clone()>
                {row.name.clone()}
            </span>
            <span class="upload-state">{label}</span>
            {(row.state == RowState::Uploading)
                .then(|| {
                    view! {
                        <progress
                            class="upload-row-progress"
                            max="100"
                            value=percent.unwrap_or(0)
                        ></progress>
                    }
                })}
            {row
                .retryable
                .then(|| {
                    view! {
                        <button class="button" type="button" on:click=move |_| uploads.retry(key)>
                            "Retry"
                        </button>
                    }
                })}
            {(!row.state.is_finished())
                .then(|| {
                    view! {
                        <button
                            class="button icon"
                            type="button"
                            aria-label=format!("Cancel {}", row.name)
                            on:click=move |_| uploads.cancel(key)
                        >
                            "✕"
                        </button>
                    }
                })}
        </li>
    }
}

/// The words for a row's state, and a class for its look (and for tests).
fn describe(row: &Row) -> (String, &'static str) {
    match &row.state {
        RowState::Waiting => ("Waiting".into(), "waiting"),
        RowState::Preparing => ("Preparing…".into(), "preparing"),
        RowState::Uploading => {
            let percent = (row.sent * 100).checked_div(row.upload_bytes).unwrap_or(0);
            (format!("Uploading {}%", percent.min(100)), "uploading")
        }
        RowState::Committing => ("Saving…".into(), "committing"),
        RowState::Done => ("Backed up".into(), "done"),
        RowState::Duplicate => ("Already backed up".into(), "duplicate"),
        RowState::Failed(why) => (why.clone(), "failed"),
        RowState::Cancelled => ("Cancelled".into(), "cancelled"),
    }
}

fn headline(summary: &Summary) -> String {
    let plural = |n: usize| if n == 1 { "photo" } else { "photos" };
    if summary.total == 0 {
        return "No photos found in that folder".into();
    }
    if summary.finished < summary.total {
        return format!(
            "Backing up {} of {} {}",
            (summary.finished + 1).min(summary.total),
            summary.total,
            plural(summary.total)
        );
    }
    let mut parts = vec![format!(
        "{} {} backed up",
        summary.done,
        plural(summary.done)
    )];
    if summary.duplicates > 0 {
        parts.push(format!("{} already there", summary.duplicates));
    }
    if summary.failed > 0 {
        parts.push(format!("{} failed", summary.failed));
    }
    parts.join(" · ")
}

fn detail(summary: &Summary) -> String {
    let mb = |bytes: u64| format!("{:.1} MB", bytes as f64 / 1_000_000.0);
    let mut text = format!("{} of {}", mb(summary.bytes_done), mb(summary.bytes_total));
    if summary.finished < summary.total
        && let Some(seconds) = summary.seconds_left
    {
        text.push_str(&format!(" · {}", time_left(seconds)));
    }
    match summary.skipped {
        0 => {}
        1 => text.push_str(" · 1 file skipped: not a photo or video"),
        n => text.push_str(&format!(" · {n} files skipped: not photos or videos")),
    }
    text
}

fn time_left(seconds: f64) -> String {
    match seconds.round() as u64 {
        0..=9 => "a few seconds left".into(),
        s @ 10..=59 => format!("about {s} s left"),
        s @ 60..=3599 => format!("about {} min left", s.div_ceil(60)),
        s => format!("about {} h {} min left", s / 3600, (s % 3600) / 60),
    }
}
