//! The root view: theme, side of the page, and either the launcher or the open panel.

use leptos::prelude::*;

use super::{launcher::Launcher, panel::Panel};
use crate::chat::Chat;
use crate::settings::Align;

/// The whole widget for `chat`.
#[component]
pub fn App(chat: Chat, embedded: bool) -> impl IntoView {
    provide_context(chat);
    let (theme, foreground, left) = chat.settings.with_value(|s| {
        (
            s.theme_color.clone(),
            s.theme_foreground_color.clone(),
            s.align == Align::Left,
        )
    });
    view! {
        <div
            class="tdw"
            class:tdw-embedded=embedded
            class:tdw-left=left
            style=format!("--tdw-theme:{theme};--tdw-on-theme:{foreground}")
        >
            <Show when=move || chat.open.get() fallback=|| view! { <Launcher /> }>
                <Panel />
            </Show>
        </div>
    }
}
