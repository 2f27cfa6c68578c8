//! `window.Tiledesk` / `window.tiledesk` defined by the widget itself when it runs top-level (a
//! mobile app's WebView), with every event also handed to the app's native bridge.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect, JSON};
use serde_json::Value;
use tiledesk_protocol::bridge::{Envelope, HostToWidget, Method, WidgetToHost};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::platform::json::{from_js, to_js};

/// Methods whose JavaScript call returns a Promise of their result, as in Tiledesk.
const RETURNING: [&str; 4] = [
    "signInAnonymous",
    "signInWithCustomToken",
    "logout",
    "clearStorage",
];

/// `window.Tiledesk` / `window.tiledesk` defined by the widget itself when it runs top-level.
pub struct PageApi {
    listeners: RefCell<HashMap<String, Vec<Function>>>,
    promises: RefCell<HashMap<u32, (Function, Function)>>,
    next_id: Cell<u32>,
    /// What the synchronous getters answer, as the chat last said (`Props`).
    pre_chat_form_json: RefCell<JsValue>,
    handler: Box<dyn Fn(HostToWidget)>,
}

impl PageApi {
    /// Defines the JavaScript API on `window`, feeding calls to `handler`.
    pub fn install(handler: impl Fn(HostToWidget) + 'static) -> Rc<Self> {
        let api = Rc::new(Self {
            listeners: RefCell::default(),
            promises: RefCell::default(),
            next_id: Cell::new(1),
            pre_chat_form_json: RefCell::new(JsValue::UNDEFINED),
            handler: Box::new(handler),
        });
        let Some(window) = web_sys::window() else {
            return api;
        };
        let call = {
            let api = api.clone();
            Closure::<dyn Fn(JsValue, JsValue) -> JsValue>::new(
                move |name: JsValue, arg: JsValue| {
                    api.call(&name.as_string().unwrap_or_default(), arg)
                },
            )
        };
        let object = Object::new();
        let on = {
            let api = api.clone();
            Closure::<dyn Fn(JsValue, JsValue)>::new(move |name: JsValue, listener: JsValue| {
                if let (Some(name), Ok(listener)) =
                    (name.as_string(), listener.dyn_into::<Function>())
                {
                    api.listeners
                        .borrow_mut()
                        .entry(name)
                        .or_default()
                        .push(listener);
                }
            })
        };
        let off = {
            let api = api.clone();
            Closure::<dyn Fn(JsValue, JsValue)>::new(move |name: JsValue, listener: JsValue| {
                if let Some(name) = name.as_string() {
                    if let Some(list) = api.listeners.borrow_mut().get_mut(&name) {
                        list.retain(|f| JsValue::from(f) != listener);
                    }
                }
            })
        };
        let _ = Reflect::set(&object, &"on".into(), on.as_ref());
        let _ = Reflect::set(&object, &"off".into(), off.as_ref());
        for (name, _) in Method::ALL {
            let api = api.clone();
            let method =
                Closure::<dyn Fn(JsValue) -> JsValue>::new(move |arg: JsValue| api.call(name, arg));
            let _ = Reflect::set(&object, &name.into(), method.as_ref());
            method.forget();
        }
        let _ = Reflect::set(&window, &"Tiledesk".into(), call.as_ref());
        let _ = Reflect::set(&window, &"tiledesk".into(), &object);
        call.forget();
        on.forget();
        off.forget();
        api
    }

    /// `Tiledesk(name, arg)`: registers a listener (`onX`, function) or carries out a method.
    fn call(&self, name: &str, arg: JsValue) -> JsValue {
        if name.starts_with("on") && arg.is_function() {
            let listener: Function = arg.unchecked_into();
            self.listeners
                .borrow_mut()
                .entry(name.to_owned())
                .or_default()
                .push(listener);
            return JsValue::UNDEFINED;
        }
        if name == "getPreChatFormJson" {
            let form = self.pre_chat_form_json.borrow();
            return from_js(&form)
                .and_then(|v| to_js(&v))
                .unwrap_or(JsValue::UNDEFINED);
        }
        let arg = from_js(&arg).unwrap_or(Value::Null);
        let method = name.to_owned();
        if !RETURNING.contains(&name) {
            (self.handler)(HostToWidget::Call {
                id: None,
                method,
                arg,
            });
            return JsValue::UNDEFINED;
        }
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let promise = Promise::new(&mut |resolve, reject| {
            self.promises.borrow_mut().insert(id, (resolve, reject));
        });
        (self.handler)(HostToWidget::Call {
            id: Some(id),
            method,
            arg,
        });
        promise.into()
    }

