//! The versioned `postMessage` protocol between `loader/launch.js` on the host page and the widget iframe.
//!
//! Every message is a JSON object `{"tiledesk": BRIDGE_VERSION, "type": …, …}`; anything else is ignored.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The prefix of every storage key the widget keeps (`widget_sv5_<projectid>_<name>`, as the
/// Tiledesk widget names them); the loader reads and writes no other key for the widget.
pub const STORAGE_PREFIX: &str = "widget_sv5_";

/// Version stamped on every bridge message; a message with another version is ignored.
pub const BRIDGE_VERSION: u32 = 1;

/// A bridge message with its version stamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub tiledesk: u32,
    #[serde(flatten)]
    pub body: T,
}

impl<T> Envelope<T> {
    /// Wraps `body` with the current version.
    pub fn new(body: T) -> Self {
        Self {
            tiledesk: BRIDGE_VERSION,
            body,
        }
    }
}

impl<T: for<'de> Deserialize<'de>> Envelope<T> {
    /// Reads a bridge message of the current version; `None` for anything else.
    pub fn open(value: Value) -> Option<T> {
        let envelope: Envelope<T> = serde_json::from_value(value).ok()?;
        (envelope.tiledesk == BRIDGE_VERSION).then_some(envelope.body)
    }
}

/// Messages from the host page's loader to the widget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum HostToWidget {
    /// Sent once the widget is ready: `window.tiledeskSettings`, the host page's URL, whether
    /// the page listens to any widget event yet, the widget's values in the host page's own
    /// storage (every `STORAGE_PREFIX` key), which the loader keeps for the widget, and this tab's
    /// id (the loader holds the lock `tab_lock(tab)` for as long as the tab lives).
    Init {
        settings: Value,
        href: String,
        #[serde(default)]
        listening: bool,
        #[serde(default)]
        storage: HostStorage,
        #[serde(default)]
        tab: String,
    },
    /// Another tab of the host site changed (or, with no `value`, removed) one of the widget's
    /// values in its `localStorage`.
    Stored {
        area: StorageArea,
        key: String,
        #[serde(default)]
        value: Option<String>,
    },
    /// The widget holds the lock `name` it asked for (across the site's tabs), until it sends
    /// `Unlock`. With `fresh`, `value` is what the host page's storage holds under the `key` it
    /// named at that moment; without it that storage has failed, and the widget's copy is the only one.
    Locked {
        name: String,
        #[serde(default)]
        fresh: bool,
        #[serde(default)]
        value: Option<String>,
    },
    /// The page added an event listener after `Init`.
    Listen,
    /// A `window.Tiledesk('method', arg)` call; with an `id`, the widget answers with a `Result`.
    Call {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u32>,
        method: String,
        #[serde(default)]
        arg: Value,
    },
    /// The `detail` of a blocking event after the host's listeners ran (they may have changed it).
    EventReply { id: u32, detail: Value },
}

/// Messages from the widget to the host page's loader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum WidgetToHost {
    /// The widget has booted and waits for `Init`.
    Ready,
    /// The iframe should take this shape, placed by `geometry` once settings are known.
    Layout {
        mode: LayoutMode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        geometry: Option<Geometry>,
    },
    /// A JavaScript API event to dispatch to listeners as a `CustomEvent` with this `detail`.
    /// With an `id` the widget waits for an `EventReply` carrying the (possibly changed) detail.
    Event {
        name: WidgetEvent,
        detail: Value,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<u32>,
    },
    /// Keep `value` under `key` (a `STORAGE_PREFIX` key) in the host page's `area`; no `value` removes it.
    Store {
        area: StorageArea,
        key: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
    },
    /// Take the lock `name` (a `STORAGE_PREFIX` name) across the host site's tabs (the Web Locks
    /// API where the page has it); the loader answers `Locked` with `key`'s value in `area` once it
    /// is held.
    Lock {
        name: String,
        area: StorageArea,
        key: String,
    },
    /// Release the lock `name`.
    Unlock { name: String },
    /// Remove the widget from the page, as `dispose()` does (the server refused the visitor).
    Dispose,
    /// Messages from others that came while the page was hidden (0 once it is visible again): the
    /// loader shows them in the tab's title, `(N) title`, as Tiledesk's widget does.
    Unread { count: u32 },
    /// What the page's synchronous getters answer (`getPreChatFormJson()`), as it is now.
    Props {
        #[serde(rename = "preChatFormJson")]
        pre_chat_form_json: Value,
    },
    /// The outcome of a `Call` that had an `id`: resolves or rejects the caller's Promise.
    Result {
        id: u32,
        ok: bool,
        #[serde(default)]
        value: Value,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

/// The lock a tab's loader holds for as long as the tab lives: whoever else gets it knows the tab is gone.
pub fn tab_lock(tab: &str) -> String {
    format!("{STORAGE_PREFIX}tab_{tab}")
}

/// Which of the host page's storages a value lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StorageArea {
    /// `localStorage`: shared by the site's tabs, kept across visits.
    Local,
    /// `sessionStorage`: this tab only, forgotten when it closes.
    Session,
}

/// The widget's values in the host page's storages, by full key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostStorage {
    #[serde(default)]
    pub local: HashMap<String, String>,
    #[serde(default)]
    pub session: HashMap<String, String>,
}

