//! A motion photo's or Live Photo's movement, played over its tile while the
//! mouse rests on it (after a moment, so a pointer passing over the grid
//! fetches nothing). On a touch screen a long press selects, so the movement
//! plays in the lightbox instead.

use leptos::prelude::*;

use crate::components::moving::{Movement, MovingClip};

/// How long the mouse rests on a tile before its movement plays.
const REST_MS: u64 = 300;

#[component]
pub fn TileMotion(movement: Movement, hovered: RwSignal<bool>) -> impl IntoView {
    let playing = RwSignal::new(false);
    Effect::new(move |_| {
        if hovered.get() {
            set_timeout(
                move || {
                    if hovered.get_untracked() {
                        playing.set(true);
                    }
                },
                std::time::Duration::from_millis(REST_MS),
            );
        } else {
            playing.set(false);
        }
    });
    view! {
        <Show when=move || playing.get()>
            <MovingClip movement=movement.clone() playing class="tile-motion" />
        </Show>
    }
}
