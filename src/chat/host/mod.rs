//! Who the widget answers to. Embedded by the loader, that is the host page across the iframe: typed
//! bridge messages posted only to its origin and accepted only from the parent window at that origin.
//! Top-level (a mobile app's WebView), the widget itself defines `window.Tiledesk` / `window.tiledesk`
//! and also hands every event to the app's native bridge when there is one.

mod page_api;

use std::rc::Rc;

use tiledesk_protocol::bridge::{Envelope, HostToWidget, WidgetToHost};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::platform::embedding::{embedding_origin, from_embedding_page, post_to_embedding_page};
use crate::platform::json::{from_js, to_js};
use crate::platform::storage::Keeper;

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

    /// Who keeps the widget's values between pages: the loader, in the host page's storage, when
    /// embedded; the widget's own storage top-level.
    pub fn keeper(&self) -> Keeper {
        match self {
            Host::Frame { origin } => Keeper::Host {
                origin: origin.clone(),
            },
            Host::Page(_) => Keeper::Own,
        }
    }

    /// Whether the widget lives in the loader's iframe (rather than top-level).
    pub fn is_frame(&self) -> bool {
        matches!(self, Host::Frame { .. })
    }

    /// Delivers a bridge message to the host.
    pub fn post(&self, body: WidgetToHost) {
        match self {
            Host::Frame { origin } => {
                if let Some(message) = to_js(&Envelope::new(body)) {
                    post_to_embedding_page(origin, &message);
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
