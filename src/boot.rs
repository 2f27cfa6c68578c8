//! Start-up: wait for the loader's settings when embedded (or read the page URL when top-level), then mount.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use serde_json::Value;
use tiledesk_protocol::bridge::{HostToWidget, WidgetToHost};

use crate::browser::warn;
use crate::chat::Chat;
use crate::components::App;
use crate::host::Host;
use crate::settings::Settings;

/// Boots the widget in the page it was loaded in.
pub fn boot() {
    let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) else {
        return;
    };
    match Host::from_location() {
        Some(host) => {
            let chat: Rc<RefCell<Option<Chat>>> = Rc::default();
            let listener_host = host.clone();
            host.listen(move |message| match message {
                HostToWidget::Init { settings, href } => {
                    if chat.borrow().is_none() {
                        *chat.borrow_mut() = mount(&settings, href, Some(listener_host.clone()));
                    }
                }
                HostToWidget::Call { method, .. } => match *chat.borrow() {
                    Some(chat) => chat.call(&method),
                    None => warn(&format!(
                        "'{method}' called before the widget was initialised"
                    )),
                },
            });
            host.post(WidgetToHost::Ready);
        }
        None => {
            mount(&Value::Null, href, None);
        }
    }
}

/// Mounts the widget for these settings; `None` (with a console warning) when they cannot be used.
pub fn mount(host_settings: &Value, page_url: String, host: Option<Host>) -> Option<Chat> {
    let settings = match Settings::resolve(host_settings, &page_url) {
        Ok(settings) => settings,
        Err(error) => {
            warn(&error.to_string());
            return None;
        }
    };
    let embedded = host.is_some();
    let chat = Chat::new(settings, page_url, host);
    leptos::mount::mount_to_body(move || view! { <App chat=chat embedded=embedded /> });
    chat.start();
    Some(chat)
}
