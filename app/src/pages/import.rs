//! `/import`: bringing a Google Takeout export in. Pick the parts, see the
//! plan (photos, albums, what is skipped and why), start, watch it go, and
//! keep the summary as a CSV. The import itself is [`crate::import`]; it goes
//! on while the person looks at other pages.

use leptos::prelude::*;

use crate::{
    api::Api,
    auth::Auth,
    components::{download::zip_dialog::ZipDialog, upload::upload_button::take_files},
    download::source::ZipSource,
    import::{Import, Phase},
    pages::signed_in::SignedIn,
    timeline::labels,
    upload::Uploads,
};

#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <SignedIn what="the import">
            <section class="page-section import-page" aria-labelledby="import-title">
                <h1 id="import-title">"Import from Google Photos"</h1>
                <ImportFlow />
            </section>
            <TakeEverything />
        </SignedIn>
    }
}

#[component]
fn ImportFlow() -> impl IntoView {
    let import = expect_context::<Import>();
    move || match import.phase() {
        Phase::Choosing => view! { <ChooseParts /> }.into_any(),
        Phase::Scanning {
            part,
            parts,
            entries,
        } => view! {
            <p class="import-status" role="status">
                {format!(
                    "Reading part {} of {parts}: {} files so far…",
                    part + 1,
                    labels::count(entries as usize),
                )}
            </p>
        }
        .into_any(),
        Phase::Planned => view! { <PlanSummary /> }.into_any(),
        Phase::Importing | Phase::Stopping | Phase::Stopped | Phase::Finished => {
            view! { <ImportProgress /> }.into_any()
        }
        Phase::Failed(why) => view! {
            <p class="import-problem" role="alert">
                {why}
            </p>
            <button class="button" on:click=move |_| import.reset()>
                "Choose other parts"
            </button>
        }
        .into_any(),
    }
}

#[component]
fn ChooseParts() -> impl IntoView {
    let import = expect_context::<Import>();
    let auth = expect_context::<Auth>();
    let picked = move |event: leptos::ev::Event, folder: bool| {
        let (Some(parts), Some(user)) = (take_files(&event), auth.user()) else {
            return;
        };
        if !parts.is_empty() {
            import.scan(parts, folder, user.sub);
        }
    };
    view! {
        <p>
            "In Google Takeout, export Google Photos as .zip or .tgz files. Pick every part here, "
            "or the folder you extracted them to: they are read on this device, and the photos "
            "and videos in them are backed up with their dates, places, descriptions and albums."
        </p>
        <div class="import-actions">
            <label class="button primary import-pick">
                "Choose the Takeout parts"
                <input
                    type="file"
                    multiple=true
                    accept=".zip,.tgz,.gz,application/zip,application/gzip"
                    class="visually-hidden"
                    data-testid="takeout-input"
                    on:change=move |event| picked(event, false)
                />
            </label>
            // Phones have no folders to pick; the class hides it on touch screens.
            <label class="button import-pick upload-folder-button">
                "Choose an extracted folder"
                <input
                    type="file"
                    prop:webkitdirectory=true
                    class="visually-hidden"
                    data-testid="takeout-folder-input"
                    on:change=move |event| picked(event, true)
                />
            </label>
        </div>
    }
}

/// Leaving is as easy as coming: the whole library as one zip.
#[component]
fn TakeEverything() -> impl IntoView {
    let api = expect_context::<Api>();
    let open = RwSignal::new(false);
    let total = LocalResource::new(move || async move {
        api.timeline(api_types::care::ViewName::Timeline)
            .await
            .ok()
            .map(|timeline| timeline.total)
    });
    let count = move || total.get().flatten();
    view! {
        <section class="page-section import-page import-export" aria-labelledby="export-title">
            <h2 id="export-title">"Take everything with you"</h2>
            <p>
                "Every original in your library, as it was uploaded, in one zip file: "
                "yours to keep, or to take to another app."
            </p>
            <button class="button" on:click=move |_| open.set(true)>
                "Download your whole library"
            </button>
            <ZipDialog
                open
                what=Signal::derive(move || match count() {
                    Some(count) => {
                        format!(
                            "The originals of all {}, as they were uploaded.",
                            labels::count_of(count as usize, "photo", "photos"),
                        )
                    }
                    None => "The originals of every photo, as they were uploaded.".to_owned(),
                })
                source=Signal::derive(|| ZipSource::Library)
                name=Signal::derive(|| "Shoebox library.zip".to_owned())
                total=Signal::derive(move || (count().map(|count| count as usize), None))
            />
        </section>
    }
}

