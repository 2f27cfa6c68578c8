//! The conversation's messages, each with who wrote it and how far its delivery got.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::conversation::{Delivery, Direction, Line};

/// The list of messages, kept scrolled to the newest and announced to screen readers.
#[component]
pub fn MessageList() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let list = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| {
        chat.conversation.track();
        if let Some(list) = list.get() {
            request_animation_frame(move || list.set_scroll_top(list.scroll_height()));
        }
    });
    view! {
        <ol class="tdw-messages" data-testid="messages" aria-live="polite" node_ref=list>
            <For
                each=move || chat.conversation.with(|c| c.lines().to_vec())
                key=|line| (line.key.clone(), line.delivery)
                let:line
            >
                <MessageItem line=line />
            </For>
        </ol>
    }
}

/// One message; a failed one offers to send it again.
#[component]
fn MessageItem(line: Line) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let outgoing = line.direction == Direction::Outgoing;
    let sender = (!outgoing && !line.sender_name.is_empty()).then(|| {
        view! { <span class="tdw-sender">{line.sender_name.clone()}</span> }
    });
    let status = match line.delivery {
        Delivery::Sending => Some(view! { <span class="tdw-status">"Sending…"</span> }.into_any()),
        Delivery::Failed => {
            let client_id = line.key.clone();
            Some(
                view! {
                    <span class="tdw-status tdw-failed">
                        "Not sent. "
                        <button type="button" data-testid="retry" on:click=move |_| chat.retry(client_id.clone())>
                            "Retry"
                        </button>
                    </span>
                }
                .into_any(),
            )
        }
        Delivery::Sent => None,
    };
    view! {
        <li
            class="tdw-message"
            class:tdw-out=outgoing
            data-testid="message"
            data-status=line.delivery.as_str()
            data-direction=if outgoing { "out" } else { "in" }
        >
            {sender}
            <p class="tdw-text" data-testid="message-text">{line.text}</p>
            {status}
        </li>
    }
}
