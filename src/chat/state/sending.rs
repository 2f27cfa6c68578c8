//! Sending: a message is prepared once (attributes, `onBeforeMessageSend`, its conversation), kept
//! in the stored outbox until the server has it, and delivered in order with back-off.

use std::collections::HashSet;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Map, Value};
use tiledesk_protocol::bridge::WidgetEvent;
use tiledesk_protocol::{BotRule, Message, NewMessage, CLIENT_ID_ATTRIBUTE};

use super::conversations::Conversations;
use super::intake::Intake;
use super::Base;
use crate::chat::browser::regex;
use crate::chat::net::api::{self, ApiError};
use crate::core::commands::Outgoing;
use crate::core::events::message_model;
use crate::core::outbox::{retry_delay_ms, Outbox, Pending};
use crate::core::rules;
use crate::core::server_events::new_conversation;
use crate::core::storage_keys::{outbox_of, tab_of_outbox, OUTBOX, RULES};

/// The sending part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Sending {
    /// Client ids of outbox messages the server refused, left until the visitor retries them.
    given_up: StoredValue<HashSet<String>>,
    /// Tabs whose outbox this tab takes over once they are gone (or has).
    adopting: StoredValue<HashSet<String>>,
    /// Whether the outbox is being delivered, and whether its back-off should end early.
    draining: StoredValue<bool>,
    wake: StoredValue<bool>,
    /// `tiledesk_hiddenMessage`, until it has been sent.
    hidden_message: StoredValue<Option<String>>,
    page_url: StoredValue<String>,
    parts: Parts,
}

/// The parts sending works with.
#[derive(Clone, Copy)]
pub struct Parts {
    pub base: Base,
    pub conversations: Conversations,
    pub intake: Intake,
}

impl Sending {
    /// Sending from `page_url`; the outbox an earlier page (or another tab) left is in the store.
    pub fn new(hidden_message: Option<String>, page_url: String, parts: Parts) -> Self {
        Self {
            given_up: StoredValue::new(HashSet::new()),
            adopting: StoredValue::new(HashSet::new()),
            draining: StoredValue::new(false),
            wake: StoredValue::new(false),
            hidden_message: StoredValue::new(hidden_message),
            page_url: StoredValue::new(page_url),
            parts,
        }
    }

    /// Shows `text` at once as "sending" and delivers it.
    pub fn send(self, text: String) {
        self.send_outgoing(Outgoing {
            text,
            kind: "text".into(),
            metadata: None,
            attributes: Map::new(),
        });
    }

    /// An action button: sends its label with `attributes.action` so a bot can act on it; as the
    /// Tiledesk widget, the label shows as the visitor's message only with `show_echo` (otherwise
    /// it goes as an `info` message the visitor does not see).
    pub fn send_action(self, label: String, action: String, echo: bool) {
        let mut attributes = Map::new();
        attributes.insert("action".into(), action.into());
        if !echo {
            attributes.insert("subtype".into(), "info".into());
        }
        let outgoing = Outgoing {
            text: label,
            kind: "text".into(),
            metadata: None,
            attributes,
        };
        if echo {
            self.send_outgoing(outgoing);
        } else {
            self.send_outgoing_as(uuid::Uuid::new_v4().to_string(), outgoing);
        }
    }

    /// Shows a message (from the visitor or the page's `sendMessage`) at once and delivers it.
    pub fn send_outgoing(self, outgoing: Outgoing) {
        let client_id = uuid::Uuid::new_v4().to_string();
        self.parts.conversations.open.queue(&client_id, &outgoing);
        self.send_outgoing_as(client_id, outgoing);
    }

    /// Sends a failed message again at once, under the same client id so the server never stores it twice.
    pub fn retry(self, client_id: String) {
        self.given_up.update_value(|ids| {
            ids.remove(&client_id);
        });
        if self.parts.conversations.open.resend(&client_id) {
            self.drain();
        }
    }

    /// Sends `tiledesk_hiddenMessage` once, when the visitor first opens a new conversation.
    pub fn send_hidden_message(self) {
        if !self.parts.conversations.open.is_new() {
            return;
        }
        if let Some(text) = self.hidden_message.try_update_value(Option::take).flatten() {
            self.send_intent(&text);
        }
    }

    /// Sends a bot's intent silently (`Outgoing::intent`): what starts a bot flow.
    pub fn send_intent(self, text: &str) {
        self.send_outgoing_as(uuid::Uuid::new_v4().to_string(), Outgoing::intent(text));
    }

