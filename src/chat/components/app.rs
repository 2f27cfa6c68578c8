//! The root view: language, theme, side of the page, and either the launcher or the open panel.

use leptos::prelude::*;

use super::{launcher::Launcher, panel::Panel};
use crate::chat::Chat;
use crate::core::settings::Align;
use crate::core::theme::theme_style;

/// The whole widget for `chat`.
#[component]
pub fn App(chat: Chat) -> impl IntoView {
    provide_context(chat);
    view! {
        <div
            class="tdw"
            class:tdw-embedded=chat.page.embedded()
            class:tdw-left=move || chat.config.settings.with(|s| s.align == Align::Left)
            class:tdw-fullscreen=move || chat.config.settings.with(|s| s.fullscreen_mode)
            class:tdw-top=move || chat.panel.centred()
            lang=move || chat.lang().code()
            hidden=move || !chat.panel.visible.get()
            style=move || chat.config.settings.with(theme_style)
        >
            <Show when=move || chat.panel.open.get() fallback=|| view! { <Launcher /> }>
                <Panel />
            </Show>
        </div>
    }
}
