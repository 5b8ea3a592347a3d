//! What went wrong with the last thing a form or page tried (a refused save, a
//! link not made): one line, announced by screen readers, while there is one.

use leptos::prelude::*;

#[component]
pub fn ProblemLine(#[prop(into)] problem: Signal<Option<String>>) -> impl IntoView {
    move || {
        problem.get().map(|why| {
            view! {
                <p class="form-problem" role="alert">
                    {why}
                </p>
            }
        })
    }
}
