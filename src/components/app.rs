//! The root view: language, theme (with a readable foreground for any theme colour), side of the
//! page, and either the launcher or the open panel.

use leptos::prelude::*;

use super::{launcher::Launcher, panel::Panel};
use crate::chat::Chat;
use crate::contrast::readable_foreground;
use crate::settings::Align;

/// The whole widget for `chat`.
#[component]
pub fn App(chat: Chat) -> impl IntoView {
    provide_context(chat);
    let theme = move || {
        chat.settings.with(|s| {
            let mut style = format!(
                "--tdw-theme:{};--tdw-on-theme:{};--tdw-launcher-w:{};--tdw-launcher-h:{};",
                s.theme_color,
                readable_foreground(&s.theme_color, &s.theme_foreground_color),
                s.launcher_width,
                s.launcher_height
            );
            let optional = [
                ("--tdw-sent", &s.bubble_sent_background),
                ("--tdw-received", &s.bubble_received_background),
                ("--tdw-font-size", &s.font_size),
                ("--tdw-font", &s.font_family),
            ];
            for (name, value) in optional {
                if let Some(value) = value {
                    style.push_str(&format!("{name}:{value};"));
                }
            }
            if let Some(sent) = &s.bubble_sent_background {
                style.push_str(&format!(
                    "--tdw-on-sent:{};",
                    readable_foreground(sent, "#ffffff")
                ));
            }
            style
        })
    };
    view! {
        <div
            class="tdw"
            class:tdw-embedded=chat.embedded()
            class:tdw-left=move || chat.settings.with(|s| s.align == Align::Left)
            class:tdw-fullscreen=move || chat.settings.with(|s| s.fullscreen_mode)
            lang=move || chat.lang().code()
            hidden=move || !chat.visible.get()
            style=theme
        >
            <Show when=move || chat.open.get() fallback=|| view! { <Launcher /> }>
                <Panel />
            </Show>
        </div>
    }
}
