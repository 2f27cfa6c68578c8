//! The open chat panel: header with title and close button, messages, errors and composer.

use leptos::prelude::*;

use super::{composer::Composer, message_list::MessageList};
use crate::chat::Chat;

/// Title shown when the website owner sets no `widgetTitle`.
const DEFAULT_TITLE: &str = "Chat with us";

/// The panel, shown while the chat is open; Escape closes it.
#[component]
pub fn Panel() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let title = move || {
        chat.settings.with(|s| match s.widget_title.as_str() {
            "" => DEFAULT_TITLE.to_owned(),
            title => title.to_owned(),
        })
    };
    view! {
        <section
            class="tdw-panel"
            data-testid="panel"
            role="dialog"
            aria-label=title
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    chat.set_open(false);
                }
            }
        >
            <header class="tdw-header">
                <h1>{title}</h1>
                <button
                    type="button"
                    class="tdw-close"
                    hidden=move || chat.settings.with(|s| s.hide_header_close_button)
                    data-testid="close"
                    aria-label="Close chat"
                    on:click=move |_| chat.set_open(false)
                >
                    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
                        <path fill="currentColor" d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z" />
                    </svg>
                </button>
            </header>
            <MessageList />
            <Show when=move || chat.error.with(Option::is_some)>
                <p class="tdw-error" role="alert" data-testid="error">
                    {move || chat.error.get().unwrap_or_default()}
                </p>
            </Show>
            <Composer />
        </section>
    }
}