    /// Proactive bot rules (`botsRules`): on a page where the panel is closed and no conversation
    /// is current, the rule that applies posts its message (signing the visitor in), and the
    /// conversation it starts becomes the visitor's; an `info` message is not shown to them.
    pub fn apply_rules(self, rules: &[BotRule]) {
        let parts = self.parts;
        if rules.is_empty()
            || parts.base.panel.open.get_untracked()
            || !parts.conversations.open.is_new()
        {
            return;
        }
        let url = self.page_url.get_value();
        let matches = |pattern: &str| regex(pattern, "").is_some_and(|re| re.test(&url));
        let store = parts.base.store.get_value();
        let before = store.get_map(RULES);
        let mut fired = before.clone();
        let message = rules::due(rules, matches, &mut fired, js_sys::Date::now());
        if fired != before {
            store.set(RULES, &Value::Object(fired).to_string());
        }
        let Some(outgoing) = message.map(rules::outgoing) else {
            return;
        };
        let client_id = uuid::Uuid::new_v4().to_string();
        let info = outgoing
            .attributes
            .get("subtype")
            .and_then(Value::as_str)
            .is_some_and(|subtype| subtype.starts_with("info"));
        if !info {
            parts.conversations.open.queue(&client_id, &outgoing);
        }
        // The rule's message is what the bot answers: no `new_conversation` to start its welcome too.
        self.deliver(client_id, outgoing, false);
    }

    /// Takes over, once each tab is gone, the messages other tabs (or earlier pages) left
    /// undelivered: their outboxes go at the head of this tab's, and this tab delivers them.
    pub fn adopt_orphans(self) {
        let store = self.parts.base.store.get_value();
        let own = outbox_of(store.tab());
        for name in store.names_starting(OUTBOX) {
            let Some(tab) = tab_of_outbox(&name).map(str::to_owned) else {
                continue;
            };
            let fresh = self
                .adopting
                .try_update_value(|adopting| adopting.insert(tab.clone()));
            if name == own || fresh != Some(true) {
                continue;
            }
            let store = store.clone();
            spawn_local(async move {
                // Held for this tab's life, so that no other tab takes them over again.
                std::mem::forget(store.after_tab(&tab, &name).await);
                let orphans = Outbox::from_json(store.get(&name).as_deref());
                store.remove(&name);
                if orphans.first().is_some() {
                    self.edit_outbox(|outbox| outbox.adopt(orphans));
                    self.drain();
                }
            });
        }
    }

