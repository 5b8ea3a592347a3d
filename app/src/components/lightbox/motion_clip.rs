//! A motion photo's clip or a Live Photo's video, over its still: played once
//! when the photo opens, and again from the button named as the phone names
//! it ("Motion", "Live").

use leptos::prelude::*;

use crate::components::moving::{Movement, MovingClip};

#[component]
pub fn MotionClip(movement: Movement) -> impl IntoView {
    let playing = RwSignal::new(true);
    let name = movement.name();
    view! {
        <MovingClip movement playing class="lightbox-motion" />
        <button
            class="motion-button"
            type="button"
            aria-pressed=move || playing.get().to_string()
            // Not the stage's: it would take the pointer, and the click with it.
            on:pointerdown=move |event| event.stop_propagation()
            on:click=move |event| {
                event.stop_propagation();
                playing.set(true);
            }
        >
            {name}
        </button>
    }
}
