//! The visitor's conversations as the home view lists them: one button per conversation, and the
//! list of all of them (closed ones marked) behind "show all".

use leptos::prelude::*;
use tiledesk_protocol::{Request, RequestStatus};

use crate::chat::components::icon::Icon;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::BACK_ICON_PATH;

/// One conversation; choosing it opens it.
#[component]
pub fn ConversationItem(conversation: Request) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let closed = conversation.status == RequestStatus::CLOSED;
    let (id, status) = (conversation.request_id.clone(), conversation.status);
    view! {
        <li>
            <button
                type="button"
                data-testid="conversation"
                on:click=move |_| chat.conversations.open_from_home(id.clone(), status)
            >
                <span class="tdw-conversation-text">{conversation.first_text.clone()}</span>
                {closed.then(|| view! { <span class="tdw-tag" data-testid="closed-badge">{move || chat.text(Text::ClosedBadge)}</span> })}
                <time>{conversation.created_at.get(..10).unwrap_or_default().to_owned()}</time>
            </button>
        </li>
    }
}

/// Every conversation of the visitor, newest first, with a way back to the overview (`all` off).
#[component]
pub fn AllConversations(all: RwSignal<bool>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <div class="tdw-home-head">
            <button
                type="button"
                class="tdw-close"
                data-testid="all-back"
                aria-label=move || chat.text(Text::Back)
                on:click=move |_| all.set(false)
            >
                <Icon path=BACK_ICON_PATH size=20 />
            </button>
            <h2>{move || chat.text(Text::YourConversations)}</h2>
        </div>
        <ul class="tdw-conversations" data-testid="all-conversations">
            <For each=move || chat.conversations.list.get() key=|c| (c.request_id.clone(), c.status) let:conversation>
                <ConversationItem conversation />
            </For>
        </ul>
    }
}
