//! Where the visitor writes: Enter sends, Shift+Enter starts a new line; the other side learns
//! that the visitor is typing. The paperclip (and pasting a file) attaches one, sent with the
//! text as its caption; the emoji button opens the picker, which inserts at the caret.

use leptos::html::Input;
use leptos::prelude::*;
use serde_json::Value;
use tiledesk_protocol::bridge::WidgetEvent;

use super::attachment::AttachmentPreview;
use super::emoji::EmojiPicker;
use super::icon::Icon;
use super::powered_by::PoweredBy;
use super::recorder::RecordButton;
use crate::chat::state::Recording;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::{ATTACH_ICON_PATH, EMOJI_ICON_PATH, SEND_ICON_PATH};

/// The first file of `files`, if any.
pub fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|files| files.get(0))
}

/// The message box and send button; focused when the panel opens. Shown for a new
/// conversation, it tells the page (`onNewConversationComponentInit`).
#[component]
pub fn Composer() -> impl IntoView {
    let chat = expect_context::<Chat>();
    if untrack(|| chat.conversations.open.is_new()) {
        chat.page
            .emit_in_context(WidgetEvent::NewConversationComponentInit, Value::Null);
    }
    let attachments = chat.attachments;
    // What the visitor wrote in the shell's frame while the chat loaded.
    let handed = chat.panel.take_draft();
    let draft = RwSignal::new(handed.text);
    let input = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let has_file = move || attachments.pending.with(Option::is_some);
    // A bot may close the box (its buttons answer) and name what to write.
    let request = Memo::new(move |_| chat.conversations.open.lines.with(|c| c.composer_request()));
    let takes_text = move || request.with(|r| r.0);
    let picking = RwSignal::new(false);
    let emoji_button = NodeRef::<leptos::html::Button>::new();
    // The emoji goes where the caret is (over any selection), and the caret after it.
    let insert = move |emoji: String| {
        let Some(area) = input.get_untracked() else {
            return;
        };
        let text = draft.get_untracked();
        let utf16: Vec<u16> = text.encode_utf16().collect();
        let len = utf16.len() as u32;
        let start = area
            .selection_start()
            .ok()
            .flatten()
            .unwrap_or(len)
            .min(len) as usize;
        let end = area.selection_end().ok().flatten().unwrap_or(len).min(len) as usize;
        let (before, after) = (
            String::from_utf16_lossy(&utf16[..start]),
            String::from_utf16_lossy(&utf16[end.max(start)..]),
        );
        let caret = (start + emoji.encode_utf16().count()) as u32;
        draft.set(format!("{before}{emoji}{after}"));
        area.set_value(&draft.get_untracked());
        let _ = area.focus();
        let _ = area.set_selection_range(caret, caret);
        picking.set(false);
    };
    let close_picker = move || {
        picking.set(false);
        if let Some(button) = emoji_button.get_untracked() {
            let _ = button.focus();
        }
    };
    let submit = move || {
        let text = draft.get_untracked().trim().to_owned();
        chat.conversations.open.activity.stopped();
        if !takes_text() {
            return;
        }
        if has_file() {
            // The text goes as the caption, and is cleared only once the file is on its way.
            attachments.send(text, move || draft.set(String::new()));
        } else if !text.is_empty() {
            draft.set(String::new());
            chat.sending.send(text);
        }
    };
    if handed.send {
        queue_microtask(submit);
    }
    let accepts_text = Signal::derive(takes_text);
    let placeholder = Signal::derive(move || {
        request
            .with(|r| r.1.clone())
            .unwrap_or_else(|| chat.text(Text::TypeMessage))
    });
    let can_send = Signal::derive(move || {
        accepts_text.get()
            && attachments.progress.get().is_none()
            && (has_file() || draft.with(|d| !d.trim().is_empty()))
    });
    // An empty box offers the microphone in the send button's place, as the Tiledesk widget's.
    let records = Memo::new(move |_| {
        chat.recorder.enabled()
            && accepts_text.get()
            && !has_file()
            && draft.with(|d| d.trim().is_empty())
            || chat.recorder.state.get() == Recording::Recording
    });
    view! {
        <AttachmentPreview />
        <Show when=move || picking.get()>
            <EmojiPicker pick=insert close=close_picker />
        </Show>
        <form
            class="tdw-composer"
            on:submit=move |event| {
                event.prevent_default();
                submit();
            }
        >
            <AttachButton takes_text=accepts_text />
            <EmojiButton open=picking button=emoji_button />
            <MessageBox draft=draft input=input placeholder=placeholder takes_text=accepts_text submit=submit />
            <Show
                when=move || records.get()
                fallback=move || view! {
                    <button
                        type="submit"
                        class="tdw-send"
                        data-testid="send"
                        aria-label=move || chat.text(Text::Send)
                        disabled=move || !can_send.get()
                    >
                        <Icon path=SEND_ICON_PATH size=22 />
                    </button>
                }
            >
                <RecordButton />
            </Show>
        </form>
        <PoweredBy />
    }
    .into_any()
}

