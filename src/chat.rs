//! The widget's state and everything the visitor and the host page can do with it: settings that
//! change live, sign-in, conversations, sending and retrying, live replies, and every step reported
//! as a JavaScript API event.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use futures::channel::oneshot;
use futures::future::{select, Either};
use futures::lock::Mutex;
use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Map, Value};
use tiledesk_protocol::bridge::{LayoutMode, WidgetEvent, WidgetToHost};
use tiledesk_protocol::request::support_group_id;
use tiledesk_protocol::{
    AuthResponse, Department, Message, NewMessage, Rating, Request, RequestStatus, User,
    CLIENT_ID_ATTRIBUTE,
};

use crate::api::{self, ApiError};
use crate::browser::{browser_languages, warn, Store};
use crate::commands::{Command, Outgoing};
use crate::conversation::{of_conversation, Conversation, HIDDEN_ATTRIBUTE};
use crate::handover::{CalloutStage, Handover};
use crate::host::Host;
use crate::i18n::{Lang, Text};
use crate::live::{self, Follow};
use crate::outbox::{retry_delay_ms, Outbox, Pending};
use crate::prechat::{fields, Field, FieldKind, FormError};
use crate::settings::{default_pre_chat_form, SettingLayers, Settings};
use crate::storage_keys::{
    ATTRIBUTES, CURRENT_USER, IS_OPEN, OUTBOX, PRE_CHAT_FORM, RECIPIENT_ID, SETTINGS, TOKEN,
};

/// How long `onBeforeMessageSend` listeners on the host page may take before the message goes as it was.
const BEFORE_SEND_WAIT_MS: u32 = 1_000;

/// A signed-in visitor: the token to send (`JWT …`) and who it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token: String,
    pub user: User,
}

/// Where and as whom a call on the visitor's behalf goes.
struct Caller {
    token: String,
    base: String,
    project_id: String,
}

/// The locks that keep sign-in, and the lookup of the API base, single however many ask at once.
#[derive(Default)]
struct Gates {
    sign_in: Arc<Mutex<()>>,
    api_base: Arc<Mutex<()>>,
}

/// Event replies the widget is waiting for, by id.
#[derive(Default)]
struct Replies {
    next_id: u32,
    waiting: HashMap<u32, oneshot::Sender<Value>>,
}

/// The widget's state; cheap to copy into event handlers.
#[derive(Clone, Copy)]
pub struct Chat {
    pub settings: RwSignal<Settings>,
    layers: StoredValue<SettingLayers>,
    /// Messages not yet stored by the server, mirrored in storage.
    outbox: StoredValue<Outbox>,
    /// Client ids of outbox messages the server refused, left until the visitor retries them.
    given_up: StoredValue<HashSet<String>>,
    /// Whether the outbox is being delivered, and whether its back-off should end early.
    draining: StoredValue<bool>,
    wake: StoredValue<bool>,
    /// `tiledesk_hiddenMessage`, until it has been sent.
    hidden_message: StoredValue<Option<String>>,
    page_url: StoredValue<String>,
    host: StoredValue<Option<Host>, LocalStorage>,
    store: StoredValue<Store>,
    gates: StoredValue<Gates>,
    replies: StoredValue<Replies>,
    api_base: RwSignal<Option<String>>,
    session: RwSignal<Option<Session>>,
    request_id: RwSignal<Option<String>>,
    following: RwSignal<Option<String>>,
    pub conversation: RwSignal<Conversation>,
    pub open: RwSignal<bool>,
    pub visible: RwSignal<bool>,
    pub callout: RwSignal<bool>,
    /// Messages from others that arrived while the panel was closed.
    pub unread: RwSignal<u32>,
    /// Whether the visitor closed the panel (so the launcher takes the focus back).
    pub closed_by_visitor: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// The browser's preferred languages, for the interface language.
    browser_languages: StoredValue<Vec<String>>,
    /// The project's departments a visitor can choose from (`GET /:pid/widgets`).
    pub departments: RwSignal<Vec<Department>>,
    /// The department the visitor chose for the next new conversation.
    pub chosen_department: RwSignal<Option<String>>,
    /// Whether the home view (the visitor's conversations) is showing instead of a conversation.
    pub home: RwSignal<bool>,
    /// The visitor's conversations, newest first, as last loaded for the home view.
    pub conversations: RwSignal<Vec<Request>>,
    /// Whether the open conversation has been closed, and whether the visitor rated it.
    pub closed: RwSignal<bool>,
    pub rated: RwSignal<bool>,
    /// Whether the visitor submitted the pre-chat form.
    pub pre_chat_done: RwSignal<bool>,
    /// Whether any agent is available, once known.
    pub agents_available: RwSignal<Option<bool>>,
}

