//! The page's side of the JavaScript API: events fired to its listeners, blocking events whose
//! answer the widget waits for, and the answers to its calls' Promises.

use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use serde_json::{Map, Value};
use tiledesk_protocol::bridge::{WidgetEvent, WidgetToHost};

use crate::chat::host::Host;

/// How long the page's listeners of a blocking event may take before the widget goes on without them.
const BLOCKING_EVENT_WAIT_MS: u32 = 1_000;

/// Event replies the widget is waiting for, by id.
#[derive(Default)]
struct Replies {
    next_id: u32,
    waiting: HashMap<u32, oneshot::Sender<Value>>,
}

/// The page part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Page {
    host: StoredValue<Option<Host>, LocalStorage>,
    replies: StoredValue<Replies>,
    /// What `emit_in_context` adds to a detail: `{global, default_settings, appConfigs}`.
    context: StoredValue<Option<Context>, LocalStorage>,
}

/// Builds the widget's context for an event's detail.
type Context = Rc<dyn Fn() -> Map<String, Value>>;

impl Page {
    /// The page behind `host` (none in component tests).
    pub fn new(host: Option<Host>) -> Self {
        Self {
            host: StoredValue::new_local(host),
            replies: StoredValue::new(Replies::default()),
            context: StoredValue::new_local(None),
        }
    }

    /// Names what `emit_in_context` adds (set once the chat is built).
    pub fn set_context(self, context: impl Fn() -> Map<String, Value> + 'static) {
        self.context.set_value(Some(Rc::new(context)));
    }

    /// Fires `name` with `detail` and the widget's context beside it, as the Tiledesk widget's
    /// `onInit`, `onAuthStateChanged` and `onNewConversation` carry it.
    pub fn emit_in_context(self, name: WidgetEvent, detail: Value) {
        let mut fields = self
            .context
            .with_value(|context| context.as_ref().map(|context| context()))
            .unwrap_or_default();
        if let Value::Object(own) = detail {
            fields.extend(own);
        }
        self.emit(name, Value::Object(fields));
    }

    /// Whether the widget lives in the loader's iframe (rather than top-level in a WebView).
    pub fn embedded(self) -> bool {
        self.host
            .with_value(|host| host.as_ref().is_some_and(Host::is_frame))
    }

    /// Fires `name` to the page's listeners.
    pub fn emit(self, name: WidgetEvent, detail: Value) {
        self.post(WidgetToHost::Event {
            name,
            detail,
            id: None,
        });
    }

    /// Fires a blocking event and waits (bounded) for the page's listeners' version of its detail.
    pub async fn emit_and_wait(self, name: WidgetEvent, detail: Value) -> Value {
        if self.host.with_value(Option::is_none) {
            return detail;
        }
        let (sender, receiver) = oneshot::channel();
        let id = self
            .replies
            .try_update_value(|replies| {
                replies.next_id += 1;
                replies.waiting.insert(replies.next_id, sender);
                replies.next_id
            })
            .unwrap_or_default();
        self.post(WidgetToHost::Event {
            name,
            detail: detail.clone(),
            id: Some(id),
        });
        match select(receiver, TimeoutFuture::new(BLOCKING_EVENT_WAIT_MS)).await {
            Either::Left((Ok(changed), _)) => changed,
            _ => {
                self.replies.update_value(|r| {
                    r.waiting.remove(&id);
                });
                detail
            }
        }
    }

    /// Receives the page's listeners' version of a blocking event's detail.
    pub fn reply(self, id: u32, detail: Value) {
        if let Some(waiting) = self
            .replies
            .try_update_value(|r| r.waiting.remove(&id))
            .flatten()
        {
            let _ = waiting.send(detail);
        }
    }

    /// Settles the Promise of call `id`, if the page is waiting for one.
    pub fn respond(self, id: Option<u32>, outcome: Result<Value, String>) {
        if let Some(id) = id {
            let (ok, value, error) = match outcome {
                Ok(value) => (true, value, None),
                Err(error) => (false, Value::Null, Some(error)),
            };
            self.post(WidgetToHost::Result {
                id,
                ok,
                value,
                error,
            });
        }
    }

    /// Delivers a bridge message to the page.
    pub fn post(self, message: WidgetToHost) {
        let host = self.host.with_value(Clone::clone);
        if let Some(host) = host {
            host.post(message);
        }
    }
}
