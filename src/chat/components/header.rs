//! The panel's header: back to the conversations, the logo and title with the other side's
//! typing, the size action, the options menu and the close button.

use leptos::html::Button;
use leptos::prelude::*;

use super::icon::Icon;
use super::options_menu::{ConfirmEnd, OptionsMenu};
use super::typing::HeaderTyping;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::settings::PanelSize;
use crate::core::theme::{
    BACK_ICON_PATH, CENTER_ICON_PATH, CLOSE_ICON_PATH, MAXIMIZE_ICON_PATH, MINIMIZE_ICON_PATH,
    OPTIONS_ICON_PATH,
};

/// The header of the panel titled `title`; in a conversation it hides with `hideHeaderConversation`.
#[component]
pub fn Header(title: Signal<String>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let menu_open = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let options_button = NodeRef::<Button>::new();
    let home = move || chat.conversations.home.get();
    let settings = chat.config.settings;
    let has_menu = move || {
        if home() {
            settings.with(|s| !s.hide_settings)
        } else {
            settings.with(|s| !s.hide_header_conversation_options_menu)
        }
    };
    let hidden = move || !home() && settings.with(|s| s.hide_header_conversation);
    let close_menu = move || {
        menu_open.set(false);
        if let Some(button) = options_button.get_untracked() {
            let _ = button.focus();
        }
    };
    view! {
        <header class="tdw-header" hidden=hidden>
            <Show when=move || !home() && settings.with(|s| !s.single_conversation)>
                <button
                    type="button"
                    class="tdw-close"
                    data-testid="back"
                    aria-label=move || chat.text(Text::Back)
                    on:click=move |_| chat.conversations.show_home()
                >
                    <Icon path=BACK_ICON_PATH size=20 />
                </button>
            </Show>
            {move || {
                settings
                    .with(|s| s.logo_chat.clone())
                    .map(|src| view! { <img class="tdw-logo" src=src alt="" /> })
            }}
            <div class="tdw-title">
                <h1>{title}</h1>
                <HeaderTyping />
            </div>
            <Show when=move || !home() && has_menu()>
                <SizeAction />
            </Show>
            <Show when=has_menu>
                <button
                    type="button"
                    class="tdw-close"
                    data-testid="options"
                    node_ref=options_button
                    aria-label=move || chat.text(Text::Options)
                    aria-haspopup="true"
                    aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                    aria-controls=move || menu_open.get().then_some("tdw-options")
                    on:click=move |_| menu_open.update(|open| *open = !*open)
                >
                    <Icon path=OPTIONS_ICON_PATH size=20 />
                </button>
            </Show>
            <button
                type="button"
                class="tdw-close"
                data-testid="close"
                aria-label=move || chat.text(Text::CloseChat)
                hidden=move || settings.with(|s| s.hide_header_close_button)
                on:click=move |_| chat.close_from_panel()
            >
                <Icon path=CLOSE_ICON_PATH size=20 />
            </button>
        </header>
        <Show when=move || menu_open.get() && has_menu()>
            <OptionsMenu close=close_menu confirm_end=move || confirming.set(true) />
        </Show>
        <Show when=move || confirming.get()>
            <ConfirmEnd done=move || confirming.set(false) />
        </Show>
    }
}

/// The next size of the panel, as the Tiledesk widget cycles them: a small panel expands, an
/// expanded one centres over the page, a centred one goes back to small.
fn next_size(size: PanelSize) -> (PanelSize, Text, &'static str) {
    match size {
        PanelSize::Min => (PanelSize::Max, Text::Maximize, MAXIMIZE_ICON_PATH),
        PanelSize::Max => (PanelSize::Top, Text::Center, CENTER_ICON_PATH),
        PanelSize::Top => (PanelSize::Min, Text::Minimize, MINIMIZE_ICON_PATH),
    }
}

/// The header button that resizes the panel.
#[component]
fn SizeAction() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let next = Memo::new(move |_| next_size(chat.panel.size()));
    view! {
        <Show when=move || chat.panel.resizable()>
            <button
                type="button"
                class="tdw-close"
                data-testid="resize"
                data-size=move || chat.panel.size().as_str()
                aria-label=move || chat.text(next.get().1)
                on:click=move |_| chat.panel.resize(next.get_untracked().0)
            >
                {move || view! { <Icon path=next.get().2 size=18 /> }}
            </button>
        </Show>
    }
}