impl Chat {
    /// The state for `layers`, with what an earlier visit stored; `Err` when the settings cannot be used.
    pub fn new(
        mut layers: SettingLayers,
        page_url: String,
        host: Option<Host>,
    ) -> Result<Self, String> {
        let first = layers.resolve().map_err(|e| e.to_string())?;
        let store = Store::new(&first.project_id, first.persistence);
        layers.stored = store.get_map(SETTINGS);
        let settings = layers.resolve().map_err(|e| e.to_string())?;
        let session = restore_session(&store);
        // Signing out forgets the conversation, so a stored one is always this visitor's (perhaps
        // started offline, before any sign-in succeeded).
        let request_id = store.get(RECIPIENT_ID);
        let outbox = Outbox::from_json(store.get(OUTBOX).as_deref());
        let mut conversation = Conversation::default();
        if let Some(request_id) = &request_id {
            for pending in outbox.in_conversation(request_id) {
                if !pending.attributes.contains_key(HIDDEN_ATTRIBUTE) {
                    conversation.queue(&pending.client_id, &pending.text);
                }
            }
        }
        Ok(Self {
            visible: RwSignal::new(!settings.start_hidden),
            open: RwSignal::new(false),
            settings: RwSignal::new(settings),
            outbox: StoredValue::new(outbox),
            given_up: StoredValue::new(HashSet::new()),
            draining: StoredValue::new(false),
            wake: StoredValue::new(false),
            hidden_message: StoredValue::new(layers.url_hidden_message()),
            layers: StoredValue::new(layers),
            page_url: StoredValue::new(page_url),
            host: StoredValue::new_local(host),
            pre_chat_done: RwSignal::new(store.get(PRE_CHAT_FORM).is_some()),
            store: StoredValue::new(store),
            gates: StoredValue::new(Gates::default()),
            replies: StoredValue::new(Replies::default()),
            api_base: RwSignal::new(None),
            session: RwSignal::new(session),
            request_id: RwSignal::new(request_id),
            following: RwSignal::new(None),
            conversation: RwSignal::new(conversation),
            callout: RwSignal::new(false),
            unread: RwSignal::new(0),
            closed_by_visitor: RwSignal::new(false),
            error: RwSignal::new(None),
            browser_languages: StoredValue::new(browser_languages()),
            departments: RwSignal::new(Vec::new()),
            chosen_department: RwSignal::new(None),
            agents_available: RwSignal::new(None),
            home: RwSignal::new(false),
            conversations: RwSignal::new(Vec::new()),
            closed: RwSignal::new(false),
            rated: RwSignal::new(false),
        })
    }

    /// The interface language: the `lang` setting, else the browser's (reactive).
    pub fn lang(self) -> Lang {
        let browser = self.browser_languages.get_value();
        self.settings
            .with(|s| Lang::pick(s.lang.as_deref(), &browser))
    }

