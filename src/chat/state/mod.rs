//! The chat's state, split by concern into parts that each own their signals and rules: settings
//! (`config`), the page's API (`page`, `calls`), sign-in (`auth`), the frame on the page (`panel`),
//! what is asked before a conversation (`intake`), the conversations (`conversations`,
//! `open_conversation`, with typing in `activity`), read receipts (`receipts`), sending
//! (`sending`), files to send (`attachments`) and voice messages (`recorder`), the home view's
//! facts (`home`) and link previews (`previews`). `Chat` is the small handle the views use.

mod activity;
mod attachments;
mod auth;
mod calls;
mod config;
mod conversations;
mod home;
mod intake;
mod open_conversation;
mod page;
mod panel;
mod previews;
mod receipts;
mod recorder;
mod sending;

use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};
use tiledesk_protocol::bridge::{StorageArea, WidgetEvent, WidgetToHost};

pub use attachments::{Attachments, Problem};
pub use auth::{Auth, Session};
pub use config::Config;
pub use conversations::Conversations;
pub use home::Home;
pub use intake::Intake;
pub use open_conversation::OpenConversation;
pub use page::Page;
pub use panel::Panel;
pub use previews::Previews;
pub use receipts::Receipts;
pub use recorder::{Recorder, Recording};
pub use sending::Sending;

use crate::chat::host::Host;
use crate::chat::net::api;
use crate::core::conversation::{Conversation, HIDDEN_ATTRIBUTE};
use crate::core::handover::{CalloutStage, Handover};
use crate::core::i18n::{Lang, Text};
use crate::core::outbox::Outbox;
use crate::core::server_events::auth_state_changed;
use crate::core::settings::{default_pre_chat_form, SettingLayers};
use crate::core::storage_keys::{CURRENT_USER, OUTBOX, RECIPIENT_ID};
use crate::platform::browser::{is_mobile, warn};
use crate::platform::storage::{Storage, Store};

/// The parts most others work with: the settings, the page, sign-in, the panel and storage.
#[derive(Clone, Copy)]
pub struct Base {
    pub config: Config,
    pub page: Page,
    pub auth: Auth,
    pub panel: Panel,
    pub store: StoredValue<Store>,
}

/// The widget's state; cheap to copy into event handlers.
#[derive(Clone, Copy)]
pub struct Chat {
    pub config: Config,
    pub page: Page,
    pub auth: Auth,
    pub panel: Panel,
    pub intake: Intake,
    pub conversations: Conversations,
    pub sending: Sending,
    pub attachments: Attachments,
    pub recorder: Recorder,
    pub home: Home,
    pub previews: Previews,
    receipts: Receipts,
    store: StoredValue<Store>,
}

impl Chat {
    /// The state for `layers` on the page at `page_url`, with what an earlier visit left in
    /// `storage`; `Err` when the settings cannot be used.
    pub fn new(
        layers: SettingLayers,
        page_url: String,
        host: Option<Host>,
        storage: &Storage,
    ) -> Result<Self, String> {
        let hidden_message = layers.url_hidden_message();
        let (config, store) = Config::load(layers, storage)?;
        let api_url = config.settings.with_untracked(|s| s.api_url.clone());
        auth::settle_binding(&store, api_url.as_deref());
        // Signing out forgets the conversation, so a stored one is always this visitor's (perhaps
        // started offline, before any sign-in succeeded).
        let request_id = store.get(RECIPIENT_ID);
        // What any tab (this one's earlier pages among them) has not delivered yet shows as sending.
        let outboxes: Vec<Outbox> = store
            .names_starting(OUTBOX)
            .iter()
            .map(|name| Outbox::from_json(store.get(name).as_deref()))
            .collect();
        let mut lines = Conversation::default();
        if let Some(request_id) = &request_id {
            for pending in outboxes.iter().flat_map(|o| o.in_conversation(request_id)) {
                if !pending.attributes.contains_key(HIDDEN_ATTRIBUTE) {
                    lines.queue_message(
                        &pending.client_id,
                        &pending.text,
                        &pending.kind,
                        pending.metadata.clone(),
                    );
                }
            }
        }
        let store = StoredValue::new(store);
        let page = Page::new(host);
        let auth = Auth::new(config, page, store);
        let panel = Panel::new(config, page, store);
        let intake = Intake::new(config, page, store);
        let base = Base {
            config,
            page,
            auth,
            panel,
            store,
        };
        let open = OpenConversation::new(request_id, lines, base);
        let conversations = Conversations::new(open, config, auth, intake, panel);
        let sending = Sending::new(
            hidden_message,
            page_url,
            sending::Parts {
                base,
                conversations,
                intake,
            },
        );
        let attachments = Attachments::new(base, sending);
        let chat = Self {
            config,
            page,
            auth,
            panel,
            intake,
            conversations,
            sending,
            attachments,
            recorder: Recorder::new(config, attachments),
            home: Home::new(config),
            previews: Previews::new(auth),
            receipts: Receipts::new(base),
            store,
        };
        page.set_context(move || chat.context());
        Ok(chat)
    }