impl HostStorage {
    /// The values kept in `area`.
    pub fn area(&self, area: StorageArea) -> &HashMap<String, String> {
        match area {
            StorageArea::Local => &self.local,
            StorageArea::Session => &self.session,
        }
    }
}

/// How far the widget's first-load shell got when it hands over to the chat module, inside the
/// widget's frame (its `take_over`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ShellState {
    /// The visitor asked for the chat (launcher or callout, or the `open` setting).
    pub open: bool,
    /// The page listened to events already at `Init`: the chat announces itself.
    pub listening_at_init: bool,
    /// When the callout is due, in milliseconds since the Unix epoch.
    pub callout_due_at: Option<f64>,
    pub callout_showing: bool,
    /// What the visitor wrote in the panel's frame while the chat loaded.
    pub draft: String,
    /// They asked to send it.
    pub send_draft: bool,
}

/// The shape the host page gives the widget iframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LayoutMode {
    /// Not shown at all (`hide`, `startHidden`, or not displayed on this kind of device).
    Hidden,
    /// Only the launcher button.
    Closed,
    /// The launcher with the callout (eye-catcher) bubble above it.
    Callout,
    /// The chat panel.
    Open,
}

/// Where and how big the iframe is; lengths are CSS lengths the widget has validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Geometry {
    /// `left` or `right`.
    pub align: String,
    pub margin_x: String,
    pub margin_y: String,
    pub mobile_margin_x: String,
    pub mobile_margin_y: String,
    pub launcher_width: String,
    pub launcher_height: String,
    /// The open panel fills the whole viewport (`fullscreenMode`).
    pub fullscreen: bool,
    /// The open panel's size on wide viewports: `min`, `max` or `top` (Tiledesk's `size`), and
    /// its box as CSS lengths (`top` is centred at the viewport's full height).
    #[serde(default)]
    pub size: String,
    #[serde(default)]
    pub panel_width: String,
    #[serde(default)]
    pub panel_height: String,
    /// Whether to show the widget at all on wide (≥ 600 px) and narrow viewports.
    pub display_on_desktop: bool,
    pub display_on_mobile: bool,
}

/// JavaScript API events, named as the Tiledesk widget names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WidgetEvent {
    #[serde(rename = "onLoadParams")]
    LoadParams,
    #[serde(rename = "onBeforeInit")]
    BeforeInit,
    #[serde(rename = "onInit")]
    Init,
    #[serde(rename = "onAuthStateChanged")]
    AuthStateChanged,
    #[serde(rename = "onOpen")]
    Open,
    #[serde(rename = "onClose")]
    Close,
    #[serde(rename = "onOpenEyeCatcher")]
    OpenEyeCatcher,
    #[serde(rename = "onClosedEyeCatcher")]
    ClosedEyeCatcher,
    #[serde(rename = "onNewConversation")]
    NewConversation,
    #[serde(rename = "onBeforeMessageSend")]
    BeforeMessageSend,
    #[serde(rename = "onAfterMessageSend")]
    AfterMessageSend,
    #[serde(rename = "onMessageCreated")]
    MessageCreated,
    #[serde(rename = "onConversationUpdated")]
    ConversationUpdated,
    #[serde(rename = "onBeforeDepartmentsFormRender")]
    BeforeDepartmentsFormRender,
    #[serde(rename = "onNewConversationComponentInit")]
    NewConversationComponentInit,
    #[serde(rename = "onLoggedIn")]
    LoggedIn,
    #[serde(rename = "onCloseMessagePreview")]
    CloseMessagePreview,
}

/// JavaScript API methods, named as the Tiledesk widget names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Show,
    Hide,
    Open,
    Close,
    ShowCallout,
    SignInAnonymous,
    SignInWithCustomToken,
    Logout,
    ClearStorage,
    Restart,
    ReInit,
    SendMessage,
    SendSupportMessage,
    StartConversation,
    OpenConversationById,
    SetParameter,
    SetAttributeParameter,
    SetPreChatForm,
    SetPreChatFormJson,
    GetPreChatFormJson,
    SetPrivacyPolicy,
}

impl Method {
    /// Every method with its JavaScript name (`dispose` is carried out by the loader itself).
    pub const ALL: [(&'static str, Method); 21] = [
        ("show", Method::Show),
        ("hide", Method::Hide),
        ("open", Method::Open),
        ("close", Method::Close),
        ("showCallout", Method::ShowCallout),
        ("signInAnonymous", Method::SignInAnonymous),
        ("signInWithCustomToken", Method::SignInWithCustomToken),
        ("logout", Method::Logout),
        ("clearStorage", Method::ClearStorage),
        ("restart", Method::Restart),
        ("reInit", Method::ReInit),
        ("sendMessage", Method::SendMessage),
        ("sendSupportMessage", Method::SendSupportMessage),
        ("startConversation", Method::StartConversation),
        ("openConversationById", Method::OpenConversationById),
        ("setParameter", Method::SetParameter),
        ("setAttributeParameter", Method::SetAttributeParameter),
        ("setPreChatForm", Method::SetPreChatForm),
        ("setPreChatFormJson", Method::SetPreChatFormJson),
        ("getPreChatFormJson", Method::GetPreChatFormJson),
        ("setPrivacyPolicy", Method::SetPrivacyPolicy),
    ];

    /// The method called `name`, if the widget knows it.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(known, _)| *known == name)
            .map(|(_, method)| *method)
    }
}
