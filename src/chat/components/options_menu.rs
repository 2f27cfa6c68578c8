//! The header's options menu, as the Tiledesk widget's: sound on or off, the transcript, ending
//! the conversation (after a confirmation) and logging out, each as its settings allow.

use leptos::html::{Button, Div};
use leptos::prelude::*;

use super::icon::Icon;
use crate::chat::browser::download_text;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::{
    DOWNLOAD_ICON_PATH, END_ICON_PATH, LOGOUT_ICON_PATH, SOUND_OFF_ICON_PATH, SOUND_ON_ICON_PATH,
};
use crate::core::transcript::{file_name, transcript};

/// The menu under the header; Escape or choosing an item closes it (`close` gives the focus back
/// to its button), ending the conversation asks first (`confirm_end`).
#[component]
pub fn OptionsMenu(
    close: impl Fn() + Copy + Send + Sync + 'static,
    confirm_end: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let settings = chat.config.settings;
    let group = NodeRef::<Div>::new();
    Effect::new(move |_| {
        let first = group
            .get()
            .and_then(|g| g.query_selector("button").ok().flatten());
        if let Some(first) = first {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(first).focus();
        }
    });
    let home = move || chat.conversations.home.get();
    let sound_on = move || settings.with(|s| s.sound_enabled);
    let can_download = move || {
        !home()
            && settings.with(|s| s.allow_transcript_download)
            && chat
                .conversations
                .open
                .lines
                .with(|c| !c.lines().is_empty())
    };
    let can_end = move || {
        !home()
            && chat.conversations.has_conversation()
            && !chat.conversations.open.closed.get()
            && settings.with(|s| !s.hide_close_conversation_option_menu)
    };
    // As the Tiledesk widget: on the home view, or in the conversation of a single-conversation widget.
    let can_log_out = move || {
        settings.with(|s| s.show_logout_option && (s.single_conversation || home()))
            && chat.auth.signed_in_as().is_some()
    };
    let download = move || {
        let you = chat.text(Text::You);
        let text = chat.conversations.open.lines.with_untracked(|c| {
            transcript(
                &chat.text(Text::Transcript),
                &chat.conversations.open.title(),
                c.lines(),
                &you,
            )
        });
        download_text(
            &file_name(&chat.conversations.open.id().unwrap_or_default()),
            &text,
        );
    };
    view! {
        <div
            class="tdw-menu"
            id="tdw-options"
            role="group"
            data-testid="options-menu"
            aria-label=move || chat.text(Text::Options)
            node_ref=group
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    event.prevent_default();
                    event.stop_propagation();
                    close();
                }
            }
        >
            <button
                type="button"
                data-testid="sound"
                aria-pressed=move || if sound_on() { "true" } else { "false" }
                on:click=move |_| chat.set_sound(!sound_on())
            >
                {move || {
                    let (path, label) = if sound_on() {
                        (SOUND_ON_ICON_PATH, Text::SoundOn)
                    } else {
                        (SOUND_OFF_ICON_PATH, Text::SoundOff)
                    };
                    view! { <Icon path=path size=20 /> <span>{chat.text(label)}</span> }
                }}
            </button>
            <Show when=can_download>
                <button type="button" data-testid="transcript" on:click=move |_| { download(); close(); }>
                    <Icon path=DOWNLOAD_ICON_PATH size=20 />
                    <span>{move || chat.text(Text::DownloadTranscript)}</span>
                </button>
            </Show>
            <Show when=can_end>
                <button type="button" data-testid="end-conversation" on:click=move |_| { close(); confirm_end(); }>
                    <Icon path=END_ICON_PATH size=20 />
                    <span>{move || chat.text(Text::CloseConversation)}</span>
                </button>
            </Show>
            <Show when=can_log_out>
                <button type="button" data-testid="logout" on:click=move |_| { close(); chat.conversations.sign_out(); }>
                    <Icon path=LOGOUT_ICON_PATH size=20 />
                    <span>{move || chat.text(Text::LogOut)}</span>
                </button>
            </Show>
        </div>
    }
}

/// "Are you sure?" before the conversation ends; `done` once answered (Escape is a no).
#[component]
pub fn ConfirmEnd(done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let no = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if let Some(no) = no.get() {
            let _ = no.focus();
        }
    });
    view! {
        <div
            class="tdw-confirm"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="tdw-confirm-text"
            data-testid="confirm-end"
            on:keydown=move |event| {
                if event.key() == "Escape" {
                    event.prevent_default();
                    event.stop_propagation();
                    done();
                }
            }
        >
            <p id="tdw-confirm-text">{move || chat.text(Text::ConfirmEnd)}</p>
            <div class="tdw-confirm-actions">
                <button type="button" class="tdw-button" data-testid="confirm-end-no" node_ref=no on:click=move |_| done()>
                    {move || chat.text(Text::No)}
                </button>
                <button
                    type="button"
                    class="tdw-primary"
                    data-testid="confirm-end-yes"
                    on:click=move |_| {
                        done();
                        chat.conversations.end();
                    }
                >
                    {move || chat.text(Text::Yes)}
                </button>
            </div>
        </div>
    }
}
