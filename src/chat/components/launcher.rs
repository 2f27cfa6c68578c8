//! The launcher button that opens the chat (with its unread count), and the callout bubble above it.

use leptos::prelude::*;

use super::icon::Icon;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::settings::Settings;
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
        Signal::derive(move || {
            chat.panel
                .preview
                .with(|p| p.as_ref().map(pick).unwrap_or_default())
        })
    };
    view! {
        <Bubble
            name="preview"
            title=part(|p| p.0.clone())
            text=part(|p| p.1.clone())
            dismiss=Callback::new(move |_| chat.panel.close_preview())
        />
    }
}

/// The eye-catcher: a short invitation; clicking it opens the chat, its × dismisses it.
#[component]
fn Callout() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let or_default = move |pick: fn(&Settings) -> &str, default: Text| {
        Signal::derive(move || {
            chat.config.settings.with(|s| match pick(s) {
                "" => chat.text(default),
                own => own.to_owned(),
            })
        })
    };
    view! {
        <Bubble
            name="callout"
            title=or_default(|s| s.callout_title.as_str(), Text::CalloutTitle)
            text=or_default(|s| s.callout_msg.as_str(), Text::CalloutMessage)
            dismiss=Callback::new(move |_| chat.panel.hide_callout())
        />
    }
}

/// A bubble above the launcher (`name` for its test ids): its body opens the chat, its × calls `dismiss`.
#[component]
fn Bubble(
    name: &'static str,
    title: Signal<String>,
    text: Signal<String>,
    dismiss: Callback<()>,
) -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <div class="tdw-callout" data-testid=name role="status">
            <button type="button" class="tdw-callout-body" on:click=move |_| chat.set_open(true)>
                <strong>{title}</strong>
                <span class="tdw-bubble-text">{text}</span>
            </button>
            <button
                type="button"
                class="tdw-callout-close"
                data-testid=format!("{name}-close")
                aria-label=move || chat.text(Text::Dismiss)
                on:click=move |_| dismiss.run(())
            >
                <Icon path=CLOSE_ICON_PATH size=18 />
            </button>
        </div>
    }
}
