//! What replaces the composer once a conversation is closed: a note, the rating and its comment,
//! and a way to start a new conversation.

use leptos::prelude::*;

use super::icon::Icon;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::STAR_ICON_PATH;

/// Shown instead of the composer once the conversation is closed (unless `allowReopen`): a note,
/// a 1–5 rating (`nativeRating`) and a way to start a new conversation.
#[component]
pub fn Closed() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <div class="tdw-closed" data-testid="closed">
            <p>{move || chat.text(Text::ConversationClosed)}</p>
            <Show when=move || chat.config.settings.with(|s| s.native_rating)>
                <Rating />
            </Show>
            <button type="button" class="tdw-primary" on:click=move |_| chat.conversations.switch(None)>
                {move || chat.text(Text::NewConversation)}
            </button>
        </div>
    }
}

/// After the stars, an optional comment sent with the rating (`rating_message`); what was written
/// stays if sending fails.
#[component]
fn RatingComment() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let text = RwSignal::new(String::new());
    view! {
        <Show when=move || !chat.conversations.commented.get()>
            <form
                class="tdw-rating-comment"
                on:submit=move |event| {
                    event.prevent_default();
                    let comment = text.get_untracked().trim().to_owned();
                    if !comment.is_empty() {
                        chat.conversations.comment(comment);
                    }
                }
            >
                <label for="tdw-rating-comment">{move || chat.text(Text::RatingComment)}</label>
                <textarea
                    id="tdw-rating-comment"
                    data-testid="rating-comment"
                    rows="2"
                    prop:value=move || text.get()
                    on:input=move |event| text.set(event_target_value(&event))
                ></textarea>
                <button type="submit" class="tdw-button" data-testid="send-rating-comment" disabled=move || text.with(|t| t.trim().is_empty())>
                    {move || chat.text(Text::Send)}
                </button>
            </form>
        </Show>
    }
}

/// Five stars to rate the closed conversation, then thanks.
#[component]
fn Rating() -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <Show
            when=move || !chat.conversations.rated.get()
            fallback=move || view! { <p data-testid="rated">{move || chat.text(Text::ThankYou)}</p> <RatingComment /> }
        >
            <p id="tdw-rate">{move || chat.text(Text::RateConversation)}</p>
            <div class="tdw-rating" role="group" aria-labelledby="tdw-rate">
                {(1..=5)
                    .map(|score| {
                        view! {
                            <button
                                type="button"
                                data-testid="rate"
                                aria-label=format!("{score}/5")
                                on:click=move |_| chat.conversations.rate(score)
                            >
                                <Icon path=STAR_ICON_PATH size=28 />
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </Show>
    }
}
