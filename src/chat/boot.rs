//! Start-up of the full chat, called by the first-load shell once the chat module has loaded:
//! embedded, it carries on from the shell with the loader's `Init` and the host messages that
//! arrived meanwhile; top-level (a mobile app's WebView), it defines the JavaScript API itself.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Reflect};
use leptos::prelude::*;
use serde_json::Value;
use tiledesk_protocol::bridge::{Envelope, HostStorage, HostToWidget, ShellState};
use wasm_bindgen::prelude::*;

use crate::chat::components::App;
use crate::chat::host::{Host, PageApi};
use crate::chat::Chat;
use crate::core::handover::{CalloutStage, Draft, Handover};
use crate::core::settings::SettingLayers;
use crate::platform::browser::warn;
use crate::platform::json::from_js;
use crate::platform::storage::{Keeper, Storage};

/// Takes over from the shell in the loader's iframe: the loader's `Init` (its storage snapshot as
/// the shell kept it), the host messages since then in order, how far the shell got (`ShellState`)
/// and the project's remote widget settings if the shell loaded them.
#[wasm_bindgen]
pub fn take_over(init: JsValue, queued: Array, shell: JsValue, remote: JsValue) {
    let (
        Some(host),
        Some(HostToWidget::Init {
            settings,
            href,
            storage,
            tab,
            ..
        }),
    ) = (
        Host::embedding(),
        from_js(&init).and_then(Envelope::<HostToWidget>::open),
    )
    else {
        return warn("the chat was asked to take over outside the loader's iframe");
    };
    let shell: ShellState = from_js(&shell)
        .and_then(|state| serde_json::from_value(state).ok())
        .unwrap_or_default();
    let handover = Handover {
        open: shell.open,
        announced: !shell.listening_at_init,
        // When the chat announces itself, `calloutTimer` counts from its `onInit`.
        callout: (!shell.listening_at_init)
            .then(|| CalloutStage::from_shell(shell.callout_due_at, shell.callout_showing)),
        draft: Draft {
            text: shell.draft,
            send: shell.send_draft,
        },
    };
    let mut layers = SettingLayers::new(&settings, &href).embedded();
    if let Some(Value::Object(remote)) = from_js(&remote) {
        layers.remote = remote;
    }
    let storage = Storage::new(host.keeper(), &storage, &tab);
    let chat = mount(layers, href, Some(host.clone()), &storage, &handover);
    host.listen(move |message| dispatch(chat, message));
    for message in queued.iter() {
        if let Some(message) = from_js(&message).and_then(Envelope::<HostToWidget>::open) {
            dispatch(chat, message);
        }
    }
}

/// Starts top-level: defines `window.Tiledesk` / `window.tiledesk`, and reads the settings the
/// app defined as `window.tiledeskSettings` and those of the page URL.
#[wasm_bindgen]
pub fn start_top_level() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    let host_settings = Reflect::get(&window, &"tiledeskSettings".into())
        .ok()
        .and_then(|settings| from_js(&settings))
        .unwrap_or(Value::Null);
    let chat: Rc<Cell<Option<Chat>>> = Rc::default();
    let calling = chat.clone();
    let api = PageApi::install(move |message| dispatch(calling.get(), message));
    let layers = SettingLayers::new(&host_settings, &href);
    for key in &layers.unparsable_url_keys {
        warn(&format!(
            "URL parameter tiledesk_{key} is not valid JSON; ignored"
        ));
    }
    let storage = Storage::new(Keeper::Own, &HostStorage::default(), "");
    chat.set(mount(
        layers,
        href,
        Some(Host::Page(api)),
        &storage,
        &Handover::default(),
    ));
}

/// Hands a host message to the running chat.
fn dispatch(chat: Option<Chat>, message: HostToWidget) {
    match (chat, message) {
        (Some(chat), HostToWidget::Call { id, method, arg }) => chat.call(id, &method, &arg),
        (Some(chat), HostToWidget::EventReply { id, detail }) => chat.page.reply(id, detail),
        (Some(chat), HostToWidget::Stored { area, key, value }) => {
            chat.stored_elsewhere(area, &key, value)
        }
        (Some(chat), HostToWidget::Locked { name, fresh, value }) => {
            chat.granted(&name, fresh.then_some(value))
        }
        (None, HostToWidget::Call { method, .. }) => {
            warn(&format!("'{method}' called before the widget started"))
        }
        _ => {}
    }
}

/// Mounts the chat for these settings and the values `storage` keeps, carrying on from
/// `handover`; `None` (with a console warning) when the settings cannot be used.
pub fn mount(
    layers: SettingLayers,
    page_url: String,
    host: Option<Host>,
    storage: &Storage,
    handover: &Handover,
) -> Option<Chat> {
    let chat = match Chat::new(layers, page_url, host, storage) {
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
