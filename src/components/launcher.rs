//! The launcher button that opens the chat, and the callout bubble that can sit above it.

use leptos::prelude::*;

use crate::chat::Chat;

/// The launcher, shown while the panel is closed; the website owner's `baloonImage` replaces the icon.
#[component]
pub fn Launcher() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let image = move || chat.settings.with(|s| s.baloon_image.clone());
    view! {
        <Show when=move || chat.callout.get()>
            <Callout />
        </Show>
        <button
            type="button"
            class="tdw-launcher"
            data-testid="launcher"
            aria-label="Open chat"
            on:click=move |_| chat.set_open(true)
        >
            {move || match image() {
                Some(src) => view! { <img src=src alt="" /> }.into_any(),
                None => {
                    view! {
                        <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
                            <path
                                fill="currentColor"
                                d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-4 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"
                            />
                        </svg>
                    }
                        .into_any()
                }
            }}
        </button>
    }
}

/// The eye-catcher: a short invitation; clicking it opens the chat, its × dismisses it.
#[component]
fn Callout() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let title = move || {
        chat.settings.with(|s| match s.callout_title.as_str() {
            "" => "Need help?".to_owned(),
            title => title.to_owned(),
        })
    };
    let text = move || {
        chat.settings.with(|s| match s.callout_msg.as_str() {
            "" => "Click here and start chatting with us!".to_owned(),
            text => text.to_owned(),
        })
    };
    view! {
        <div class="tdw-callout" data-testid="callout" role="status">
            <button type="button" class="tdw-callout-body" on:click=move |_| chat.set_open(true)>
                <strong>{title}</strong>
                <span>{text}</span>
            </button>
            <button
                type="button"
                class="tdw-callout-close"
                data-testid="callout-close"
                aria-label="Dismiss"
                on:click=move |_| chat.hide_callout()
            >
                "×"
            </button>
        </div>
    }
}
