//! The launcher button that opens the chat (with its unread count), and the callout bubble above it.

use leptos::prelude::*;

use super::icon::Icon;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::{CHAT_ICON_PATH, CLOSE_ICON_PATH};

/// The launcher, shown while the panel is closed; the website owner's `baloonImage` replaces the
/// icon. It takes the focus back when the visitor closed the panel.
#[component]
pub fn Launcher() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = button.get() {
            if chat.panel.closed_by_visitor.get_untracked() {
                let _ = button.focus();
            }
        }
    });
    let image = move || chat.config.settings.with(|s| s.baloon_image.clone());
    let label = move || match chat.panel.unread.get() {
        0 => chat.text(Text::OpenChat).to_owned(),
        unread => format!(
            "{}, {unread} {}",
            chat.text(Text::OpenChat),
            chat.text(Text::UnreadMessages)
        ),
    };
    view! {
        <Show when=move || chat.panel.preview.with(Option::is_some) fallback=move || view! {
            <Show when=move || chat.panel.callout.get()>
                <Callout />
            </Show>
        }>
            <Preview />
        </Show>
        <button
            type="button"
            class="tdw-launcher"
            data-testid="launcher"
            aria-label=label
            node_ref=button
            on:click=move |_| chat.set_open(true)
        >
            {move || match image() {
                Some(src) => view! { <img src=src alt="" /> }.into_any(),
                None => {
                    view! {
                        <Icon path=CHAT_ICON_PATH size=28 />
                    }
                        .into_any()
                }
            }}
            <Show when=move || { chat.panel.unread.get() > 0 }>
                <span class="tdw-badge" data-testid="unread" aria-hidden="true">{move || chat.panel.unread.get()}</span>
            </Show>
        </button>
    }
}

/// The newest message while the panel is closed, as the Tiledesk widget previews it: clicking it
/// opens the chat, its × dismisses it (`onCloseMessagePreview`).
#[component]
fn Preview() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let part = move |pick: fn(&(String, String)) -> String| {
        move || {
            chat.panel
                .preview
                .with(|p| p.as_ref().map(pick).unwrap_or_default())
        }
    };
    view! {
        <div class="tdw-callout" data-testid="preview" role="status">
            <button type="button" class="tdw-callout-body" on:click=move |_| chat.set_open(true)>
                <strong>{part(|p| p.0.clone())}</strong>
                <span class="tdw-preview-text">{part(|p| p.1.clone())}</span>
            </button>
            <button
                type="button"
                class="tdw-callout-close"
                data-testid="preview-close"
                aria-label=move || chat.text(Text::Dismiss)
                on:click=move |_| chat.panel.close_preview()
            >
                <Icon path=CLOSE_ICON_PATH size=18 />
            </button>
        </div>
    }
}

/// The eye-catcher: a short invitation; clicking it opens the chat, its × dismisses it.
#[component]
fn Callout() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let title = move || {
        chat.config
            .settings
            .with(|s| match s.callout_title.as_str() {
                "" => chat.text(Text::CalloutTitle).to_owned(),
                title => title.to_owned(),
            })
    };
    let text = move || {
        chat.config.settings.with(|s| match s.callout_msg.as_str() {
            "" => chat.text(Text::CalloutMessage).to_owned(),
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
                aria-label=move || chat.text(Text::Dismiss)
                on:click=move |_| chat.panel.hide_callout()
            >
                <Icon path=CLOSE_ICON_PATH size=18 />
            </button>
        </div>
    }
}
