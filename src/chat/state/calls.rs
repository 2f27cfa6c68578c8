//! The page's JavaScript API calls, carried out on the chat's parts; with an `id`, the outcome
//! settles the caller's Promise.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use tiledesk_protocol::bridge::WidgetEvent;

use super::auth::user_json;
use super::Chat;
use crate::core::commands::Command;
use crate::core::settings::default_pre_chat_form;
use crate::core::storage_keys::RECIPIENT_ID;
use crate::platform::browser::warn;
use crate::platform::storage::Store;

impl Chat {
    /// Carries out a JavaScript API call; with an `id` the outcome resolves the caller's Promise.
    pub fn call(self, id: Option<u32>, method: &str, arg: &Value) {
        let command = match Command::parse(method, arg) {
            Ok(command) => command,
            Err(warning) => {
                warn(&warning);
                return self.page.respond(id, Err(warning));
            }
        };
        let conversations = self.conversations;
        match command {
            Command::Show => self.panel.visible.set(true),
            Command::Hide => self.panel.visible.set(false),
            Command::Open => self.set_open(true),
            Command::Close => self.set_open(false),
            Command::ShowCallout => self.panel.show_callout(),
            Command::SignInAnonymous => {
                return spawn_local(async move {
                    conversations.sign_out();
                    let answer = self.auth.ensure().await;
                    self.page.respond(
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
                    self.page.respond(
                        id,
                        answer
                            .map(|s| user_json(&s.user))
                            .map_err(|e| e.to_string()),
                    );
                });
            }
            Command::Logout => {
                let was_signed_in = self.auth.current().is_some();
                conversations.sign_out();
                return self.page.respond(id, Ok(was_signed_in.into()));
            }
            Command::ClearStorage => {
                self.store.with_value(Store::clear);
                return self.page.respond(id, Ok(true.into()));
            }
            Command::Restart => self.restart(),
            Command::ReInit(host_settings) => self.re_init(host_settings),
            Command::Send(outgoing) => self.sending.send_outgoing(outgoing),
            Command::StartConversation(text) => {
                conversations.switch(None);
                self.set_open(true);
                if let Some(text) = text {
                    self.sending.send_intent(&text);
                }
            }
            Command::OpenConversationById(request_id) => {
                conversations.switch(Some(request_id));
                self.set_open(true);
                spawn_local(async move {
                    if self.auth.ensure().await.is_ok() {
                        conversations.open.follow(false);
                    }
                });
            }
            Command::SetParameter { key, value } => self.set_parameter(key, value),
            Command::SetAttributeParameter { key, value } => self.intake.set_attribute(key, value),
            Command::SetPreChatForm(enabled) => {
                self.set_parameter("preChatForm".into(), enabled.into())
            }
            Command::SetPreChatFormJson(form) => self.set_parameter("preChatFormJson".into(), form),
            Command::GetPreChatFormJson => {
                let form = self
                    .config
                    .settings
                    .with_untracked(|s| s.pre_chat_form_json.clone());
                return self
                    .page
                    .respond(id, Ok(form.unwrap_or_else(default_pre_chat_form)));
            }
            Command::SetPrivacyPolicy => self
                .intake
                .set_attribute("privacyApproved".into(), true.into()),
        }
        self.page.respond(id, Ok(Value::Null));
    }

    /// `setParameter`: a setting changed live and remembered; `open`/`isOpen` also open or close.
    fn set_parameter(self, key: String, value: Value) {
        let open = (key == "open" || key == "isOpen")
            .then(|| value.as_bool())
            .flatten();
        self.store
            .with_value(|store| self.config.set_parameter(key, value, store));
        if let Some(open) = open {
            self.set_open(open);
        }
    }

    /// `restart`: the widget starts again as on a new page, the visitor and their conversation
    /// kept: the panel closes, the start-up events fire again, the remote settings reload and
    /// the conversation is followed afresh.
    fn restart(self) {
        self.set_open(false);
        self.announce();
        self.page.emit_in_context(WidgetEvent::Init, Value::Null);
        let store = self.store.get_value();
        self.conversations.switch(store.get(RECIPIENT_ID));
        spawn_local(async move {
            self.load_remote_settings().await;
            if self.auth.ensure().await.is_ok() {
                self.conversations.open.follow(true);
            }
        });
    }

    /// `reInit`: starts again from new `window.tiledeskSettings`, as Tiledesk does: the visitor
    /// is signed out and what the widget kept is forgotten, so a new visitor starts.
    fn re_init(self, host_settings: Value) {
        self.set_open(false);
        self.conversations.sign_out();
        self.store.with_value(Store::clear);
        self.config
            .replace_host_settings(host_settings.as_object().cloned().unwrap_or_default());
        let settings = self.config.settings.get_untracked();
        let store = self
            .store
            .with_value(|s| s.for_project(&settings.project_id, settings.persistence));
        self.store.set_value(store);
        self.panel.visible.set(!settings.start_hidden);
        self.announce();
        self.page.emit_in_context(WidgetEvent::Init, Value::Null);
    }
}