/// The paperclip and its hidden file input (`showAttachmentFooterButton`, `fileUploadAccept`).
#[component]
fn AttachButton(takes_text: Signal<bool>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let attachments = chat.attachments;
    let file_input = NodeRef::<Input>::new();
    view! {
        <Show when=move || attachments.enabled()>
            <input
                type="file"
                hidden
                data-testid="file-input"
                accept=move || chat.config.settings.with(|s| s.file_upload_accept.clone())
                node_ref=file_input
                on:change=move |event| {
                    let target: web_sys::HtmlInputElement = event_target(&event);
                    if let Some(file) = first_file(target.files()) {
                        attachments.pick(file);
                    }
                    target.set_value("");
                }
            />
            <button
                type="button"
                class="tdw-attach"
                data-testid="attach"
                aria-label=move || chat.text(Text::AttachFile)
                disabled=move || attachments.progress.get().is_some() || !takes_text.get()
                on:click=move |_| {
                    if let Some(input) = file_input.get_untracked() {
                        input.click();
                    }
                }
            >
                <Icon path=ATTACH_ICON_PATH size=22 />
            </button>
        </Show>
    }
    .into_any()
}

/// The button that opens and closes the emoji picker (`showEmojiFooterButton`).
#[component]
fn EmojiButton(open: RwSignal<bool>, button: NodeRef<leptos::html::Button>) -> impl IntoView {
    let chat = expect_context::<Chat>();
    view! {
        <Show when=move || chat.config.settings.with(|s| s.show_emoji_footer_button)>
            <button
                type="button"
                class="tdw-attach"
                data-testid="emoji-button"
                node_ref=button
                aria-label=move || chat.text(Text::Emoji)
                aria-expanded=move || if open.get() { "true" } else { "false" }
                on:click=move |_| open.update(|open| *open = !*open)
            >
                <Icon path=EMOJI_ICON_PATH size=22 />
            </button>
        </Show>
    }
    .into_any()
}

/// The message box: typing is told, a pasted file is attached, Enter sends.
#[component]
fn MessageBox(
    draft: RwSignal<String>,
    input: NodeRef<leptos::html::Textarea>,
    placeholder: Signal<String>,
    takes_text: Signal<bool>,
    submit: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let chat = expect_context::<Chat>();
    let attachments = chat.attachments;
    view! {
        <textarea
            data-testid="composer"
            aria-label=move || chat.text(Text::MessageLabel)
            placeholder=move || placeholder.get()
            disabled=move || !takes_text.get()
            rows="1"
            node_ref=input
            prop:value=move || draft.get()
            on:input=move |event| {
                let text = event_target_value(&event);
                chat.conversations.open.activity.typed(text.trim().is_empty());
                draft.set(text);
            }
            on:paste=move |event: web_sys::ClipboardEvent| {
                if !attachments.enabled() {
                    return;
                }
                if let Some(file) = first_file(event.clipboard_data().and_then(|d| d.files())) {
                    event.prevent_default();
                    attachments.pick(file);
                }
            }
            on:keydown=move |event| {
                if event.key() == "Enter" && !event.shift_key() && !event.is_composing() {
                    event.prevent_default();
                    submit();
                }
            }
        ></textarea>
    }
    .into_any()
}
