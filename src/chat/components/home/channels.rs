//! "Or switch to": links that continue the conversation on WhatsApp (`whatsappNumber`), Telegram
//! (`telegramUsername`) or Messenger (`messangerPageTitle`), opening in a new tab.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::core::i18n::Text;

/// The links the settings name; nothing without any.
#[component]
pub fn Channels() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let links = Memo::new(move |_| {
        chat.config.settings.with(|s| {
            channel_links(
                s.whatsapp_number.as_deref(),
                s.telegram_username.as_deref(),
                s.messanger_page_title.as_deref(),
            )
        })
    });
    view! {
        <Show when=move || links.with(|l| !l.is_empty())>
            <nav class="tdw-channels" data-testid="channels" aria-labelledby="tdw-switch-to">
                <span id="tdw-switch-to">{move || chat.text(Text::SwitchTo)}</span>
                <For each=move || links.get() key=|(name, _)| *name let:link>
                    <a class="tdw-button" href=link.1 target="_blank" rel="noopener noreferrer" data-testid="channel">{link.0}</a>
                </For>
            </nav>
        </Show>
    }
}

/// Each channel's name and address, as the Tiledesk widget opens them (`wa.me` with `/start`,
/// `telegram.me`, `m.me`), the values encoded so that they stay one path segment.
pub fn channel_links(
    whatsapp: Option<&str>,
    telegram: Option<&str>,
    messenger: Option<&str>,
) -> Vec<(&'static str, String)> {
    let encode = |value: &str| String::from(js_sys::encode_uri_component(value));
    let mut links = Vec::new();
    if let Some(number) = whatsapp {
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            links.push(("WhatsApp", format!("https://wa.me/{digits}?text=%2Fstart")));
        }
    }
    if let Some(user) = telegram {
        let user = user.trim_start_matches('@');
        links.push(("Telegram", format!("https://telegram.me/{}", encode(user))));
    }
    if let Some(page) = messenger {
        links.push(("Messenger", format!("https://m.me/{}", encode(page))));
    }
    links
}
