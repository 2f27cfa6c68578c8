//! The versioned `postMessage` protocol between `loader/launch.js` on the host page and the widget iframe.
//!
//! Every message is a JSON object `{"tiledesk": BRIDGE_VERSION, "type": …, …}`; anything else is ignored.

use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// Sent once the widget is ready: `window.tiledeskSettings` and the host page's URL.
    Init { settings: Value, href: String },
    /// A `window.Tiledesk('method', arg)` call.
    Call {
        method: String,
        #[serde(default)]
        arg: Value,
    },
}

/// Messages from the widget to the host page's loader.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum WidgetToHost {
    /// The widget has booted and waits for `Init`.
    Ready,
    /// The iframe should take this shape.
    Layout { mode: LayoutMode },
    /// A JavaScript API event to dispatch to listeners as a `CustomEvent` with this `detail`.
    Event { name: WidgetEvent, detail: Value },
}

/// The shape the host page gives the widget iframe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum LayoutMode {
    /// Not shown at all (`hide`).
    Hidden,
    /// Only the launcher button.
    Closed,
    /// The chat panel.
    Open,
}

/// JavaScript API events, named as the Tiledesk widget names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WidgetEvent {
    #[serde(rename = "onInit")]
    Init,
    #[serde(rename = "onOpen")]
    Open,
    #[serde(rename = "onClose")]
    Close,
    #[serde(rename = "onMessageCreated")]
    MessageCreated,
}

/// JavaScript API methods the widget carries out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Open,
    Close,
    Show,
    Hide,
}

impl Method {
    /// The method called `name`, if the widget knows it.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "open" => Some(Self::Open),
            "close" => Some(Self::Close),
            "show" => Some(Self::Show),
            "hide" => Some(Self::Hide),
            _ => None,
        }
    }
}
