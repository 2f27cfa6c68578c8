//! The open chat panel: header, notices, messages and the composer (or the pre-chat form or the
//! department chooser before a new conversation).

use leptos::prelude::*;

use super::closed::Closed;
use super::header::Header;
use super::home::Home;
use super::typing::TypingStatus;
use super::web_page::WebPage;
use super::{
    composer::{first_file, Composer},
    departments::Departments,
    message_list::MessageList,
    pre_chat_form::PreChatForm,
};
use crate::chat::Chat;
use crate::core::i18n::Text;

/// What the bottom of the panel offers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Footer {
    Nothing,
    Closed,
    PreChat,
    Departments,
    Composer,
}

/// The panel, shown while the chat is open; Escape closes it.
#[component]
pub fn Panel() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let title = move || {
        chat.config
            .settings
            .with(|s| match s.widget_title.as_str() {
                "" => chat.text(Text::DefaultTitle).to_owned(),
                title => title.to_owned(),
            })
    };
    // A memo, so that the composer (and what the visitor typed) is rebuilt only when another
    // footer takes its place, not whenever a setting it depends on arrives.
    let footer = Memo::new(move |_| {
        if chat.conversations.home.get() {
            Footer::Nothing
        } else if chat.conversations.open.closed.get()
            && chat.config.settings.with(|s| !s.allow_reopen)
        {
            Footer::Closed
        } else if chat.needs_pre_chat() {
            Footer::PreChat
        } else if chat.needs_department() {
            Footer::Departments
        } else {
            Footer::Composer
        }
    });
    // A file dragged over the panel is sent from the composer when dropped.
    let droppable = move || footer.get() == Footer::Composer && chat.attachments.enabled();
    let dragging = RwSignal::new(false);
    view! {
        <section
            class="tdw-panel"
            data-testid="panel"
            role="dialog"
            aria-label=title
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    chat.close_from_panel();
                }
            }
            on:dragover=move |event: web_sys::DragEvent| {
                if droppable() {
                    event.prevent_default();
                    dragging.set(true);
                }
            }
            on:dragleave=move |event: web_sys::DragEvent| {
                if event.related_target().is_none() {
                    dragging.set(false);
                }
            }
            on:drop=move |event: web_sys::DragEvent| {
                dragging.set(false);
                if !droppable() {
                    return;
                }
                event.prevent_default();
                if let Some(file) = first_file(event.data_transfer().and_then(|d| d.files())) {
                    chat.attachments.pick(file);
                }
            }
        >
            <Show when=move || dragging.get()>
                <div class="tdw-drop" data-testid="drop-zone" aria-hidden="true">{move || chat.text(Text::DropHere)}</div>
            </Show>
            <Header title=Signal::derive(title) />
            <TypingStatus />
            <WebPage />
            <Show when=move || chat.intake.agents_available.get() == Some(false)>
                <p class="tdw-notice" data-testid="offline">{move || chat.text(Text::NoAgents)}</p>
            </Show>
            <Show when=move || !chat.conversations.home.get() fallback=|| view! { <Home /> }>
                <MessageList />
            </Show>
            {move || {
                chat.panel.error
                    .get()
                    .map(|error| {
                        view! { <p class="tdw-error" role="alert" data-testid="error">{chat.config.describe(&error)}</p> }
                    })
            }}
            {move || match footer.get() {
                Footer::Nothing => ().into_any(),
                Footer::Closed => view! { <Closed /> }.into_any(),
                Footer::PreChat => view! { <PreChatForm /> }.into_any(),
                Footer::Departments => view! { <Departments /> }.into_any(),
                Footer::Composer => view! { <Composer /> }.into_any(),
            }}
        </section>
    }
}
