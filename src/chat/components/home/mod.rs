//! The home view, as the Tiledesk widget's: the visitor's open conversations (or the agents
//! available now), a way to start a new one, how soon the team replies, other channels, and the
//! credit; or the list of all their conversations.

mod agents;
mod channels;
mod list;

use leptos::prelude::*;
use tiledesk_protocol::RequestStatus;

use self::agents::AvailableAgents;
use self::channels::Channels;
use self::list::{AllConversations, ConversationItem};
use super::powered_by::PoweredBy;
use super::welcome::Welcome;
use crate::chat::Chat;
use crate::core::i18n::{duration, Text};

/// Open conversations the home view lists before "show all".
const LISTED: usize = 3;

/// The home view; "show all" swaps its overview for the full list.
#[component]
pub fn Home() -> impl IntoView {
    let all = RwSignal::new(false);
    view! {
        <div class="tdw-home" data-testid="home">
            {move || {
                if all.get() {
                    view! { <AllConversations all /> }.into_any()
                } else {
                    view! { <Overview all /> }.into_any()
                }
            }}
        </div>
    }
}

/// The visitor's newest open conversations, or the agents available when there is none.
#[component]
fn Overview(all: RwSignal<bool>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let open = Memo::new(move |_| {
        chat.conversations.list.with(|list| {
            list.iter()
                .filter(|c| c.status != RequestStatus::CLOSED)
                .take(LISTED)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let any = move || chat.conversations.list.with(|list| !list.is_empty());
    // The keyboard lands on the way to a new conversation, as it lands on the composer in one.
    let start = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = start.get() {
            let _ = button.focus();
        }
    });
    let offers_all = move || any() && chat.config.settings.with(|s| s.show_all_conversations);
    view! {
        <Welcome greet=true />
        <Show when=any>
            <div class="tdw-home-head">
                <h2>{move || chat.text(Text::YourConversations)}</h2>
                <Show when=offers_all>
                    <button type="button" class="tdw-link-button" data-testid="show-all" on:click=move |_| all.set(true)>
                        {move || chat.text(Text::ShowAll)}
                    </button>
                </Show>
            </div>
        </Show>
        <Show when=move || open.with(Vec::is_empty) fallback=move || view! {
            <ul class="tdw-conversations">
                <For each=move || open.get() key=|c| (c.request_id.clone(), c.status) let:conversation>
                    <ConversationItem conversation />
                </For>
            </ul>
        }>
            <AvailableAgents />
        </Show>
        <button type="button" class="tdw-primary" data-testid="new-conversation" node_ref=start on:click=move |_| chat.conversations.switch(None)>
            {move || chat.text(Text::NewConversation)}
        </button>
        <WaitTime />
        <Channels />
        <PoweredBy />
    }
}

/// "The team typically replies in 2 minutes" (`showWaitTime`), or "as soon as possible" when the
/// wait is unknown or `dynamicWaitTimeReply` is off.
#[component]
fn WaitTime() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let shown = move || chat.config.settings.with(|s| s.show_wait_time);
    // Asked (once) when the line shows, also if the project's settings turn it on later.
    Effect::new(move |_| {
        if shown() {
            chat.home.load_waiting_time();
        }
    });
    let text = move || {
        let dynamic = chat.config.settings.with(|s| s.dynamic_wait_time_reply);
        match chat.home.waiting_ms.get().filter(|_| dynamic) {
            Some(ms) => chat
                .text(Text::RepliesIn)
                .replace("$reply_time", &duration(chat.lang(), ms)),
            None => chat.text(Text::RepliesSoon),
        }
    };
    view! {
        <Show when=shown>
            <p class="tdw-wait-time" data-testid="wait-time">{text}</p>
        </Show>
    }
}
