//! A voice message (`showAudioRecorderFooterButton`): recorded with the browser's MediaRecorder
//! between two presses of the microphone button, then kept as the file about to be sent, to
//! listen to, remove or send like any other.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobEvent, MediaRecorder, MediaStream};

use super::{Attachments, Config};

/// Where the recorder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recording {
    Idle,
    /// Waiting for the browser (and the visitor) to allow the microphone.
    Asking,
    Recording,
    /// The microphone could not be had (refused, missing, or blocked for the page).
    Unavailable,
}

/// A recording in progress: what must live until it stops.
struct Media {
    recorder: MediaRecorder,
    stream: MediaStream,
    _on_data: Closure<dyn FnMut(BlobEvent)>,
    _ticker: Interval,
}

/// The recorder part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Recorder {
    pub state: RwSignal<Recording>,
    /// Whole seconds recorded so far.
    pub seconds: RwSignal<u32>,
    media: StoredValue<Option<Media>, LocalStorage>,
    config: Config,
    attachments: Attachments,
}

impl Recorder {
    pub fn new(config: Config, attachments: Attachments) -> Self {
        Self {
            state: RwSignal::new(Recording::Idle),
            seconds: RwSignal::new(0),
            media: StoredValue::new_local(None),
            config,
            attachments,
        }
    }

    /// Whether the composer offers to record (`showAudioRecorderFooterButton`; reactive).
    pub fn enabled(self) -> bool {
        self.config
            .settings
            .with(|s| s.show_audio_recorder_footer_button)
    }

    /// Asks for the microphone and starts recording.
    pub fn start(self) {
        if matches!(
            self.state.get_untracked(),
            Recording::Asking | Recording::Recording
        ) {
            return;
        }
        self.state.set(Recording::Asking);
        spawn_local(async move {
            match self.begin().await {
                Some(media) => {
                    self.seconds.set(0);
                    self.media.set_value(Some(media));
                    self.state.set(Recording::Recording);
                }
                None => self.state.set(Recording::Unavailable),
            }
        });
    }

    /// Stops recording; once the browser has the last of it, it becomes the file about to be sent.
    pub fn stop(self) {
        self.media.with_value(|media| {
            if let Some(media) = media {
                let _ = media.recorder.stop();
            }
        });
        if self.state.get_untracked() != Recording::Unavailable {
            self.state.set(Recording::Idle);
        }
    }

    /// The microphone's stream, recording into chunks that become a file when it stops.
    async fn begin(self) -> Option<Media> {
        let devices = web_sys::window()?.navigator().media_devices().ok()?;
        let constraints = web_sys::MediaStreamConstraints::new();
        constraints.set_audio(&true.into());
        let request = devices.get_user_media_with_constraints(&constraints).ok()?;
        let stream: MediaStream = JsFuture::from(request).await.ok()?.unchecked_into();
        let recorder = MediaRecorder::new_with_media_stream(&stream).ok()?;
        let chunks: Rc<RefCell<Vec<Blob>>> = Rc::default();
        let collect = chunks.clone();
        let on_data = Closure::<dyn FnMut(BlobEvent)>::new(move |event: BlobEvent| {
            if let Some(data) = event.data() {
                collect.borrow_mut().push(data);
            }
        });
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        let watched = recorder.clone();
        // After the last data: the file is made, and the microphone and the closures let go.
        let on_stop = Closure::once_into_js(move || {
            if let Some(file) = recording_file(&chunks.borrow(), &watched.mime_type()) {
                self.attachments.pick_recording(file);
            }
            self.media.set_value(None);
        });
        recorder.set_onstop(Some(on_stop.unchecked_ref()));
        recorder.start().ok()?;
        let seconds = self.seconds;
        let ticker = Interval::new(1_000, move || seconds.update(|s| *s += 1));
        Some(Media {
            recorder,
            stream,
            _on_data: on_data,
            _ticker: ticker,
        })
    }
}

impl Drop for Media {
    fn drop(&mut self) {
        for track in self.stream.get_tracks().iter() {
            track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
        }
    }
}

/// The recorded chunks as a file named as the Tiledesk widget names them (`audio-<time>`), with
/// the extension of the browser's format.
fn recording_file(chunks: &[Blob], mime: &str) -> Option<web_sys::File> {
    let parts = js_sys::Array::new();
    for chunk in chunks {
        parts.push(chunk);
    }
    let kind = mime.split(';').next().unwrap_or_default().trim();
    let kind = if kind.is_empty() { "audio/webm" } else { kind };
    let extension = match kind {
        "audio/ogg" => "ogg",
        "audio/mp4" | "audio/aac" => "m4a",
        "audio/mpeg" => "mp3",
        _ => "webm",
    };
    let options = web_sys::FilePropertyBag::new();
    options.set_type(kind);
    let time = js_sys::Number::from(js_sys::Date::now())
        .to_string_with_radix(36)
        .ok()?;
    let name = format!("audio-{}.{extension}", String::from(time));
    web_sys::File::new_with_blob_sequence_and_options(&parts, &name, &options).ok()
}
