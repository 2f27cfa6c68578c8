//! The root view: language, theme, side of the page, and either the launcher or the open panel.

use leptos::prelude::*;

use super::{launcher::Launcher, panel::Panel};
use crate::chat::Chat;
use crate::settings::Align;
use crate::theme::theme_style;

/// The whole widget for `chat`.
#[component]
pub fn App(chat: Chat) -> impl IntoView {
    provide_context(chat);
    view! {
        <div
            class="tdw"
            class:tdw-embedded=chat.embedded()
            class:tdw-left=move || chat.settings.with(|s| s.align == Align::Left)
            class:tdw-fullscreen=move || chat.settings.with(|s| s.fullscreen_mode)
            lang=move || chat.lang().code()
            hidden=move || !chat.visible.get()
            style=move || chat.settings.with(theme_style)
        >
            <Show when=move || chat.open.get() fallback=|| view! { <Launcher /> }>
                <Panel />
            </Show>
        </div>
    }
}
