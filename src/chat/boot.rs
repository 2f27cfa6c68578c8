//! Start-up of the full chat, called by the first-load shell once the chat module has loaded:
//! embedded, it carries on from the shell with the loader's settings and the host messages that
//! arrived meanwhile; top-level (a mobile app's WebView), it defines the JavaScript API itself.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::Array;
use leptos::prelude::*;
use serde_json::Value;
use tiledesk_protocol::bridge::{Envelope, HostToWidget};
use wasm_bindgen::prelude::*;

use crate::chat::components::App;
use crate::chat::host::{from_js, Host, PageApi};
use crate::chat::Chat;
use crate::core::handover::{CalloutStage, Handover};
use crate::core::settings::SettingLayers;
use crate::platform::browser::warn;

/// Takes over from the shell in the loader's iframe: `settings` and `href` as the loader sent them,
/// the host messages since then in order, whether the visitor asked for the chat, whether the page
/// listened to events already at `Init` (then the chat announces itself), where the callout got to,
/// and the project's remote widget settings if the shell loaded them.
#[allow(clippy::too_many_arguments)] // one flat call across the two wasm modules
#[wasm_bindgen]
pub fn take_over(
    settings: JsValue,
    href: String,
    queued: Array,
    open: bool,
    listening_at_init: bool,
    callout_due_at: Option<f64>,
    callout_showing: bool,
    remote: JsValue,
) {
    let Some(host) = Host::embedding() else {
        return warn("the chat was asked to take over outside the loader's iframe");
    };
    let handover = Handover {
        open,
        announced: !listening_at_init,
        // When the chat announces itself, `calloutTimer` counts from its `onInit`.
        callout: (!listening_at_init)
            .then(|| CalloutStage::from_shell(callout_due_at, callout_showing)),
    };
    let mut layers = SettingLayers::new(&from_js(&settings).unwrap_or_default(), &href);
    if let Some(Value::Object(remote)) = from_js(&remote) {
        layers.remote = remote;
    }
    let chat = mount(layers, href, Some(host.clone()), &handover);
    host.listen(move |message| dispatch(chat, message));
    for message in queued.iter() {
        if let Some(message) = from_js(&message).and_then(Envelope::<HostToWidget>::open) {
            dispatch(chat, message);
        }
    }
}

/// Starts top-level: defines `window.Tiledesk` / `window.tiledesk` and reads the page URL.
#[wasm_bindgen]
pub fn start_top_level() {
    let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) else {
        return;
    };
    let chat: Rc<Cell<Option<Chat>>> = Rc::default();
    let calling = chat.clone();
    let api = PageApi::install(move |message| dispatch(calling.get(), message));
    let layers = SettingLayers::new(&Value::Null, &href);
    for key in &layers.unparsable_url_keys {
        warn(&format!(
            "URL parameter tiledesk_{key} is not valid JSON; ignored"
        ));
    }
    chat.set(mount(
        layers,
        href,
        Some(Host::Page(api)),
        &Handover::default(),
    ));
}

/// Hands a host message to the running chat.
fn dispatch(chat: Option<Chat>, message: HostToWidget) {
    match (chat, message) {
        (Some(chat), HostToWidget::Call { id, method, arg }) => chat.call(id, &method, &arg),
        (Some(chat), HostToWidget::EventReply { id, detail }) => chat.page.reply(id, detail),
        (None, HostToWidget::Call { method, .. }) => {
            warn(&format!("'{method}' called before the widget started"))
        }
        _ => {}
    }
}

/// Mounts the chat for these settings, carrying on from `handover`; `None` (with a console
/// warning) when the settings cannot be used.
pub fn mount(
    layers: SettingLayers,
    page_url: String,
    host: Option<Host>,
    handover: &Handover,
) -> Option<Chat> {
    let chat = match Chat::new(layers, page_url, host) {
        Ok(chat) => chat,
        Err(error) => {
            warn(&error);
            return None;
        }
    };
    if !handover.announced {
        chat.announce();
    }
    leptos::mount::mount_to_body(move || view! { <App chat=chat /> });
    chat.start(handover);
    Some(chat)
}