    /// A UI string in the interface language (reactive).
    pub fn text(self, key: Text) -> &'static str {
        self.lang().text(key)
    }

    /// What to tell the visitor about an error, in the interface language (reactive).
    pub fn describe(self, error: &ApiError) -> &'static str {
        self.text(match error {
            ApiError::Network => Text::Offline,
            ApiError::Unauthorized => Text::SessionExpired,
            ApiError::Refused { .. } => Text::Refused,
            ApiError::Unreadable => Text::Unreadable,
        })
    }

    /// Closes the panel because the visitor asked to (the close button or Escape): the launcher
    /// takes the keyboard focus back.
    pub fn close_from_panel(self) {
        self.closed_by_visitor.set(true);
        self.set_open(false);
    }

    /// Whether the widget lives in the loader's iframe (rather than top-level in a WebView).
    pub fn embedded(self) -> bool {
        self.host
            .with_value(|host| host.as_ref().is_some_and(Host::is_frame))
    }

    /// Announces the settings before the view mounts (`onLoadParams`, `onBeforeInit`).
    pub fn announce(self) {
        self.emit(WidgetEvent::LoadParams, self.settings_detail());
        self.emit(WidgetEvent::BeforeInit, self.init_detail());
    }

    /// Starts the widget once its view is mounted: the host learns its shape, `onInit` fires,
    /// remote settings load, and a stored session and conversation resume. It carries on from
    /// where the first-load shell got to (`handover`): no event fires twice, the callout keeps its
    /// time, and the chat opens when that is what the visitor asked for.
    pub fn start(self, handover: &Handover) {
        Effect::new(move |_| {
            let mode = match (self.visible.get(), self.open.get(), self.callout.get()) {
                (false, _, _) => LayoutMode::Hidden,
                (true, true, _) => LayoutMode::Open,
                (true, false, true) => LayoutMode::Callout,
                (true, false, false) => LayoutMode::Closed,
            };
            let geometry = Some(self.settings.with(Settings::geometry));
            self.post(WidgetToHost::Layout { mode, geometry });
        });
        if !handover.announced {
            self.emit(WidgetEvent::Init, self.init_detail());
        }
        let remembered_open = self.store.with_value(|s| s.get(IS_OPEN)).as_deref() == Some("true");
        if handover.open || self.settings.with_untracked(|s| s.open) || remembered_open {
            self.set_open(true);
        }
        let callout_due_in_ms = match handover.callout {
            None => u32::try_from(self.settings.with_untracked(|s| s.callout_timer))
                .ok()
                .map(|seconds| seconds.saturating_mul(1000)),
            Some(CalloutStage::Due(at)) => Some((at - js_sys::Date::now()).max(0.0) as u32),
            Some(CalloutStage::Showing) => {
                self.callout.set(!self.open.get_untracked());
                None
            }
            Some(CalloutStage::Over) => None,
        };
        if let Some(ms) = callout_due_in_ms {
            Timeout::new(ms, move || self.show_callout()).forget();
        }
        self.drain_when_online();
        let url_jwt = self.layers.with_value(SettingLayers::url_jwt);
        spawn_local(async move {
            self.load_remote_settings().await;
            if let Some(jwt) = url_jwt {
                if let Err(error) = self.sign_in_with_custom_token(&jwt).await {
                    warn(&format!("tiledesk_jwt was refused: {error}"));
                }
            }
            if let Some(session) = self.session.get_untracked() {
                self.announce_sign_in(&session);
                if self.ensure_session().await.is_ok() {
                    self.follow(true);
                }
            }
            if self.outbox.with_value(|outbox| outbox.first().is_some()) {
                self.drain_outbox();
            }
        });
    }

    /// Delivers the outbox again as soon as the browser is back online.
    fn drain_when_online(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let online = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || self.drain_outbox());
        let _ = window.add_event_listener_with_callback(
            "online",
            wasm_bindgen::JsCast::unchecked_ref(online.as_ref()),
        );
        online.forget();
    }

    /// Carries out a JavaScript API call; with an `id` the outcome resolves the caller's Promise.
    pub fn call(self, id: Option<u32>, method: &str, arg: &Value) {
        let command = match Command::parse(method, arg) {
            Ok(command) => command,
            Err(warning) => {
                warn(&warning);
                return self.respond(id, Err(warning));
            }
        };
        match command {
            Command::Show => self.visible.set(true),
            Command::Hide => self.visible.set(false),
            Command::Open => self.set_open(true),
            Command::Close => self.set_open(false),
            Command::ShowCallout => self.show_callout(),
            Command::SignInAnonymous => {
                return spawn_local(async move {
                    self.sign_out();
                    let answer = self.ensure_session().await;
                    self.respond(
                        id,
                        answer
                            .map(|s| user_json(&s.user))
                            .map_err(|e| e.to_string()),
                    );
                });
            }
            Command::SignInWithCustomToken(jwt) => {
                return spawn_local(async move {
                    let answer = self.sign_in_with_custom_token(&jwt).await;
                    self.respond(
                        id,
                        answer
                            .map(|s| user_json(&s.user))
                            .map_err(|e| e.to_string()),
                    );
                });
            }
            Command::Logout => self.sign_out(),
            Command::ClearStorage => self.store.with_value(Store::clear),
            Command::Restart => {
                self.sign_out();
                self.set_open(false);
            }
            Command::ReInit(host_settings) => self.re_init(host_settings),
            Command::Send(outgoing) => self.send_outgoing(outgoing),
            Command::StartConversation(text) => {
                self.switch_conversation(None);
                self.set_open(true);
                if let Some(text) = text {
                    self.send(text);
                }
            }
            Command::OpenConversationById(request_id) => {
                self.switch_conversation(Some(request_id));
                self.set_open(true);
                spawn_local(async move {
                    if self.ensure_session().await.is_ok() {
                        self.follow_conversation();
                    }
                });
            }
            Command::SetParameter { key, value } => self.set_parameter(key, value),
            Command::SetAttributeParameter { key, value } => self.set_attribute(key, value),
            Command::SetPreChatForm(enabled) => {
                self.set_parameter("preChatForm".into(), enabled.into())
            }
            Command::SetPreChatFormJson(form) => self.set_parameter("preChatFormJson".into(), form),
            Command::GetPreChatFormJson => {
                let form = self
                    .settings
                    .with_untracked(|s| s.pre_chat_form_json.clone());
                return self.respond(id, Ok(form.unwrap_or_else(default_pre_chat_form)));
            }
            Command::SetPrivacyPolicy => self.set_attribute("privacyApproved".into(), true.into()),
        }
        self.respond(id, Ok(Value::Null));
    }

    /// Receives the host's listeners' version of a blocking event's detail.
    pub fn reply(self, id: u32, detail: Value) {
        if let Some(waiting) = self
            .replies
            .try_update_value(|r| r.waiting.remove(&id))
            .flatten()
        {
            let _ = waiting.send(detail);
        }
    }

    /// Opens or closes the panel, firing `onOpen`/`onClose`; opening signs the visitor in ahead of the first message.
    pub fn set_open(self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.open.set(open);
        if open {
            self.unread.set(0);
        }
        self.store
            .with_value(|s| s.set(IS_OPEN, if open { "true" } else { "false" }));
        if open {
            self.hide_callout();
            if self
                .settings
                .with_untracked(|s| s.start_from_home && !s.single_conversation)
            {
                self.show_home();
            }
        }
        let event = if open {
            WidgetEvent::Open
        } else {
            WidgetEvent::Close
        };
        self.emit(event, self.settings_detail());
        if open {
            spawn_local(async move {
                if let Err(error) = self.ensure_session().await {
                    self.error.set(Some(error));
                }
            });
            self.send_hidden_message();
        }
    }

    /// Sends `tiledesk_hiddenMessage` once, when the visitor first opens a new conversation.
    fn send_hidden_message(self) {
        if self.request_id.with_untracked(Option::is_some) {
            return;
        }
        let Some(text) = self.hidden_message.try_update_value(Option::take).flatten() else {
            return;
        };
        let mut attributes = Map::new();
        attributes.insert(HIDDEN_ATTRIBUTE.into(), true.into());
        let client_id = uuid::Uuid::new_v4().to_string();
        self.send_outgoing_as(
            client_id,
            Outgoing {
                text,
                kind: "text".into(),
                metadata: None,
                attributes,
            },
        );
    }

    /// Shows the callout above the launcher (`onOpenEyeCatcher`), unless the panel is open.
    pub fn show_callout(self) {
        if !self.open.get_untracked() && !self.callout.get_untracked() {
            self.callout.set(true);
            self.emit(WidgetEvent::OpenEyeCatcher, self.settings_detail());
        }
    }

    /// Hides the callout (`onClosedEyeCatcher`).
    pub fn hide_callout(self) {
        if self.callout.get_untracked() {
            self.callout.set(false);
            self.emit(WidgetEvent::ClosedEyeCatcher, self.settings_detail());
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

    /// An action button: sends its label with `attributes.action` so a bot can act on it.
    pub fn send_action(self, label: String, action: String) {
        let mut attributes = Map::new();
        attributes.insert("action".into(), action.into());
        self.send_outgoing(Outgoing {
            text: label,
            kind: "text".into(),
            metadata: None,
            attributes,
        });
    }

    /// Sends a failed message again at once, under the same client id so the server never stores it twice.
    pub fn retry(self, client_id: String) {
        self.given_up.update_value(|ids| {
            ids.remove(&client_id);
        });
        if self
            .conversation
            .try_update(|c| c.retry(&client_id))
            .flatten()
            .is_some()
        {
            self.drain_outbox();
        }
    }

    fn send_outgoing(self, outgoing: Outgoing) {
        let client_id = uuid::Uuid::new_v4().to_string();
        self.conversation
            .update(|c| c.queue(&client_id, &outgoing.text));
        self.send_outgoing_as(client_id, outgoing);
    }

    /// Prepares a message once (attributes, `onBeforeMessageSend`, its conversation), puts it in the
    /// stored outbox and has the outbox delivered.
    fn send_outgoing_as(self, client_id: String, outgoing: Outgoing) {
        spawn_local(async move {
            let pending = self.prepare(client_id, outgoing).await;
            self.update_outbox(|outbox| outbox.push(pending));
            self.drain_outbox();
        });
    }

    /// The message as it will be posted: stored and custom attributes, department, page and client,
    /// then whatever `onBeforeMessageSend` listeners changed; the client id always goes last.
    async fn prepare(self, client_id: String, outgoing: Outgoing) -> Pending {
        let starts_conversation = self.request_id.with_untracked(Option::is_none);
        let request_id = self.request_id();
        let mut attributes = Map::new();
        let (fullname, email) = self
            .settings
            .with_untracked(|s| (s.user_fullname.clone(), s.user_email.clone()));
        for (key, value) in [("userFullname", fullname), ("userEmail", email)] {
            if let Some(value) = value {
                attributes.insert(key.into(), value.into());
            }
        }
        attributes.extend(self.store.with_value(|s| s.get_map(ATTRIBUTES)));
        if starts_conversation {
            if let Some(answers) = self.store.with_value(|s| s.get(PRE_CHAT_FORM)) {
                attributes.insert(
                    "preChatForm".into(),
                    serde_json::from_str(&answers).unwrap_or_default(),
                );
            }
        }
        if let Some(Value::Object(custom)) = self
            .settings
            .with_untracked(|s| s.custom_attributes.clone())
        {
            attributes.extend(custom);
        }
        let department = self
            .chosen_department
            .get_untracked()
            .or_else(|| self.settings.with_untracked(|s| s.department_id.clone()));
        if let Some(department) = department {
            attributes.insert("departmentId".into(), department.into());
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
        let draft = json!({ "message": {
            "text": outgoing.text, "type": outgoing.kind, "attributes": attributes, "recipient": request_id
        } });
        let adjusted = self
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

    /// Delivers the outbox in order, one task at a time. A message the server could not take now
    /// (offline, 429, 5xx) waits with back-off, shown as failed with its retry; one it refused is
    /// given up until the visitor retries it.
    fn drain_outbox(self) {
        if self.draining.get_value() {
            self.wake.set_value(true);
            return;
        }
        self.draining.set_value(true);
        spawn_local(async move {
            let mut attempt = 0;
            while let Some(next) = self.next_pending() {
                self.conversation.update(|c| {
                    c.retry(&next.client_id);
                });
                match self.post_pending(&next).await {
                    Ok(message) => {
                        attempt = 0;
                        self.update_outbox(|outbox| outbox.remove(&next.client_id));
                        self.error.set(None);
                        self.emit(WidgetEvent::AfterMessageSend, json!({ "message": message }));
                        self.receive(vec![message]);
                        self.follow_conversation();
                    }
                    Err(error) => {
                        self.conversation.update(|c| c.fail(&next.client_id));
                        let retryable = error.is_retryable();
                        self.error.set(Some(error));
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
        self.outbox
            .with_value(|outbox| outbox.first_except(&given_up).cloned())
    }

    fn update_outbox(self, change: impl FnOnce(&mut Outbox)) {
        self.outbox.update_value(change);
        let json = self.outbox.with_value(Outbox::to_json);
        self.store.with_value(|store| store.set(OUTBOX, &json));
    }

    /// Posts one prepared message, signing in again once if the token was refused.
    async fn post_pending(self, pending: &Pending) -> Result<Message, ApiError> {
        let mut session = self.ensure_session().await?;
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
        let project_id = self.project_id();
        for attempt in 0..2 {
            let base = self.api_base.get_untracked().unwrap_or_default();
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
                    self.sign_out();
                    session = self.ensure_session().await?;
                }
                answer => return answer,
            }
        }
        Err(ApiError::Unauthorized)
    }

    /// The open conversation's id, creating (and storing) a new one on the first message.
    fn request_id(self) -> String {
        if let Some(id) = self.request_id.get_untracked() {
            return id;
        }
        let project_id = self.project_id();
        let id = support_group_id(&project_id, &uuid::Uuid::new_v4().to_string());
        self.store.with_value(|s| s.set(RECIPIENT_ID, &id));
        self.request_id.set(Some(id.clone()));
        self.emit(WidgetEvent::NewConversation, json!({ "newConvId": id }));
        id
    }

    /// Whether the visitor should pick a department before writing: a new conversation, no preset
    /// `departmentID`, no choice yet, and at least two departments to choose from.
    pub fn needs_department(self) -> bool {
        self.request_id.with(Option::is_none)
            && self.chosen_department.with(Option::is_none)
            && self.settings.with(|s| s.department_id.is_none())
            && self.departments.with(|d| !d.is_empty())
    }

    /// Whether the visitor must fill in the pre-chat form before writing (`preChatForm`, a new
    /// conversation, not yet submitted).
    pub fn needs_pre_chat(self) -> bool {
        self.request_id.with(Option::is_none)
            && self.settings.with(|s| s.pre_chat_form)
            && self.pre_chat_done.with(|done| !done)
    }

    /// The pre-chat form's fields in the interface language; the default form (with a console
    /// warning) when the website owner's JSON or one of its patterns is invalid.
    pub fn pre_chat_fields(self) -> Vec<Field> {
        let lang = self.lang().code();
        let form = self
            .settings
            .with_untracked(|s| s.pre_chat_form_json.clone());
        let parsed = fields(form.as_ref(), lang).and_then(|fields| {
            match fields.iter().find(|f| {
                f.pattern
                    .as_ref()
                    .is_some_and(|(p, g)| crate::browser::regex(p, g).is_none())
            }) {
                Some(field) => Err(FormError(format!(
                    "invalid regex in field '{}'",
                    field.name
                ))),
                None => Ok(fields),
            }
        });
        let mut form = parsed.unwrap_or_else(|error| {
            warn(&format!("{}; using the default pre-chat form", error.0));
            fields(None, lang).unwrap_or_default()
        });
        self.settings.with_untracked(|s| {
            for field in form.iter_mut().filter(|f| f.value.is_empty()) {
                match field.name.as_str() {
                    "userFullname" => field.value = s.user_fullname.clone().unwrap_or_default(),
                    "userEmail" => field.value = s.user_email.clone().unwrap_or_default(),
                    _ => {}
                }
            }
            if let Some(privacy) = &s.privacy_field {
                form.push(Field {
                    name: "privacyApproved".into(),
                    kind: FieldKind::Checkbox,
                    label: privacy.clone(),
                    error_label: None,
                    mandatory: true,
                    pattern: None,
                    value: String::new(),
                });
            }
        });
        form
    }

    /// Takes the visitor's answers: `userFullname`/`userEmail` go with every message, the whole
    /// form with the first one (`attributes.preChatForm`).
    pub fn submit_pre_chat(self, answers: Map<String, Value>) {
        self.store.with_value(|store| {
            let mut attributes = store.get_map(ATTRIBUTES);
            for key in ["userFullname", "userEmail"] {
                if let Some(value) = answers
                    .get(key)
                    .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))
                {
                    attributes.insert(key.into(), value.clone());
                }
            }
            store.set(ATTRIBUTES, &Value::Object(attributes).to_string());
            store.set(PRE_CHAT_FORM, &Value::Object(answers).to_string());
        });
        self.pre_chat_done.set(true);
    }

    /// Shows the home view and loads the visitor's conversations.
    pub fn show_home(self) {
        self.home.set(true);
        spawn_local(async move {
            let Ok(caller) = self.caller().await else {
                return;
            };
            if let Ok(page) =
                api::my_conversations(&caller.base, &caller.token, &caller.project_id).await
            {
                self.conversations.set(page.requests);
            }
        });
    }

    /// Opens one of the visitor's conversations from the home view.
    pub fn open_conversation(self, request_id: String, status: i32) {
        self.switch_conversation(Some(request_id));
        self.closed.set(status == RequestStatus::CLOSED);
        self.follow_conversation();
    }

    /// Leaves the home view for a new conversation, started by the next message.
    pub fn new_conversation(self) {
        self.switch_conversation(None);
    }

    /// The visitor ends the open conversation (`closeg`); with `restartConversation` the next
    /// message starts a new one, otherwise the visitor may rate it.
    pub fn end_conversation(self) {
        let Some(request_id) = self.request_id.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let closed = async {
                let c = self.caller().await?;
                api::close_conversation(&c.base, &c.token, &c.project_id, &request_id).await
            };
            match closed.await {
                Ok(_) if self.settings.with_untracked(|s| s.restart_conversation) => {
                    self.switch_conversation(None)
                }
                Ok(_) => self.closed.set(true),
                Err(error) => self.error.set(Some(error)),
            }
        });
    }

    /// The visitor rates the closed conversation from 1 to 5.
    pub fn rate(self, rating: i32) {
        let Some(request_id) = self.request_id.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let body = Rating {
                rating,
                rating_message: None,
            };
            let rated = async {
                let c = self.caller().await?;
                api::rate_conversation(&c.base, &c.token, &c.project_id, &request_id, &body).await
            };
            match rated.await {
                Ok(_) => self.rated.set(true),
                Err(error) => self.error.set(Some(error)),
            }
        });
    }

    /// Whether a conversation is open (so it can be ended).
    pub fn has_conversation(self) -> bool {
        self.request_id.with(Option::is_some)
    }

    /// Tells the host the department chooser is about to show (`onBeforeDepartmentsFormRender`).
    pub fn announce_departments(self) {
        let departments = self.departments.get_untracked();
        self.emit(
            WidgetEvent::BeforeDepartmentsFormRender,
            json!({ "departments": departments }),
        );
    }

    /// Shows another conversation (or, with `None`, a new one on the next message).
    fn switch_conversation(self, request_id: Option<String>) {
        self.store.with_value(|s| match &request_id {
            Some(id) => s.set(RECIPIENT_ID, id),
            None => s.remove(RECIPIENT_ID),
        });
        self.request_id.set(request_id);
        self.closed.set(false);
        self.rated.set(false);
        self.home.set(false);
        self.chosen_department.set(None);
        self.following.set(None);
        self.conversation.set(Conversation::default());
    }

    /// The API base, resolved once (one `widget-config.json` fetch however many ask at once): the
    /// `apiUrl` setting, `widget-config.json`, or Tiledesk Cloud.
    async fn api_base(self) -> String {
        let gate = self.gates.with_value(|g| g.api_base.clone());
        let _single = gate.lock().await;
        if let Some(base) = self.api_base.get_untracked() {
            return base;
        }
        let configured = match self.settings.with_untracked(|s| s.api_url.is_none()) {
            true => api::configured_api_url().await,
            false => None,
        };
        let base = self
            .settings
            .with_untracked(|s| s.api_base(configured.as_deref()));
        self.api_base.set(Some(base.clone()));
        base
    }

    /// The project, as the settings name it now.
    fn project_id(self) -> String {
        self.settings.with_untracked(|s| s.project_id.clone())
    }

    /// Where and as whom to call the API for the visitor, signing in first if needed.
    async fn caller(self) -> Result<Caller, ApiError> {
        let session = self.ensure_session().await?;
        Ok(Caller {
            token: session.token,
            base: self.api_base().await,
            project_id: self.project_id(),
        })
    }

    /// A signed-in session, signing in anonymously only once however many ask.
    async fn ensure_session(self) -> Result<Session, ApiError> {
        let gate = self.gates.with_value(|g| g.sign_in.clone());
        let _single = gate.lock().await;
        let base = self.api_base().await;
        if let Some(session) = self.session.get_untracked() {
            return Ok(session);
        }
        let project_id = self.project_id();
        let answer = api::sign_in_anonymously(&base, &project_id).await?;
        Ok(self.signed_in(answer))
    }

    async fn sign_in_with_custom_token(self, jwt: &str) -> Result<Session, ApiError> {
        let gate = self.gates.with_value(|g| g.sign_in.clone());
        let _single = gate.lock().await;
        let base = self.api_base().await;
        let answer = api::sign_in_with_custom_token(&base, jwt).await?;
        if self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id != answer.user.id))
            .unwrap_or(true)
        {
            self.switch_conversation(None);
        }
        Ok(self.signed_in(answer))
    }

    fn signed_in(self, answer: AuthResponse) -> Session {
        let session = Session {
            token: answer.token,
            user: answer.user,
        };
        self.store.with_value(|store| {
            store.set(TOKEN, &session.token);
            store.set(
                CURRENT_USER,
                &serde_json::to_string(&session.user).unwrap_or_default(),
            );
        });
        self.session.set(Some(session.clone()));
        self.announce_sign_in(&session);
        session
    }

    fn announce_sign_in(self, session: &Session) {
        self.emit(
            WidgetEvent::AuthStateChanged,
            json!({ "event": "online", "isLogged": true, "user_id": session.user.id, "user": user_json(&session.user) }),
        );
    }

    /// Forgets the session and its conversation (`onAuthStateChanged` offline).
    fn sign_out(self) {
        let was_signed_in = self.session.with_untracked(Option::is_some);
        self.store.with_value(|store| {
            store.remove(TOKEN);
            store.remove(CURRENT_USER);
        });
        self.session.set(None);
        self.switch_conversation(None);
        if was_signed_in {
            self.emit(
                WidgetEvent::AuthStateChanged,
                json!({ "event": "offline", "isLogged": false, "user_id": null }),
            );
        }
    }

    /// Applies the project's saved widget settings (`GET /:pid/widgets`) as the lowest layer.
    async fn load_remote_settings(self) {
        let base = self.api_base().await;
        let project_id = self.project_id();
        if let Ok(config) = api::widget_config(&base, &project_id).await {
            if let Some(Value::Object(remote)) = config.project.widget {
                self.update_layers(|layers| layers.remote = remote);
            }
            self.agents_available
                .set(Some(!config.user_available.is_empty()));
            let choosable: Vec<Department> = config
                .departments
                .iter()
                .filter(|d| !d.default)
                .cloned()
                .collect();
            self.departments.set(if choosable.len() >= 2 {
                choosable
            } else {
                Vec::new()
            });
        }
    }

    /// `setParameter`: a setting changed live, remembered for later visits too.
    fn set_parameter(self, key: String, value: Value) {
        self.store.with_value(|store| {
            let mut stored = store.get_map(SETTINGS);
            stored.insert(key.clone(), value.clone());
            store.set(SETTINGS, &Value::Object(stored).to_string());
        });
        let open = (key == "open" || key == "isOpen")
            .then(|| value.as_bool())
            .flatten();
        self.update_layers(|layers| {
            layers.live.insert(key, value);
        });
        if let Some(open) = open {
            self.set_open(open);
        }
    }

    /// `setAttributeParameter`: an attribute sent with every message from now on.
    fn set_attribute(self, key: String, value: Value) {
        self.store.with_value(|store| {
            let mut attributes = store.get_map(ATTRIBUTES);
            attributes.insert(key, value);
            store.set(ATTRIBUTES, &Value::Object(attributes).to_string());
        });
    }

    /// `reInit`: starts again from new `window.tiledeskSettings`.
    fn re_init(self, host_settings: Value) {
        let project_before = self.project_id();
        self.update_layers(|layers| {
            layers.host = host_settings.as_object().cloned().unwrap_or_default()
        });
        let settings = self.settings.get_untracked();
        if settings.project_id != project_before {
            self.sign_out();
            self.store
                .set_value(Store::new(&settings.project_id, settings.persistence));
        }
        self.visible.set(!settings.start_hidden);
        self.emit(WidgetEvent::Init, self.init_detail());
    }

    /// Recomputes the settings after changing a layer; a change that leaves them unusable is undone.
    fn update_layers(self, change: impl FnOnce(&mut SettingLayers)) {
        let mut layers = self.layers.get_value();
        change(&mut layers);
        match layers.resolve() {
            Ok(settings) => {
                self.layers.set_value(layers);
                self.settings.set(settings);
            }
            Err(error) => warn(&format!("settings change ignored: {error}")),
        }
    }

    /// Starts following the open conversation live, once.
    fn follow_conversation(self) {
        self.follow(false);
    }

    /// Follows the open conversation live, once; when `restoring` one stored from an earlier page,
    /// its first batch is the conversation so far and counts as read. Otherwise (just started, or
    /// opened by the visitor) whatever someone else wrote is news.
    fn follow(self, restoring: bool) {
        let (Some(request_id), Some(session), Some(api_base)) = (
            self.request_id.get_untracked(),
            self.session.get_untracked(),
            self.api_base.get_untracked(),
        ) else {
            return;
        };
        if self.following.get_untracked().as_deref() == Some(request_id.as_str()) {
            return;
        }
        self.following.set(Some(request_id.clone()));
        let target = Follow {
            api_base,
            token: session.token,
            project_id: self.project_id(),
            request_id: request_id.clone(),
        };
        let still_wanted =
            move || self.following.get_untracked().as_deref() == Some(request_id.as_str());
        let history_shown = std::cell::Cell::new(!restoring);
        spawn_local(live::follow(target, still_wanted, move |messages| {
            let news = history_shown.replace(true);
            let incoming = self.receive(messages);
            if news && incoming > 0 {
                self.notify(incoming);
            }
        }));
    }

    /// Tells the visitor about `incoming` new messages: counted on the launcher while the panel is
    /// closed, and a short tone (`soundEnabled`) when they are not looking.
    fn notify(self, incoming: usize) {
        let hidden_page = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        let closed = !self.open.get_untracked();
        if closed {
            self.unread.update(|count| *count += incoming as u32);
        }
        if (closed || hidden_page) && self.settings.with_untracked(|s| s.sound_enabled) {
            crate::browser::play_tone();
        }
    }

    /// Shows messages from the server; once they are rendered, fires `onMessageCreated` for each new
    /// one and `onConversationUpdated` when someone else wrote. Returns how many new ones someone else wrote.
    fn receive(self, messages: Vec<Message>) -> usize {
        let own_id = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()).unwrap_or_default());
        let messages = self
            .request_id
            .with_untracked(|id| of_conversation(messages, id.as_deref()));
        let added = self
            .conversation
            .try_update(|c| c.merge(messages, &own_id))
            .unwrap_or_default();
        let incoming = added.iter().filter(|m| m.sender != own_id).count();
        let Some(last_incoming) = added.iter().rev().find(|m| m.sender != own_id).cloned() else {
            self.after_render(added, None);
            return 0;
        };
        let conversation = json!({
            "uid": last_incoming.recipient,
            "recipient": last_incoming.recipient,
            "last_message_text": last_incoming.text,
            "sender": last_incoming.sender,
            "sender_fullname": last_incoming.sender_fullname,
            "timestamp": last_incoming.created_at,
            "is_new": true,
        });
        self.after_render(added, Some(conversation));
        incoming
    }

    fn after_render(self, added: Vec<Message>, conversation: Option<Value>) {
        if added.is_empty() {
            return;
        }
        Timeout::new(0, move || {
            for message in added {
                self.emit(WidgetEvent::MessageCreated, json!({ "message": message }));
            }
            if let Some(conversation) = conversation {
                self.emit(
                    WidgetEvent::ConversationUpdated,
                    json!({ "conversation": conversation }),
                );
            }
        })
        .forget();
    }

    fn respond(self, id: Option<u32>, outcome: Result<Value, String>) {
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

    fn settings_detail(self) -> Value {
        self.settings.with_untracked(Settings::event_detail)
    }

    fn init_detail(self) -> Value {
        let (open, api_base) = (self.open.get_untracked(), self.api_base.get_untracked());
        self.settings
            .with_untracked(|s| s.init_detail(open, api_base.as_deref()))
    }

    fn emit(self, name: WidgetEvent, detail: Value) {
        self.post(WidgetToHost::Event {
            name,
            detail,
            id: None,
        });
    }

    /// Fires a blocking event and waits (bounded) for the host's listeners' version of its detail.
    async fn emit_and_wait(self, name: WidgetEvent, detail: Value) -> Value {
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
        match select(receiver, TimeoutFuture::new(BEFORE_SEND_WAIT_MS)).await {
            Either::Left((Ok(changed), _)) => changed,
            _ => {
                self.replies.update_value(|r| {
                    r.waiting.remove(&id);
                });
                detail
            }
        }
    }

    fn post(self, message: WidgetToHost) {
        let host = self.host.with_value(Clone::clone);
        if let Some(host) = host {
            host.post(message);
        }
    }
}

fn restore_session(store: &Store) -> Option<Session> {
    let token = store.get(TOKEN)?;
    let user = serde_json::from_str(&store.get(CURRENT_USER)?).ok()?;
    Some(Session { token, user })
}

fn user_json(user: &User) -> Value {
    serde_json::to_value(user).unwrap_or_default()
}
