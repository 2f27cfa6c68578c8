//! The other side's typing: three dots at the end of the conversation or a line in the header, as
//! `typingLocation` says, and a polite announcement for screen readers either way.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::typing::{writing_label, TypingLocation};

/// "Ada is writing…" while someone on the other side types (reactive); `None` otherwise.
fn label(chat: Chat) -> Option<String> {
    let typist = chat.conversations.open.activity.typist.get()?;
    Some(writing_label(&typist.name, &chat.text(Text::IsWriting)))
}

/// Whether the typing shows at `location` (reactive).
fn shows_at(chat: Chat, location: TypingLocation) -> bool {
    chat.conversations
        .open
        .activity
        .typist
        .with(Option::is_some)
        && chat.config.settings.with(|s| s.typing_location) == location
}

/// The dots bubble below the newest message (`typingLocation: content`).
#[component]
pub fn TypingBubble() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <Show when=move || shows_at(chat, TypingLocation::Content)>
            <div class="tdw-typing" data-testid="typing" aria-hidden="true">
                <span></span>
                <span></span>
                <span></span>
            </div>
        </Show>
    }
}

/// The line under the title (`typingLocation: header`).
#[component]
pub fn HeaderTyping() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <Show when=move || shows_at(chat, TypingLocation::Header)>
            <p class="tdw-header-typing" data-testid="typing" aria-hidden="true">
                {move || label(chat)}
            </p>
        </Show>
    }
}

/// What screen readers hear: the same words wherever the typing shows.
#[component]
pub fn TypingStatus() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <p class="tdw-sr" role="status" data-testid="typing-status">
            {move || label(chat)}
        </p>
    }
}
