//! Who the widget answers to. Embedded by the loader, that is the host page across the iframe: typed
//! bridge messages posted only to its origin and accepted only from the parent window at that origin.
//! Top-level (a mobile app's WebView), the widget itself defines `window.Tiledesk` / `window.tiledesk`
//! and also hands every event to the app's native bridge when there is one.

mod page_api;

use std::rc::Rc;

use js_sys::JSON;
use serde_json::Value;
use tiledesk_protocol::bridge::{Envelope, HostToWidget, WidgetToHost};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::platform::embedding::{embedding_origin, from_embedding_page};

pub use page_api::PageApi;

/// The other side of the widget's JavaScript API.
#[derive(Clone)]
pub enum Host {
    /// The host page, across the iframe, known by its origin.
    Frame { origin: String },
    /// The widget's own page (top-level, e.g. in a WebView).
    Page(Rc<PageApi>),
}

impl Host {
    /// The embedding page, when the widget runs in an iframe created by the loader
    /// (which names the host page's origin in the iframe URL's `#host=` hash).
    pub fn embedding() -> Option<Self> {
        embedding_origin().map(|origin| Host::Frame { origin })
    }

    /// Whether the widget lives in the loader's iframe (rather than top-level).
    pub fn is_frame(&self) -> bool {
        matches!(self, Host::Frame { .. })
    }

    /// Delivers a bridge message to the host.
    pub fn post(&self, body: WidgetToHost) {
        match self {
            Host::Frame { origin } => {
                let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
                if let (Some(parent), Some(message)) = (parent, to_js(&Envelope::new(body))) {
                    let _ = parent.post_message(&message, origin);
                }
            }
            Host::Page(api) => api.deliver(body),
        }
    }

    /// Calls `handler` with every valid bridge message from an embedding host page.
    pub fn listen(&self, handler: impl Fn(HostToWidget) + 'static) {
        let (Host::Frame { origin }, Some(window)) = (self, web_sys::window()) else {
            return;
        };
        let origin = origin.clone();
        let listener =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if from_embedding_page(&event, &origin) {
                    if let Some(message) =
                        from_js(&event.data()).and_then(Envelope::<HostToWidget>::open)
                    {
                        handler(message);
                    }
                }
            });
        let _ =
            window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        listener.forget();
    }
}

/// A serde value as a plain JavaScript value.
pub(super) fn to_js(value: &impl serde::Serialize) -> Option<JsValue> {
    let text = serde_json::to_string(value).ok()?;
    JSON::parse(&text).ok()
}

/// A plain JavaScript value as JSON (`undefined` and functions become `None`).
pub fn from_js(value: &JsValue) -> Option<Value> {
    let text = JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}
