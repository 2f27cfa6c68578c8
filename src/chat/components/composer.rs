//! Where the visitor writes: Enter sends, Shift+Enter starts a new line; the other side learns
//! that the visitor is typing.

use leptos::prelude::*;
use serde_json::Value;
use tiledesk_protocol::bridge::WidgetEvent;

use super::icon::Icon;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::SEND_ICON_PATH;

/// The message box and send button; focused when the panel opens. Shown for a new
/// conversation, it tells the page (`onNewConversationComponentInit`).
#[component]
pub fn Composer() -> impl IntoView {
    let chat = expect_context::<Chat>();
    if untrack(|| chat.conversations.open.is_new()) {
        chat.page
            .emit_in_context(WidgetEvent::NewConversationComponentInit, Value::Null);
    }
    let draft = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let submit = move || {
        let text = draft.get_untracked().trim().to_owned();
        if !text.is_empty() {
            draft.set(String::new());
            chat.conversations.open.activity.stopped();
            chat.sending.send(text);
        }
    };
    view! {
        <form
            class="tdw-composer"
            on:submit=move |event| {
                event.prevent_default();
                submit();
            }
        >
            <textarea
                data-testid="composer"
                aria-label=move || chat.text(Text::MessageLabel)
                placeholder=move || chat.text(Text::TypeMessage)
                rows="1"
                node_ref=input
                prop:value=move || draft.get()
                on:input=move |event| {
                    let text = event_target_value(&event);
                    chat.conversations.open.activity.typed(text.trim().is_empty());
                    draft.set(text);
                }
                on:keydown=move |event| {
                    if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                        event.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            <button
                type="submit"
                class="tdw-send"
                data-testid="send"
                aria-label=move || chat.text(Text::Send)
                disabled=move || draft.with(|d| d.trim().is_empty())
            >
                <Icon path=SEND_ICON_PATH size=22 />
            </button>
        </form>
    }
}
