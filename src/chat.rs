//! The widget's state and everything the visitor and the host page can do with it: open and close,
//! sign in, send and retry messages, follow replies, and report each step as a JavaScript API event.

use std::sync::Arc;

use futures::lock::Mutex;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use tiledesk_protocol::bridge::{LayoutMode, Method, WidgetEvent, WidgetToHost};
use tiledesk_protocol::request::support_group_id;
use tiledesk_protocol::{Message, NewMessage, User, CLIENT_ID_ATTRIBUTE};

use crate::api::{self, ApiError};
use crate::browser::{warn, Store};
use crate::conversation::Conversation;
use crate::host::Host;
use crate::live::{self, Follow};
use crate::settings::Settings;
use crate::storage_keys::{CURRENT_USER, RECIPIENT_ID, TOKEN};

/// A signed-in visitor: the token to send (`JWT …`) and who it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token: String,
    pub user: User,
}

/// Locks that keep sign-in single and messages in the order they were written.
#[derive(Default)]
struct Gates {
    sign_in: Arc<Mutex<()>>,
    sending: Arc<Mutex<()>>,
}

/// The widget's state; cheap to copy into event handlers.
#[derive(Clone, Copy)]
pub struct Chat {
    pub settings: StoredValue<Settings>,
    page_url: StoredValue<String>,
    host: StoredValue<Option<Host>>,
    store: StoredValue<Store>,
    gates: StoredValue<Gates>,
    api_base: RwSignal<Option<String>>,
    session: RwSignal<Option<Session>>,
    request_id: RwSignal<Option<String>>,
    following: RwSignal<Option<String>>,
    pub conversation: RwSignal<Conversation>,
    pub open: RwSignal<bool>,
    pub visible: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
}

impl Chat {
    /// The state for `settings`, with the session and open conversation restored from storage.
    pub fn new(settings: Settings, page_url: String, host: Option<Host>) -> Self {
        let store = Store::new(&settings.project_id);
        let session = match (store.get(TOKEN), store.get(CURRENT_USER)) {
            (Some(token), Some(user)) => serde_json::from_str(&user)
                .ok()
                .map(|user| Session { token, user }),
            _ => None,
        };
        let request_id = session.as_ref().and_then(|_| store.get(RECIPIENT_ID));
        Self {
            settings: StoredValue::new(settings),
            page_url: StoredValue::new(page_url),
            host: StoredValue::new(host),
            store: StoredValue::new(store),
            gates: StoredValue::new(Gates::default()),
            api_base: RwSignal::new(None),
            session: RwSignal::new(session),
            request_id: RwSignal::new(request_id),
            following: RwSignal::new(None),
            conversation: RwSignal::new(Conversation::default()),
            open: RwSignal::new(false),
            visible: RwSignal::new(true),
            error: RwSignal::new(None),
        }
    }

    /// Starts the widget once its view is mounted: tells the host its shape and `onInit`,
    /// opens if asked to, and resumes a stored conversation.
    pub fn start(self) {
        Effect::new(move |_| {
            let mode = match (self.visible.get(), self.open.get()) {
                (false, _) => LayoutMode::Hidden,
                (true, false) => LayoutMode::Closed,
                (true, true) => LayoutMode::Open,
            };
            self.post(WidgetToHost::Layout { mode });
        });
        self.emit(WidgetEvent::Init, self.settings_detail());
        if self.settings.with_value(|s| s.open) {
            self.set_open(true);
        }
        if self.request_id.get_untracked().is_some() {
            spawn_local(async move {
                if self.ensure_session().await.is_ok() {
                    self.follow_conversation();
                }
            });
        }
    }

    /// Carries out a JavaScript API call from the host page.
    pub fn call(self, method: &str) {
        match Method::parse(method) {
            Some(Method::Open) => self.set_open(true),
            Some(Method::Close) => self.set_open(false),
            Some(Method::Show) => self.visible.set(true),
            Some(Method::Hide) => self.visible.set(false),
            None => warn(&format!("unknown method '{method}' ignored")),
        }
    }

    /// Opens or closes the panel, firing `onOpen`/`onClose`; opening signs the visitor in ahead of the first message.
    pub fn set_open(self, open: bool) {
        if self.open.get_untracked() == open {
            return;
        }
        self.open.set(open);
        let event = if open {
            WidgetEvent::Open
        } else {
            WidgetEvent::Close
        };
        self.emit(event, self.settings_detail());
        if open {
            spawn_local(async move {
                if let Err(error) = self.ensure_session().await {
                    self.error.set(Some(error.to_string()));
                }
            });
        }
    }

