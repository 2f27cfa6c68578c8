//! The round launcher button that opens the chat.

use leptos::prelude::*;

use crate::chat::Chat;

/// The launcher, shown while the panel is closed.
#[component]
pub fn Launcher() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <button
            type="button"
            class="tdw-launcher"
            data-testid="launcher"
            aria-label="Open chat"
            on:click=move |_| chat.set_open(true)
        >
            <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
                <path
                    fill="currentColor"
                    d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"
                />
            </svg>
        </button>
    }
}