    /// The widget's context in events' details, as the Tiledesk widget gives it: `global` (the
    /// project, whether the panel is open, who is signed in, the open conversation, the
    /// attributes, the language), `default_settings` and `appConfigs`.
    fn context(self) -> Map<String, Value> {
        let Value::Object(mut context) = self.config.init_detail(self.panel.open.get_untracked())
        else {
            return Map::new();
        };
        if let Some(Value::Object(global)) = context.get_mut("global") {
            let session = self.auth.current();
            global.insert("isLogged".into(), session.is_some().into());
            global.insert(
                "senderId".into(),
                session.map(|s| s.user.id).map_or(Value::Null, Value::from),
            );
            global.insert(
                "recipientId".into(),
                self.conversations
                    .open
                    .id()
                    .map_or(Value::Null, Value::from),
            );
            global.insert(
                "attributes".into(),
                Value::Object(self.intake.message_attributes()),
            );
            global.insert("lang".into(), self.config.lang().code().into());
        }
        context
    }

    /// The interface language (reactive).
    pub fn lang(self) -> Lang {
        self.config.lang()
    }

    /// A UI string in the interface language, the project's label where it saved one (reactive).
    pub fn text(self, key: Text) -> String {
        self.config.text(key)
    }

    /// Announces the settings before the view mounts (`onLoadParams`, `onBeforeInit`).
    pub fn announce(self) {
        self.page
            .emit(WidgetEvent::LoadParams, self.config.settings_detail());
        self.page
            .emit_in_context(WidgetEvent::BeforeInit, Value::Null);
    }

    /// Starts the widget once its view is mounted: the host learns its shape, `onInit` fires,
    /// remote settings load, and a stored session and conversation resume. It carries on from
    /// where the first-load shell got to (`handover`): no event fires twice, the callout keeps its
    /// time, and the chat opens when that is what the visitor asked for.
    pub fn start(self, handover: &Handover) {
        self.panel.hand_draft(handover.draft.clone());
        self.panel.keep_layout();
        self.panel.watch_page_visibility();
        let conversations = self.conversations;
        let showing = Signal::derive(move || self.panel.open.get() && !conversations.home.get());
        self.receipts.keep(conversations.open, showing);
        if !handover.announced {
            self.page.emit_in_context(WidgetEvent::Init, Value::Null);
        }
        let left_open = self.panel.was_open();
        if handover.open
            || self
                .config
                .settings
                .with_untracked(|s| s.opens_on_load(is_mobile(), left_open))
        {
            self.set_open(true);
        }
        let callout_due_in_ms = match handover.callout {
            None => u32::try_from(self.config.settings.with_untracked(|s| s.callout_timer))
                .ok()
                .map(|seconds| seconds.saturating_mul(1000)),
            Some(CalloutStage::Due(at)) => Some((at - js_sys::Date::now()).max(0.0) as u32),
            Some(CalloutStage::Showing) => {
                self.panel.callout.set(!self.panel.open.get_untracked());
                None
            }
            Some(CalloutStage::Over) => None,
        };
        if let Some(ms) = callout_due_in_ms {
            let panel = self.panel;
            Timeout::new(ms, move || panel.show_callout()).forget();
        }
        self.sending.drain_when_online();
        self.report_sign_ins();
        self.keep_props();
        let url_jwt = self.config.layers(SettingLayers::url_jwt);
        spawn_local(async move {
            self.load_remote_settings().await;
            if let Some(jwt) = url_jwt {
                if let Err(error) = self.sign_in_with_custom_token(&jwt).await {
                    warn(&format!("tiledesk_jwt was refused: {error}"));
                }
            }
            if self.auth.current().is_some() {
                self.auth.announce();
                if self.auth.ensure().await.is_ok() {
                    self.conversations.open.follow(true);
                }
            }
            self.sending.adopt_orphans();
        });
    }

