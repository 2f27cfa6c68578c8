//! Start-up: wait for the loader's settings when embedded, or define the JavaScript API itself and
//! read the page URL when top-level (a mobile app's WebView); then mount.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use serde_json::Value;
use tiledesk_protocol::bridge::{HostToWidget, WidgetToHost};

use crate::browser::warn;
use crate::chat::Chat;
use crate::components::App;
use crate::host::{Host, PageApi};
use crate::settings::SettingLayers;

/// Boots the widget in the page it was loaded in.
pub fn boot() {
    let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) else {
        return;
    };
    let chat: Rc<Cell<Option<Chat>>> = Rc::default();
    match Host::embedding() {
        Some(host) => {
            let listening = chat.clone();
            let mounting_host = host.clone();
            host.listen(move |message| match message {
                HostToWidget::Init { settings, href } if listening.get().is_none() => {
                    listening.set(mount(&settings, href, Some(mounting_host.clone())));
                }
                message => dispatch(listening.get(), message),
            });
            host.post(WidgetToHost::Ready);
        }
        None => {
            let calling = chat.clone();
            let api = PageApi::install(move |message| dispatch(calling.get(), message));
            chat.set(mount(&Value::Null, href, Some(Host::Page(api))));
        }
    }
}

/// Hands a host message to the running widget.
fn dispatch(chat: Option<Chat>, message: HostToWidget) {
    match (chat, message) {
        (Some(chat), HostToWidget::Call { id, method, arg }) => chat.call(id, &method, &arg),
        (Some(chat), HostToWidget::EventReply { id, detail }) => chat.reply(id, detail),
        (None, HostToWidget::Call { method, .. }) => {
            warn(&format!("'{method}' called before the widget started"))
        }
        _ => {}
    }
}

/// Mounts the widget for these settings; `None` (with a console warning) when they cannot be used.
pub fn mount(host_settings: &Value, page_url: String, host: Option<Host>) -> Option<Chat> {
    let layers = SettingLayers::new(host_settings, &page_url);
    for key in &layers.unparsable_url_keys {
        warn(&format!(
            "URL parameter tiledesk_{key} is not valid JSON; ignored"
        ));
    }
    let chat = match Chat::new(layers, page_url, host) {
        Ok(chat) => chat,
        Err(error) => {
            warn(&error);
            return None;
        }
    };
    chat.announce();
    leptos::mount::mount_to_body(move || view! { <App chat=chat /> });
    chat.start();
    Some(chat)
}
