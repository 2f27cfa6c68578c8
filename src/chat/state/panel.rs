//! The widget's frame on the page: shown or hidden, open or closed, the callout, the preview of
//! the newest message while closed, the unread counts (the launcher's and the tab title's) and
//! the notice of the last error.

use leptos::prelude::*;
use tiledesk_protocol::bridge::{LayoutMode, WidgetEvent, WidgetToHost};

use super::config::Config;
use super::page::Page;
use crate::chat::browser::play_tone;
use crate::chat::net::api::ApiError;
use crate::core::handover::Draft;
use crate::core::settings::PanelSize;
use crate::core::storage_keys::{IS_OPEN, SIZE};
use crate::platform::browser::is_mobile;
use crate::platform::storage::Store;

/// The panel part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Panel {
    pub visible: RwSignal<bool>,
    pub open: RwSignal<bool>,
    pub callout: RwSignal<bool>,
    /// The newest message from someone else while the panel is closed (sender, text), as the
    /// Tiledesk widget previews it above the launcher.
    pub preview: RwSignal<Option<(String, String)>>,
    /// Messages from others that arrived while the panel was closed.
    pub unread: RwSignal<u32>,
    /// Whether the visitor closed the panel (so the launcher takes the focus back).
    pub closed_by_visitor: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// Whether the host page is visible (its tab in front, the window not minimised).
    pub page_visible: RwSignal<bool>,
    /// Messages from others that arrived while the page was hidden, for the tab's title.
    hidden_unread: RwSignal<u32>,
    /// A page a link button opens inside the widget (`target: "self"`), over the conversation.
    pub web_page: RwSignal<Option<String>>,
    /// The size the visitor chose for the open panel, remembered across pages.
    chosen_size: RwSignal<Option<PanelSize>>,
    /// What the visitor wrote in the shell's frame, until a message box takes it.
    handed_draft: StoredValue<Draft>,
    config: Config,
    page: Page,
    store: StoredValue<Store>,
}

impl Panel {
    /// The panel closed, shown unless the settings start it hidden.
    pub fn new(config: Config, page: Page, store: StoredValue<Store>) -> Self {
        Self {
            visible: RwSignal::new(!config.settings.with_untracked(|s| s.start_hidden)),
            open: RwSignal::new(false),
            callout: RwSignal::new(false),
            preview: RwSignal::new(None),
            unread: RwSignal::new(0),
            closed_by_visitor: RwSignal::new(false),
            error: RwSignal::new(None),
            page_visible: RwSignal::new(!page_hidden()),
            hidden_unread: RwSignal::new(0),
            web_page: RwSignal::new(None),
            chosen_size: RwSignal::new(
                store
                    .with_value(|s| s.get(SIZE))
                    .and_then(|size| PanelSize::parse(&size)),
            ),
            handed_draft: StoredValue::new(Draft::default()),
            config,
            page,
            store,
        }
    }

    /// Keeps what the visitor wrote in the shell's frame for the message box.
    pub fn hand_draft(self, draft: Draft) {
        self.handed_draft.set_value(draft);
    }

    /// What the visitor wrote in the shell's frame, once: the first message box takes it.
    pub fn take_draft(self) -> Draft {
        self.handed_draft
            .try_update_value(std::mem::take)
            .unwrap_or_default()
    }

    /// Keeps the host page's iframe in the shape of what shows (an effect for the chat's life).
    pub fn keep_layout(self) {
        Effect::new(move |_| {
            let bubble = self.callout.get() || self.preview.with(Option::is_some);
            let mode = match (self.visible.get(), self.open.get(), bubble) {
                (false, _, _) => LayoutMode::Hidden,
                (true, true, _) => LayoutMode::Open,
                (true, false, true) => LayoutMode::Callout,
                (true, false, false) => LayoutMode::Closed,
            };
            let size = self.size();
            let geometry = self.config.settings.with(|s| s.geometry_sized(size));
            self.page.post(WidgetToHost::Layout {
                mode,
                geometry: Some(geometry),
            });
        });
    }

