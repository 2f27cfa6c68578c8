//! A page a bot's link button opens inside the widget (`target: "self"`, Tiledesk's in-widget
//! frame): over the conversation, in a sandboxed frame, with a way back and (with
//! `openExternalLinkButton`) a link that opens it in a new tab; the widget's own frame never
//! navigates away.

use leptos::html::Button;
use leptos::prelude::*;

use super::icon::Icon;
use super::message_body::frame_sandbox;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::{BACK_ICON_PATH, OPEN_IN_NEW_ICON_PATH};

/// The page, while one is open.
#[component]
pub fn WebPage() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let back = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if let Some(back) = back.get() {
            let _ = back.focus();
        }
    });
    move || {
        chat.panel.web_page.get().map(|src| {
            let host = web_sys::Url::new(&src)
                .map(|url| url.host())
                .unwrap_or_default();
            let external = chat
                .config
                .settings
                .with_untracked(|s| s.open_external_link_button)
                .then(|| src.clone());
            view! {
                <div
                    class="tdw-web-page"
                    data-testid="web-page"
                    on:keydown=move |event| {
                        if event.key() == "Escape" {
                            event.stop_propagation();
                            chat.panel.web_page.set(None);
                        }
                    }
                >
                    <div class="tdw-web-page-bar">
                        <button
                            type="button"
                            class="tdw-close"
                            data-testid="web-page-back"
                            node_ref=back
                            aria-label=move || chat.text(Text::Back)
                            on:click=move |_| chat.panel.web_page.set(None)
                        >
                            <Icon path=BACK_ICON_PATH size=20 />
                        </button>
                        <span>{host.clone()}</span>
                        {external.map(|href| view! {
                            <a
                                class="tdw-close tdw-external"
                                data-testid="web-page-external"
                                href=href
                                target="_blank"
                                rel="noopener noreferrer"
                                aria-label=move || chat.text(Text::OpenInNewWindow)
                                title=move || chat.text(Text::OpenInNewWindow)
                            >
                                <Icon path=OPEN_IN_NEW_ICON_PATH size=20 />
                            </a>
                        })}
                    </div>
                    <iframe
                        src=src.clone()
                        title=host
                        sandbox=frame_sandbox(&src)
                        referrerpolicy="strict-origin-when-cross-origin"
                    ></iframe>
                </div>
            }
        })
    }
}