    /// Opens or closes the panel (`onOpen`/`onClose`); opening signs the visitor in ahead of the
    /// first message and may start a conversation with `tiledesk_hiddenMessage`.
    pub fn set_open(self, open: bool) {
        if !self.panel.set_open(open) || !open {
            return;
        }
        self.conversations.show_home_on_open();
        spawn_local(async move {
            if let Err(error) = self.auth.ensure().await {
                self.panel.error.set(Some(error));
            }
        });
        self.sending.send_hidden_message();
    }

    /// Turns the notification sound on or off (the options menu), remembered as `soundEnabled`.
    pub fn set_sound(self, on: bool) {
        self.store.with_value(|store| {
            self.config
                .set_parameter("soundEnabled".into(), on.into(), store)
        });
    }

    /// Closes the panel because the visitor asked to (the close button or Escape): the launcher
    /// takes the keyboard focus back.
    pub fn close_from_panel(self) {
        self.panel.closed_by_visitor.set(true);
        self.set_open(false);
    }

    /// Another tab changed `key` of `area` in the host site's storage: this tab follows its
    /// sign-in, its conversation and its outbox.
    pub fn stored_elsewhere(self, area: StorageArea, key: &str, value: Option<String>) {
        let store = self.store.get_value();
        match store.changed_elsewhere(area, key, value.clone()) {
            // Signing in writes the token first, signing out removes it first: the user is last.
            Some(CURRENT_USER) if self.auth.reload() => {
                self.conversations.switch(store.get(RECIPIENT_ID));
            }
            Some(RECIPIENT_ID) if value != self.conversations.open.id() => {
                self.conversations.switch(value);
                self.conversations.open.follow(true);
            }
            Some(name) if name.starts_with(OUTBOX) => self.sending.adopt_orphans(),
            _ => {}
        }
    }

    /// The loader holds the lock `name` this tab asked for, with the value it named read afresh
    /// (`None` when the host page's storage failed).
    pub fn granted(self, name: &str, value: Option<Option<String>>) {
        self.store.with_value(|store| store.granted(name, value));
    }

    /// Whether the visitor must fill in the pre-chat form before writing (reactive).
    pub fn needs_pre_chat(self) -> bool {
        self.conversations.open.is_new() && self.intake.pre_chat_pending()
    }

    /// Whether the visitor should pick a department before writing (reactive).
    pub fn needs_department(self) -> bool {
        self.conversations.open.is_new() && self.intake.department_pending()
    }

    /// Keeps the page's synchronous getters (`getPreChatFormJson()`) answering as the settings are.
    fn keep_props(self) {
        Effect::new(move |_| {
            let form = self
                .config
                .settings
                .with(|s| s.pre_chat_form_json.clone())
                .unwrap_or_else(default_pre_chat_form);
            self.page.post(WidgetToHost::Props {
                pre_chat_form_json: form,
            });
        });
    }

    /// Tells the server each time someone signs in (`auth_state_changed`), as the Tiledesk
    /// widget does; a token it refuses there hides the widget and removes it from the page.
    fn report_sign_ins(self) {
        Effect::new(move |_| {
            let Some(user_id) = self.auth.signed_in_as() else {
                return;
            };
            let body = auth_state_changed(
                Some(&user_id),
                true,
                self.config.lang_untracked().code(),
                &self.intake.message_attributes(),
            );
            spawn_local(async move {
                let Some(session) = self.auth.current() else {
                    return;
                };
                let base = self.config.api_base().await;
                let project = self.config.project_id();
                let answer =
                    api::post_event(&base, &session.token, &project, "auth_state_changed", &body)
                        .await;
                if answer == Err(api::ApiError::Unauthorized) {
                    self.panel.visible.set(false);
                    self.page.post(WidgetToHost::Dispose);
                }
            });
        });
    }

    /// Signs in with the website owner's token; a different visitor starts without the
    /// conversation of the one before.
    async fn sign_in_with_custom_token(self, jwt: &str) -> Result<Session, api::ApiError> {
        let (session, someone_else) = self.auth.sign_in_with_custom_token(jwt).await?;
        if someone_else {
            self.conversations.switch(None);
        }
        Ok(session)
    }

    /// Applies the project's saved widget settings (`GET /:pid/widgets`) as the lowest layer, with
    /// its departments and agents' availability.
    pub(super) async fn load_remote_settings(self) {
        let base = self.config.api_base().await;
        match api::widget_config(&base, &self.config.project_id()).await {
            Ok(config) => {
                if let Some(Value::Object(remote)) = config.project.widget.clone() {
                    self.config.apply_remote(remote);
                }
                self.intake.apply(&config);
                self.sending.apply_rules(&config.bots_rules);
            }
            Err(_) => self.intake.unavailable(),
        }
        spawn_local(self.config.load_labels());
    }
}