    /// Keeps `page_visible` as the page is, and the host tab's title counting what came while it
    /// was hidden (a listener and an effect for the chat's life).
    pub fn watch_page_visibility(self) {
        let (visible, unread) = (self.page_visible, self.hidden_unread);
        window_event_listener(leptos::ev::visibilitychange, move |_| {
            visible.set(!page_hidden());
            if visible.get_untracked() {
                unread.set(0);
            }
        });
        Effect::new(move |was: Option<u32>| {
            let count = unread.get();
            if was.is_some_and(|was| was != count) {
                self.page.post(WidgetToHost::Unread { count });
            }
            count
        });
    }

    /// The open panel's size: the visitor's choice, else the `size` setting (reactive).
    pub fn size(self) -> PanelSize {
        self.chosen_size
            .get()
            .unwrap_or_else(|| self.config.settings.with(|s| s.size))
    }

    /// Whether the open panel's size can change: not on phones and tablets (a touch screen, where
    /// it fills the screen) nor in `fullscreenMode` (reactive).
    pub fn resizable(self) -> bool {
        let touch = web_sys::window()
            .and_then(|w| w.match_media("(pointer: coarse)").ok().flatten())
            .is_some_and(|query| query.matches());
        !is_mobile() && !touch && self.config.settings.with(|s| !s.fullscreen_mode)
    }

    /// Whether the open panel is centred over the dimmed page (the `top` size; reactive).
    pub fn centred(self) -> bool {
        self.open.get() && self.size() == PanelSize::Top && self.resizable()
    }

    /// The visitor resizes the open panel (the header's maximize and restore).
    pub fn resize(self, size: PanelSize) {
        self.chosen_size.set(Some(size));
        self.store.with_value(|s| s.set(SIZE, size.as_str()));
    }

    /// Whether the panel was left open on an earlier page.
    pub fn was_open(self) -> bool {
        self.store.with_value(|s| s.get(IS_OPEN)).as_deref() == Some("true")
    }

    /// Opens or closes the panel (remembered for the next page), firing `onOpen`/`onClose`;
    /// `false` when it already was so.
    pub fn set_open(self, open: bool) -> bool {
        if self.open.get_untracked() == open {
            return false;
        }
        self.open.set(open);
        self.store
            .with_value(|s| s.set(IS_OPEN, if open { "true" } else { "false" }));
        if open {
            self.unread.set(0);
            self.preview.set(None);
            self.hide_callout();
        }
        let event = if open {
            WidgetEvent::Open
        } else {
            WidgetEvent::Close
        };
        self.page.emit(event, self.config.settings_detail());
        true
    }

    /// Shows the callout above the launcher (`onOpenEyeCatcher`), unless the panel is open.
    pub fn show_callout(self) {
        if !self.open.get_untracked() && !self.callout.get_untracked() {
            self.callout.set(true);
            self.page
                .emit(WidgetEvent::OpenEyeCatcher, self.config.settings_detail());
        }
    }

    /// Hides the callout (`onClosedEyeCatcher`).
    pub fn hide_callout(self) {
        if self.callout.get_untracked() {
            self.callout.set(false);
            self.page
                .emit(WidgetEvent::ClosedEyeCatcher, self.config.settings_detail());
        }
    }

    /// The visitor dismissed the preview (`onCloseMessagePreview`).
    pub fn close_preview(self) {
        if self.preview.get_untracked().is_some() {
            self.preview.set(None);
            self.page
                .emit(WidgetEvent::CloseMessagePreview, serde_json::json!({}));
        }
    }

    /// Tells the visitor about `incoming` new messages, the newest written by `sender` saying
    /// `text`: counted and previewed above the launcher while the panel is closed, counted in the
    /// tab's title while the page is hidden, and a short tone (`soundEnabled`) when they are not
    /// looking.
    pub fn notify(self, incoming: usize, sender: String, text: String) {
        let hidden_page = !self.page_visible.get_untracked();
        let closed = !self.open.get_untracked();
        if hidden_page {
            self.hidden_unread.update(|count| *count += incoming as u32);
        }
        if closed {
            self.unread.update(|count| *count += incoming as u32);
            self.hide_callout();
            self.preview.set(Some((sender, text)));
        }
        if (closed || hidden_page) && self.config.settings.with_untracked(|s| s.sound_enabled) {
            play_tone();
        }
    }
}

/// Whether the page is hidden (a background tab, a minimised window).
fn page_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}
