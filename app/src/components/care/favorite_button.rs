//! The heart: shows whether a photo is a favourite and makes it one (or not)
//! with a press. Pressed state is `aria-pressed`, for screen readers and tests.

use leptos::prelude::*;

#[component]
pub fn FavoriteButton(
    #[prop(into)] favorite: Signal<bool>,
    #[prop(into)] disabled: Signal<bool>,
    #[prop(into)] on_toggle: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            class="button favorite-button"
            class:on=move || favorite.get()
            type="button"
            aria-pressed=move || favorite.get().to_string()
            aria-label=move || {
                if favorite.get() { "Remove from favorites" } else { "Add to favorites" }
            }
            title="Favorite (f)"
            disabled=move || disabled.get()
            on:click=move |_| on_toggle.run(())
            data-testid="favorite-button"
        >
            <span aria-hidden="true">{move || if favorite.get() { "♥" } else { "♡" }}</span>
        </button>
    }
}
