//! The composer's microphone (`showAudioRecorderFooterButton`): a press starts recording, the
//! next ends it (the button's pressed state says which), with the time recorded shown as a timer;
//! the recording then waits as the file about to be sent.

use leptos::prelude::*;

use super::icon::Icon;
use crate::chat::state::Recording;
use crate::chat::Chat;
use crate::core::i18n::Text;
use crate::core::theme::{MIC_ICON_PATH, STOP_ICON_PATH};

/// The button, the time recorded while it records, and why the microphone is unavailable.
#[component]
pub fn RecordButton() -> impl IntoView {
    let chat = expect_context::<Chat>();
    let recorder = chat.recorder;
    let recording = move || recorder.state.get() == Recording::Recording;
    // Closing the panel or leaving the conversation ends a recording.
    on_cleanup(move || recorder.stop());
    let label = move || {
        chat.text(if recording() {
            Text::StopRecording
        } else {
            Text::RecordVoice
        })
    };
    view! {
        <Show when=move || recorder.state.get() == Recording::Unavailable>
            <p class="tdw-error tdw-recorder-error" role="alert" data-testid="microphone-unavailable">
                {move || chat.text(Text::MicrophoneUnavailable)}
            </p>
        </Show>
        <Show when=recording>
            <span class="tdw-recording" role="timer" data-testid="recording">
                {move || {
                    let seconds = recorder.seconds.get();
                    format!("{} {}:{:02}", chat.text(Text::RecordingNow), seconds / 60, seconds % 60)
                }}
            </span>
        </Show>
        <button
            type="button"
            class="tdw-send"
            class:tdw-recording-button=recording
            data-testid="record"
            aria-label=label
            aria-pressed=move || recording().to_string()
            disabled=move || recorder.state.get() == Recording::Asking
            on:click=move |_| if recording() { recorder.stop() } else { recorder.start() }
        >
            {move || {
                if recording() {
                    view! { <Icon path=STOP_ICON_PATH size=22 /> }.into_any()
                } else {
                    view! { <Icon path=MIC_ICON_PATH size=22 /> }.into_any()
                }
            }}
        </button>
    }
}
