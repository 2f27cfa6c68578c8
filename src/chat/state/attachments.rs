//! The file the visitor is about to send: picked with the paperclip, pasted or dropped, checked,
//! previewed (an image as a thumbnail) until sent or removed, uploaded with its progress shown,
//! then sent with the composer's text as its caption. A failed upload keeps the file and the text.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Map;

use super::{Base, Sending};
use crate::chat::net::api::ApiError;
use crate::chat::net::upload::upload;
use crate::core::commands::Outgoing;
use tiledesk_protocol::attachment::{file_urls, message, Picked, Refusal};

/// A file waiting to be sent.
#[derive(Clone)]
pub struct Pending {
    pub file: web_sys::File,
    pub picked: Picked,
    /// An object URL of an image or a recording, for its thumbnail or player.
    pub preview: Option<String>,
    /// The image's size in pixels, once its thumbnail has loaded.
    pub pixels: Option<(u32, u32)>,
}

/// Why the file is not (yet) sent, for the visitor.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Refused(Refusal),
    Upload(ApiError),
}

/// The attachments part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Attachments {
    pub pending: RwSignal<Option<Pending>, LocalStorage>,
    /// How much of the upload has gone, while it goes (0–100).
    pub progress: RwSignal<Option<u8>>,
    pub problem: RwSignal<Option<Problem>>,
    parts: Base,
    sending: Sending,
}

impl Attachments {
    pub fn new(parts: Base, sending: Sending) -> Self {
        Self {
            pending: RwSignal::new_local(None),
            progress: RwSignal::new(None),
            problem: RwSignal::new(None),
            parts,
            sending,
        }
    }

    /// Whether the visitor may attach files (`showAttachmentFooterButton`; reactive).
    pub fn enabled(self) -> bool {
        self.parts
            .config
            .settings
            .with(|s| s.show_attachment_footer_button)
    }

    /// The visitor chose `file`: kept for sending if `fileUploadAccept` and the size limit allow it.
    pub fn pick(self, file: web_sys::File) {
        let accept = self
            .parts
            .config
            .settings
            .with_untracked(|s| s.file_upload_accept.clone());
        self.keep(file, &accept);
    }

    /// A voice message the visitor recorded: any audio type (as the Tiledesk widget, whatever
    /// `fileUploadAccept` says), within the size limit.
    pub fn pick_recording(self, file: web_sys::File) {
        self.keep(file, "audio/*");
    }

    /// Keeps `file` for sending if `accept` and the size limit allow it.
    fn keep(self, file: web_sys::File, accept: &str) {
        if self.progress.get_untracked().is_some() {
            return;
        }
        let picked = Picked {
            name: file.name(),
            mime: file.type_(),
            size: file.size() as u64,
        };
        if let Err(refusal) = picked.check(accept) {
            self.problem.set(Some(Problem::Refused(refusal)));
            return;
        }
        let preview = (picked.is_image() || picked.mime.starts_with("audio/"))
            .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
            .flatten();
        self.remove();
        self.problem.set(None);
        self.pending.set(Some(Pending {
            file,
            picked,
            preview,
            pixels: None,
        }));
    }

    /// The thumbnail of the pending image has loaded at `width` × `height` pixels.
    pub fn measured(self, width: u32, height: u32) {
        self.pending.update(|pending| {
            if let Some(pending) = pending {
                pending.pixels = Some((width, height));
            }
        });
    }

    /// The visitor removed the pending file.
    pub fn remove(self) {
        if let Some(Pending {
            preview: Some(url), ..
        }) = self.pending.get_untracked()
        {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        self.pending.set(None);
        self.problem.set(None);
    }

    /// Uploads the pending file and sends it with `caption`; `sent` runs once it is on its way
    /// (so the composer clears its text only then).
    pub fn send(self, caption: String, sent: impl FnOnce() + 'static) {
        let Some(pending) = self.pending.get_untracked() else {
            return;
        };
        if self.progress.get_untracked().is_some() {
            return;
        }
        self.problem.set(None);
        self.progress.set(Some(0));
        let progress = self.progress;
        spawn_local(async move {
            let uploaded = async {
                let caller = self.parts.auth.caller().await?;
                let name = upload(
                    &caller.base,
                    &caller.token,
                    &caller.project_id,
                    &pending.file,
                    move |share| progress.set(Some(share)),
                )
                .await?;
                Ok::<_, ApiError>(file_urls(&caller.base, &name))
            };
            let result = uploaded.await;
            self.progress.set(None);
            match result {
                Ok(urls) => {
                    let uid = uuid::Uuid::new_v4().to_string();
                    let (kind, text, metadata) =
                        message(&pending.picked, &urls, pending.pixels, &uid, &caption);
                    self.remove();
                    sent();
                    self.sending.send_outgoing(Outgoing {
                        text,
                        kind,
                        metadata: Some(metadata),
                        attributes: Map::new(),
                    });
                }
                Err(error) => self.problem.set(Some(Problem::Upload(error))),
            }
        });
    }
}
