//! The file about to be sent, above the composer: an image's thumbnail or a file's name and size,
//! a way to remove it, the upload's progress, and why a file cannot be sent.

use leptos::prelude::*;

use super::icon::Icon;
use crate::chat::net::api::ApiError;
use crate::chat::state::Problem;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::CLOSE_ICON_PATH;
use tiledesk_protocol::attachment::{human_size, Refusal};

/// What the visitor should know about the file they tried to send.
fn problem_text(problem: &Problem) -> Text {
    match problem {
        Problem::Refused(Refusal::Size)
        | Problem::Upload(ApiError::Refused { status: 413, .. }) => Text::FileTooBig,
        Problem::Refused(Refusal::Type)
        | Problem::Upload(ApiError::Refused { status: 415, .. }) => Text::FileType,
        Problem::Refused(Refusal::Empty) => Text::FileEmpty,
        Problem::Upload(_) => Text::UploadFailed,
    }
}

/// The pending file and the notice of a refused one.
#[component]
pub fn AttachmentPreview() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let attachments = chat.attachments;
    let problem = move || {
        attachments.problem.get().map(|problem| {
            view! {
                <p class="tdw-error" role="alert" data-testid="attachment-error">
                    {move || chat.text(problem_text(&problem))}
                </p>
            }
        })
    };
    let pending = move || {
        attachments.pending.get().map(|pending| {
            let picked = pending.picked.clone();
            let audio = picked.mime.starts_with("audio/");
            let thumbnail = pending.preview.clone().map(|src| {
                if audio {
                    return view! {
                        <audio controls src=src data-testid="recording-preview" aria-label=picked.name.clone()></audio>
                    }
                    .into_any();
                }
                view! {
                    <img
                        src=src
                        alt=""
                        on:load=move |event| {
                            let image: web_sys::HtmlImageElement = event_target(&event);
                            attachments.measured(image.natural_width(), image.natural_height());
                        }
                    />
                }
                .into_any()
            });
            view! {
                <div class="tdw-attachment" data-testid="attachment">
                    {thumbnail}
                    <span class="tdw-attachment-name">
                        {picked.name.clone()}
                        <small>" · " {human_size(picked.size)}</small>
                    </span>
                    {move || {
                        attachments.progress.get().map(|share| {
                            view! {
                                <progress
                                    max="100"
                                    value=share
                                    data-testid="upload-progress"
                                    aria-label=move || chat.text(Text::Uploading)
                                ></progress>
                            }
                        })
                    }}
                    <button
                        type="button"
                        class="tdw-close"
                        data-testid="remove-attachment"
                        aria-label=move || chat.text(Text::RemoveAttachment)
                        disabled=move || attachments.progress.get().is_some()
                        on:click=move |_| attachments.remove()
                    >
                        <Icon path=CLOSE_ICON_PATH size=18 />
                    </button>
                </div>
            }
        })
    };
    view! { {problem} {pending} }
}