    /// Shows `text` at once as "sending" and delivers it.
    pub fn send(self, text: String) {
        let client_id = uuid::Uuid::new_v4().to_string();
        self.conversation.update(|c| c.queue(&client_id, &text));
        spawn_local(self.deliver(client_id, text));
    }

    /// Sends a failed message again, under the same client id so the server never stores it twice.
    pub fn retry(self, client_id: String) {
        if let Some(text) = self
            .conversation
            .try_update(|c| c.retry(&client_id))
            .flatten()
        {
            spawn_local(self.deliver(client_id, text));
        }
    }

    async fn deliver(self, client_id: String, text: String) {
        let gate = self.gates.with_value(|g| g.sending.clone());
        let _in_order = gate.lock().await;
        match self.post_message(&client_id, &text).await {
            Ok(message) => {
                self.error.set(None);
                self.receive(vec![message]);
                self.follow_conversation();
            }
            Err(error) => {
                self.conversation.update(|c| c.fail(&client_id));
                self.error.set(Some(error.to_string()));
            }
        }
    }

    /// Posts one message, starting the conversation if needed and signing in again once if the token was refused.
    async fn post_message(self, client_id: &str, text: &str) -> Result<Message, ApiError> {
        let body = NewMessage {
            text: Some(text.to_owned()),
            kind: Some("text".into()),
            attributes: Some(json!({
                CLIENT_ID_ATTRIBUTE: client_id,
                "sourcePage": self.page_url.get_value(),
                "client": web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default(),
            })),
            ..NewMessage::default()
        };
        let request_id = self.request_id();
        let project_id = self.settings.with_value(|s| s.project_id.clone());
        let mut session = self.ensure_session().await?;
        for attempt in 0..2 {
            let base = self.api_base.get_untracked().unwrap_or_default();
            match api::post_message(&base, &session.token, &project_id, &request_id, &body).await {
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
        let project_id = self.settings.with_value(|s| s.project_id.clone());
        let id = support_group_id(&project_id, &uuid::Uuid::new_v4().to_string());
        self.store.with_value(|s| s.set(RECIPIENT_ID, &id));
        self.request_id.set(Some(id.clone()));
        id
    }

    /// The API base and a signed-in session, resolving and signing in only once however many ask.
    async fn ensure_session(self) -> Result<Session, ApiError> {
        let gate = self.gates.with_value(|g| g.sign_in.clone());
        let _single = gate.lock().await;
        let base = match self.api_base.get_untracked() {
            Some(base) => base,
            None => {
                let configured = match self.settings.with_value(|s| s.api_url.is_none()) {
                    true => api::configured_api_url().await,
                    false => None,
                };
                let base = self
                    .settings
                    .with_value(|s| s.api_base(configured.as_deref()));
                self.api_base.set(Some(base.clone()));
                base
            }
        };
        if let Some(session) = self.session.get_untracked() {
            return Ok(session);
        }
        let project_id = self.settings.with_value(|s| s.project_id.clone());
        let answer = api::sign_in_anonymously(&base, &project_id).await?;
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
        Ok(session)
    }

    /// Forgets a refused session (the conversation belonged to it, so it goes too).
    fn sign_out(self) {
        self.store.with_value(|store| {
            store.remove(TOKEN);
            store.remove(CURRENT_USER);
            store.remove(RECIPIENT_ID);
        });
        self.session.set(None);
        self.request_id.set(None);
        self.following.set(None);
    }

    /// Starts following the open conversation live, once.
    fn follow_conversation(self) {
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
            project_id: self.settings.with_value(|s| s.project_id.clone()),
            request_id: request_id.clone(),
        };
        let still_wanted =
            move || self.following.get_untracked().as_deref() == Some(request_id.as_str());
        spawn_local(live::follow(target, still_wanted, move |messages| {
            self.receive(messages)
        }));
    }

    /// Shows messages from the server and fires `onMessageCreated` for each new one once it is rendered.
    fn receive(self, messages: Vec<Message>) {
        let own_id = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()).unwrap_or_default());
        let added = self
            .conversation
            .try_update(|c| c.merge(messages, &own_id))
            .unwrap_or_default();
        if added.is_empty() {
            return;
        }
        Timeout::new(0, move || {
            for message in added {
                self.emit(WidgetEvent::MessageCreated, json!({ "message": message }));
            }
        })
        .forget();
    }

    fn settings_detail(self) -> Value {
        json!({ "default_settings": self.settings.with_value(|s| serde_json::to_value(s).unwrap_or_default()) })
    }

    fn emit(self, name: WidgetEvent, detail: Value) {
        self.post(WidgetToHost::Event { name, detail });
    }

    fn post(self, message: WidgetToHost) {
        self.host.with_value(|host| {
            if let Some(host) = host {
                host.post(message);
            }
        });
    }
}