    /// Delivers the outbox again as soon as the browser is back online (for the chat's life).
    pub fn drain_when_online(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let online = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || self.drain());
        let _ = window.add_event_listener_with_callback(
            "online",
            wasm_bindgen::JsCast::unchecked_ref(online.as_ref()),
        );
        online.forget();
    }

    /// Delivers this tab's outbox in order (no other tab posts what is in it). A message the
    /// server could not take now (offline, 429, 5xx) waits with back-off, shown as failed with its
    /// retry; one it refused is given up until the visitor retries it.
    pub fn drain(self) {
        if self.draining.get_value() {
            self.wake.set_value(true);
            return;
        }
        self.draining.set_value(true);
        let parts = self.parts;
        let open = parts.conversations.open;
        spawn_local(async move {
            let mut attempt = 0;
            while let Some(next) = self.next_pending() {
                open.resend(&next.client_id);
                match self.post_pending(&next).await {
                    Ok(message) => {
                        attempt = 0;
                        self.edit_outbox(|outbox| outbox.remove(&next.client_id));
                        parts.base.panel.error.set(None);
                        let model =
                            message_model(&message, &parts.base.auth.user_id(), &open.title());
                        parts
                            .base
                            .page
                            .emit(WidgetEvent::AfterMessageSend, json!({ "message": model }));
                        open.receive(vec![message]);
                        open.follow(false);
                    }
                    Err(error) => {
                        open.fail(&next.client_id);
                        let retryable = error.is_retryable();
                        parts.base.panel.error.set(Some(error));
                        if !retryable {
                            self.given_up.update_value(|ids| {
                                ids.insert(next.client_id.clone());
                            });
                            continue;
                        }
                        self.wait_to_retry(retry_delay_ms(attempt)).await;
                        attempt += 1;
                    }
                }
            }
            self.draining.set_value(false);
        });
    }

    /// Prepares a message, puts it in the stored outbox and has the outbox delivered; the
    /// conversation it goes to shows (a message the page sends leaves the home view).
    fn send_outgoing_as(self, client_id: String, outgoing: Outgoing) {
        let announce = !outgoing.is_intent();
        self.deliver(client_id, outgoing, announce);
    }

    /// As `send_outgoing_as`; `announce` tells the server when the message starts a conversation.
    fn deliver(self, client_id: String, outgoing: Outgoing, announce: bool) {
        self.parts.conversations.home.set(false);
        spawn_local(async move {
            let pending = self.prepare(client_id, outgoing, announce).await;
            self.edit_outbox(|outbox| outbox.push(pending));
            self.drain();
        });
    }

    /// The message as it will be posted: what the visitor and the page told, custom attributes,
    /// department, page and client, then whatever `onBeforeMessageSend` listeners changed; the
    /// client id always goes last.
    async fn prepare(self, client_id: String, outgoing: Outgoing, announce: bool) -> Pending {
        let parts = self.parts;
        let open = parts.conversations.open;
        let starts_conversation = open.id().is_none();
        let request_id = open.ensure_id();
        if starts_conversation && announce {
            self.report_new_conversation(request_id.clone());
        }
        parts.intake.known().await;
        let mut attributes = parts.intake.message_attributes();
        // As the Tiledesk widget puts them: the page's custom attributes as the payload, the
        // department by id and by name.
        if let Some(custom @ Value::Object(_)) = parts
            .base
            .config
            .settings
            .with_untracked(|s| s.custom_attributes.clone())
        {
            attributes.insert("payload".into(), custom);
        }
        if let Some((id, name)) = parts.intake.department() {
            attributes.insert("departmentId".into(), id.into());
            if let Some(name) = name {
                attributes.insert("departmentName".into(), name.into());
            }
        }
        attributes.extend(outgoing.attributes);
        attributes.insert("sourcePage".into(), self.page_url.get_value().into());
        attributes.insert(
            "client".into(),
            web_sys::window()
                .and_then(|w| w.navigator().user_agent().ok())
                .unwrap_or_default()
                .into(),
        );
        // The Tiledesk widget's draft fields, with ours (`recipient`) beside them.
        let draft = json!({ "message": {
            "text": outgoing.text, "type": outgoing.kind, "attributes": attributes,
            "metadata": outgoing.metadata, "recipient": request_id, "conversationWith": request_id,
            "recipientFullname": open.title(), "projectid": parts.base.config.project_id(),
            "channelType": "group",
            "senderFullname": attributes.get("userFullname").cloned().unwrap_or_default(),
        } });
        let adjusted = parts
            .base
            .page
            .emit_and_wait(WidgetEvent::BeforeMessageSend, draft)
            .await;
        if let Some(Value::Object(changed)) = adjusted.pointer("/message/attributes").cloned() {
            attributes = changed;
        }
        attributes.insert(CLIENT_ID_ATTRIBUTE.into(), client_id.clone().into());
        Pending {
            client_id,
            request_id,
            text: outgoing.text,
            kind: outgoing.kind,
            attributes,
            metadata: outgoing.metadata,
        }
    }

    /// Tells the server a conversation starts (`new_conversation`), which starts a bot's welcome;
    /// a conversation started by an intent is the bot's already, as with the Tiledesk widget.
    fn report_new_conversation(self, request_id: String) {
        let parts = self.parts;
        let (participants, language) = (
            parts
                .base
                .config
                .settings
                .with_untracked(|s| s.participants.clone()),
            parts.base.config.lang_untracked(),
        );
        let body = new_conversation(
            &request_id,
            parts.intake.department().map(|(id, _)| id).as_deref(),
            &participants,
            language.code(),
            &parts.intake.message_attributes(),
        );
        spawn_local(async move {
            if let Ok(c) = parts.base.auth.caller().await {
                let _ =
                    api::post_event(&c.base, &c.token, &c.project_id, "new_conversation", &body)
                        .await;
            }
        });
    }

    /// Waits `delay_ms`, cut short when the visitor retries or the browser comes back online.
    async fn wait_to_retry(self, delay_ms: u32) {
        let mut waited = 0;
        while waited < delay_ms && !self.wake.get_value() {
            TimeoutFuture::new(250).await;
            waited += 250;
        }
        self.wake.set_value(false);
    }

    /// The oldest message in the outbox not given up.
    fn next_pending(self) -> Option<Pending> {
        let given_up = self.given_up.get_value();
        self.outbox().first_except(&given_up).cloned()
    }

    /// This tab's outbox, as the store has it.
    fn outbox(self) -> Outbox {
        let json = self
            .parts
            .base
            .store
            .with_value(|store| store.get(&outbox_of(store.tab())));
        Outbox::from_json(json.as_deref())
    }

    /// Changes this tab's stored outbox (no other tab writes it).
    fn edit_outbox(self, change: impl FnOnce(&mut Outbox)) {
        let mut outbox = self.outbox();
        change(&mut outbox);
        self.parts
            .base
            .store
            .with_value(|store| store.set(&outbox_of(store.tab()), &outbox.to_json()));
    }

    /// Posts one prepared message, signing in again once if the token was refused.
    async fn post_pending(self, pending: &Pending) -> Result<Message, ApiError> {
        let parts = self.parts;
        let mut session = parts.base.auth.ensure().await?;
        let body = NewMessage {
            text: Some(pending.text.clone()),
            kind: Some(pending.kind.clone()),
            attributes: Some(Value::Object(pending.attributes.clone())),
            metadata: pending.metadata.clone(),
            sender_fullname: pending
                .attributes
                .get("userFullname")
                .and_then(Value::as_str)
                .map(str::to_owned),
            ..NewMessage::default()
        };
        let project_id = parts.base.config.project_id();
        for attempt in 0..2 {
            let base = parts.base.config.known_api_base().unwrap_or_default();
            match api::post_message(
                &base,
                &session.token,
                &project_id,
                &pending.request_id,
                &body,
            )
            .await
            {
                Err(ApiError::Unauthorized) if attempt == 0 => {
                    parts.conversations.sign_out();
                    session = parts.base.auth.ensure().await?;
                }
                answer => return answer,
            }
        }
        Err(ApiError::Unauthorized)
    }
}