    pub(super) fn deliver(&self, body: WidgetToHost) {
        match body {
            WidgetToHost::Event { name, detail, id } => {
                let envelope = Envelope::new(WidgetToHost::Event { name, detail, id });
                let Some(message) = to_js(&envelope) else {
                    return;
                };
                let name = Reflect::get(&message, &"name".into())
                    .ok()
                    .and_then(|n| n.as_string())
                    .unwrap_or_default();
                let detail = Reflect::get(&message, &"detail".into()).unwrap_or(JsValue::NULL);
                let Some(event) = custom_event(&name, &detail) else {
                    return;
                };
                let listeners = self
                    .listeners
                    .borrow()
                    .get(&name)
                    .cloned()
                    .unwrap_or_default();
                for listener in listeners {
                    if let Err(error) = listener.call1(&JsValue::NULL, &event) {
                        web_sys::console::error_2(&"[tiledesk] a listener failed:".into(), &error);
                    }
                }
                notify_native_apps(&message);
                if let Some(id) = id {
                    (self.handler)(HostToWidget::EventReply {
                        id,
                        detail: from_js(&event.detail()).unwrap_or(Value::Null),
                    });
                }
            }
            WidgetToHost::Result {
                id,
                ok,
                value,
                error,
            } => {
                let pending = self.promises.borrow_mut().remove(&id);
                if let Some((resolve, reject)) = pending {
                    // A settled Promise ignores a second settlement, so the call's result is not needed.
                    let _ = if ok {
                        resolve.call1(&JsValue::NULL, &to_js(&value).unwrap_or(JsValue::NULL))
                    } else {
                        reject.call1(
                            &JsValue::NULL,
                            &js_sys::Error::new(&error.unwrap_or_default()),
                        )
                    };
                }
            }
            WidgetToHost::Props { pre_chat_form_json } => {
                *self.pre_chat_form_json.borrow_mut() =
                    to_js(&pre_chat_form_json).unwrap_or(JsValue::UNDEFINED);
            }
            // Top-level, the widget keeps its values itself, has no frame to shape and no host tab title.
            WidgetToHost::Ready
            | WidgetToHost::Layout { .. }
            | WidgetToHost::Store { .. }
            | WidgetToHost::Lock { .. }
            | WidgetToHost::Unlock { .. }
            | WidgetToHost::Unread { .. }
            | WidgetToHost::Dispose => {}
        }
    }
}

fn custom_event(name: &str, detail: &JsValue) -> Option<web_sys::CustomEvent> {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(detail);
    web_sys::CustomEvent::new_with_event_init_dict(name, &init).ok()
}

/// Hands an event to a native app's bridge: React Native, iOS (WKWebView handler `tiledesk`) or
/// Android (a `TiledeskAndroid` JavaScript interface with a `postMessage(String)` method).
fn notify_native_apps(message: &JsValue) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let text: JsValue = JSON::stringify(message)
        .map(Into::into)
        .unwrap_or(JsValue::NULL);
    let path = |names: &[&str]| {
        names
            .iter()
            .try_fold(JsValue::from(window.clone()), |object, name| {
                Reflect::get(&object, &(*name).into())
                    .ok()
                    .filter(|v| !v.is_undefined() && !v.is_null())
            })
    };
    let send = |target: Option<JsValue>, payload: &JsValue| {
        if let Some(target) = target {
            if let Ok(post) =
                Reflect::get(&target, &"postMessage".into()).and_then(|f| f.dyn_into::<Function>())
            {
                let _ = post.call1(&target, payload);
            }
        }
    };
    send(path(&["ReactNativeWebView"]), &text);
    send(path(&["webkit", "messageHandlers", "tiledesk"]), message);
    send(path(&["TiledeskAndroid"]), &text);
}
