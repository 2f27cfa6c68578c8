//! The file an agent is about to send: picked with the attach button or pasted, checked, shown (name, size, an image's thumbnail) with a way to remove it.

use leptos::prelude::*;
use tiledesk_protocol::attachment::{human_size, Picked};

use crate::core::media::{refusal_text, AGENT_ACCEPT};

/// A file waiting to be sent.
#[derive(Clone)]
pub struct Pending {
    pub file: web_sys::File,
    pub picked: Picked,
    /// An object URL of an image, for its thumbnail.
    pub preview: Option<String>,
    /// The image's size in pixels, once its thumbnail has loaded.
    pub pixels: Option<(u32, u32)>,
}

impl Pending {
    /// `file` ready to send, or why it cannot be sent.
    pub fn new(file: web_sys::File) -> Result<Pending, &'static str> {
        let picked = Picked {
            name: file.name(),
            mime: file.type_(),
            size: file.size() as u64,
        };
        picked.check(AGENT_ACCEPT).map_err(refusal_text)?;
        let preview = picked
            .is_image()
            .then(|| web_sys::Url::create_object_url_with_blob(&file).ok())
            .flatten();
        Ok(Pending {
            file,
            picked,
            preview,
            pixels: None,
        })
    }

    /// Frees its thumbnail.
    pub fn release(&self) {
        if let Some(url) = &self.preview {
            let _ = web_sys::Url::revoke_object_url(url);
        }
    }
}

/// The first file of `files`, if any.
pub fn first_file(files: Option<web_sys::FileList>) -> Option<web_sys::File> {
    files.and_then(|files| files.get(0))
}

/// The pending file: its thumbnail (an image), name and size, and a button that removes it.
#[component]
pub fn AttachmentPreview(
    pending: RwSignal<Option<Pending>, LocalStorage>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let remove = move |_| {
        if let Some(file) = pending.get_untracked() {
            file.release();
        }
        pending.set(None);
    };
    // Not the pixels: measuring the thumbnail must not draw it again.
    let shown = Memo::new(move |_| {
        pending.with(|file| {
            file.as_ref()
                .map(|file| (file.picked.clone(), file.preview.clone()))
        })
    });
    move || {
        shown.get().map(|(picked, preview)| {
            let thumbnail = preview.map(|src| {
                view! {
                    <img src=src alt="" class="tdc-thumbnail"
                        on:load=move |ev| {
                            let image: web_sys::HtmlImageElement = event_target(&ev);
                            let pixels = (image.natural_width(), image.natural_height());
                            pending.update(|file| {
                                if let Some(file) = file {
                                    file.pixels = Some(pixels);
                                }
                            });
                        } />
                }
            });
            view! {
                <div class="tdc-attachment" data-testid="attachment">
                    {thumbnail}
                    <span class="tdc-attachment-name">
                        {picked.name.clone()}
                        <span class="tdc-muted">" · " {human_size(picked.size)}</span>
                    </span>
                    <button type="button" class="tdc-secondary" data-testid="remove-attachment"
                        aria-label=format!("Remove {}", picked.name) disabled=busy on:click=remove>
                        "Remove"
                    </button>
                </div>
            }
        })
    }
}
