//! The root view: theme, side of the page, and either the launcher or the open panel.

use leptos::prelude::*;

use super::{launcher::Launcher, panel::Panel};
use crate::chat::Chat;
use crate::settings::Align;

/// The whole widget for `chat`.
#[component]
pub fn App(chat: Chat) -> impl IntoView {
    provide_context(chat);
    let theme = move || {
        chat.settings.with(|s| {
            format!(
                "--tdw-theme:{};--tdw-on-theme:{};--tdw-launcher-w:{};--tdw-launcher-h:{}",
                s.theme_color, s.theme_foreground_color, s.launcher_width, s.launcher_height
            )
        })
    };
    view! {
        <div
            class="tdw"
            class:tdw-embedded=chat.embedded()
            class:tdw-left=move || chat.settings.with(|s| s.align == Align::Left)
            class:tdw-fullscreen=move || chat.settings.with(|s| s.fullscreen_mode)
            hidden=move || !chat.visible.get()
            style=theme
        >
            <Show when=move || chat.open.get() fallback=|| view! { <Launcher /> }>
                <Panel />
            </Show>
        </div>
    }
}