#[component]
fn PlanSummary() -> impl IntoView {
    let import = expect_context::<Import>();
    let api = expect_context::<Api>();
    let uploads = expect_context::<Uploads>();
    let Some(plan) = import.plan() else {
        return ().into_any();
    };
    let counts = import.counts();
    let to_do = counts.items - counts.done_before;
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for skipped in &plan.skipped {
        let words = skipped.reason.words();
        match reasons.iter_mut().find(|(reason, _)| *reason == words) {
            Some((_, count)) => *count += 1,
            None => reasons.push((words, 1)),
        }
    }
    let albums = plan.albums.len();
    view! {
        <div class="import-plan">
            <p class="import-headline">
                {format!(
                    "{}, {}.",
                    labels::count_of(plan.items.len(), "photo or video", "photos and videos"),
                    labels::count_of(albums, "album", "albums"),
                )}
            </p>
            {(counts.done_before > 0)
                .then(|| {
                    view! {
                        <p>
                            {format!(
                                "{} were imported by an earlier run and are skipped.",
                                labels::count(counts.done_before),
                            )}
                        </p>
                    }
                })}
            <ul class="import-warnings">
                {plan
                    .warnings
                    .iter()
                    .map(|warning| view! { <li role="alert">{warning.clone()}</li> })
                    .collect_view()}
            </ul>
            {(!reasons.is_empty())
                .then(|| {
                    view! {
                        <details class="import-skipped">
                            <summary>
                                {format!(
                                    "{} will be skipped",
                                    labels::count_of(plan.skipped.len(), "file", "files"),
                                )}
                            </summary>
                            <ul>
                                {reasons
                                    .into_iter()
                                    .map(|(reason, count)| {
                                        view! {
                                            <li>{format!("{}: {reason}", labels::count(count))}</li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </details>
                    }
                })}
            <div class="import-actions">
                <button class="button" on:click=move |_| import.reset()>
                    "Choose other parts"
                </button>
                <button
                    class="button primary"
                    disabled=to_do == 0
                    on:click=move |_| import.start(api, uploads)
                >
                    {format!("Import {}", labels::count(to_do))}
                </button>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn ImportProgress() -> impl IntoView {
    let import = expect_context::<Import>();
    let ended = move || matches!(import.phase(), Phase::Finished | Phase::Stopped);
    let line = move || {
        let counts = import.counts();
        let mut parts = vec![
            format!("{} new", labels::count(counts.imported)),
            format!(
                "{} already in your library",
                labels::count(counts.already_there)
            ),
        ];
        if counts.done_before > 0 {
            parts.push(format!(
                "{} by an earlier run",
                labels::count(counts.done_before)
            ));
        }
        if counts.failed > 0 {
            parts.push(format!("{} failed", labels::count(counts.failed)));
        }
        parts.push(format!("{} skipped", labels::count(counts.skipped)));
        parts.join(" · ")
    };
    let download = move |_| {
        if let Some(csv) = import.csv() {
            crate::browser::save_text("shoebox-import.csv", "text/csv", &csv);
        }
    };
    view! {
        <div class="import-progress">
            <p class="import-headline" role="status">
                {move || {
                    let counts = import.counts();
                    let of = format!(
                        "{} of {}",
                        labels::count(counts.finished),
                        labels::count(counts.items),
                    );
                    match import.phase() {
                        Phase::Finished => "Import finished.".to_owned(),
                        Phase::Stopped => {
                            format!(
                                "Stopped at {of}. Pick the same parts again to go on from there.",
                            )
                        }
                        Phase::Stopping => {
                            format!("Stopping at {of}: finishing what is under way…")
                        }
                        _ => format!("Importing: {of}…"),
                    }
                }}
            </p>
            <progress
                max=move || import.counts().items.max(1)
                value=move || import.counts().finished
            ></progress>
            <p class="import-counts">{line}</p>
            <ul class="import-warnings">
                {move || {
                    import
                        .problems()
                        .into_iter()
                        .map(|problem| view! { <li role="alert">{problem}</li> })
                        .collect_view()
                }}
            </ul>
            <Show when=move || import.phase() == Phase::Importing>
                <div class="import-actions">
                    <button class="button" on:click=move |_| import.stop()>
                        "Stop"
                    </button>
                </div>
            </Show>
            <Show when=ended>
                <div class="import-actions">
                    <button class="button" on:click=download>
                        "Download the summary (CSV)"
                    </button>
                    <Show when=move || import.plan().is_some_and(|plan| !plan.albums.is_empty())>
                        <a class="button" href="/albums">
                            "See the albums"
                        </a>
                    </Show>
                    <button class="button" on:click=move |_| import.reset()>
                        "Import more"
                    </button>
                </div>
            </Show>
        </div>
    }
}
