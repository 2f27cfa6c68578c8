//! The host page on the other side of the iframe: typed bridge messages to and from `loader/launch.js`,
//! only ever posted to the host's origin and only accepted from the parent window at that origin.

use serde_json::Value;
use tiledesk_protocol::bridge::{Envelope, HostToWidget, WidgetToHost};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The embedding page, known by its origin (given by the loader in the iframe URL's `#host=` hash).
#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    origin: String,
}

impl Host {
    /// The embedding page, when the widget runs in an iframe created by the loader.
    pub fn from_location() -> Option<Self> {
        let window = web_sys::window()?;
        let parent = window.parent().ok()??;
        if JsValue::from(parent) == JsValue::from(window.clone()) {
            return None;
        }
        let hash = window.location().hash().ok()?;
        let encoded = hash.strip_prefix("#host=")?;
        let origin = js_sys::decode_uri_component(encoded).ok()?.as_string()?;
        (origin.starts_with("http://") || origin.starts_with("https://")).then_some(Self { origin })
    }

    /// Posts a bridge message to the host page.
    pub fn post(&self, body: WidgetToHost) {
        let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
            return;
        };
        let Ok(json) = serde_json::to_string(&Envelope::new(body)) else {
            return;
        };
        if let Ok(message) = js_sys::JSON::parse(&json) {
            let _ = parent.post_message(&message, &self.origin);
        }
    }

    /// Calls `handler` with every valid bridge message from the host page, for the widget's lifetime.
    pub fn listen(&self, handler: impl Fn(HostToWidget) + 'static) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let origin = self.origin.clone();
        let listener =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let parent = web_sys::window().and_then(|w| w.parent().ok().flatten());
                let from_parent = match (event.source(), parent) {
                    (Some(source), Some(parent)) => JsValue::from(source) == JsValue::from(parent),
                    _ => false,
                };
                if !from_parent || event.origin() != origin {
                    return;
                }
                let text = js_sys::JSON::stringify(&event.data())
                    .ok()
                    .and_then(|text| text.as_string());
                let value = text.and_then(|text| serde_json::from_str::<Value>(&text).ok());
                if let Some(message) = value.and_then(Envelope::<HostToWidget>::open) {
                    handler(message);
                }
            });
        let _ =
            window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        listener.forget();
    }
}
