//! Who the visitor is signed in as: anonymous or custom-token sign-in (once however many ask at
//! once), the token remembered across pages, and signing out.

use std::sync::Arc;

use futures::lock::Mutex;
use leptos::prelude::*;
use serde_json::{json, Value};
use tiledesk_protocol::bridge::WidgetEvent;
use tiledesk_protocol::{AuthResponse, User};

use super::config::Config;
use super::page::Page;
use crate::chat::net::api::{self, ApiError};
use crate::core::storage_keys::{
    current_user_json, parse_current_user, token_api, CURRENT_USER, RECIPIENT_ID, TOKEN, TOKEN_API,
};
use crate::platform::storage::Store;

/// A signed-in visitor: the token to send (`JWT …`) and who it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub token: String,
    pub user: User,
}

/// Where and as whom a call on the visitor's behalf goes.
pub struct Caller {
    pub token: String,
    pub base: String,
    pub project_id: String,
}

/// The sign-in part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<Session>>,
    gate: StoredValue<Arc<Mutex<()>>>,
    config: Config,
    page: Page,
    store: StoredValue<Store>,
}

impl Auth {
    /// Sign-in for the project, resuming the session an earlier page stored (see `settle_binding`).
    pub fn new(config: Config, page: Page, store: StoredValue<Store>) -> Self {
        Self {
            session: RwSignal::new(store.with_value(restore_session)),
            gate: StoredValue::new(Arc::default()),
            config,
            page,
            store,
        }
    }

    /// The session, if the visitor is signed in.
    pub fn current(self) -> Option<Session> {
        self.session.get_untracked()
    }

    /// The signed-in visitor's user id, if someone is signed in (reactive).
    pub fn signed_in_as(self) -> Option<String> {
        self.session.with(|s| s.as_ref().map(|s| s.user.id.clone()))
    }

    /// The signed-in visitor's user id; empty when signed out.
    pub fn user_id(self) -> String {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()).unwrap_or_default())
    }

    /// A signed-in session, signing in anonymously only once however many ask.
    pub async fn ensure(self) -> Result<Session, ApiError> {
        let gate = self.gate.get_value();
        let _single = gate.lock().await;
        let base = self.config.api_base().await;
        if let Some(session) = self.session.get_untracked() {
            return Ok(session);
        }
        let answer = api::sign_in_anonymously(&base, &self.config.project_id()).await?;
        Ok(self.signed_in(answer))
    }

    /// Where and as whom to call the API for the visitor, signing in first if needed.
    pub async fn caller(self) -> Result<Caller, ApiError> {
        let session = self.ensure().await?;
        Ok(Caller {
            token: session.token,
            base: self.config.api_base().await,
            project_id: self.config.project_id(),
        })
    }

    /// Signs in with the website owner's token; with it, whether the visitor is someone else now.
    pub async fn sign_in_with_custom_token(self, jwt: &str) -> Result<(Session, bool), ApiError> {
        let gate = self.gate.get_value();
        let _single = gate.lock().await;
        let base = self.config.api_base().await;
        let answer = api::sign_in_with_custom_token(&base, jwt).await?;
        let someone_else = self.user_id() != answer.user.id;
        Ok((self.signed_in(answer), someone_else))
    }

    /// Tells the page who is signed in (`onAuthStateChanged` online), as when a session resumes.
    pub fn announce(self) {
        if let Some(session) = self.current() {
            self.page.emit_in_context(
                WidgetEvent::AuthStateChanged,
                json!({ "event": "online", "isLogged": true, "user_id": session.user.id, "user": user_json(&session.user) }),
            );
        }
    }

    /// Forgets the session (`onAuthStateChanged` offline, if someone was signed in).
    pub fn sign_out(self) {
        self.store.with_value(|store| {
            for name in [TOKEN, CURRENT_USER, TOKEN_API] {
                store.remove(name);
            }
        });
        self.take(None);
    }

    /// Another tab signed in or out: this one follows. Whether the visitor is someone else now.
    pub fn reload(self) -> bool {
        let stored = self.store.with_value(restore_session);
        let someone_else = stored.as_ref().map(|s| &s.user.id)
            != self
                .session
                .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()))
                .as_ref();
        if stored != self.session.get_untracked() {
            self.take(stored);
        }
        someone_else
    }

    /// Makes `session` the current one, telling the page when that signs the visitor in or out.
    fn take(self, session: Option<Session>) {
        let was_signed_in = self.session.with_untracked(Option::is_some);
        let signed_in = session.is_some();
        self.session.set(session);
        if signed_in {
            self.announce();
        } else if was_signed_in {
            self.page.emit_in_context(
                WidgetEvent::AuthStateChanged,
                json!({ "event": "offline", "isLogged": false, "user_id": null }),
            );
        }
    }

    fn signed_in(self, answer: AuthResponse) -> Session {
        let session = Session {
            token: answer.token,
            user: answer.user,
        };
        let binding = self.binding();
        self.store.with_value(|store| {
            store.set(TOKEN, &session.token);
            store.set(CURRENT_USER, &current_user_json(&session.user));
            store.set(TOKEN_API, &binding);
        });
        self.session.set(Some(session.clone()));
        self.announce();
        self.page.emit_in_context(
            WidgetEvent::LoggedIn,
            json!({ "user": user_json(&session.user) }),
        );
        session
    }

    /// The API this visitor's token may go to.
    fn binding(self) -> String {
        self.config
            .settings
            .with_untracked(|s| token_api(s.api_url.as_deref()))
    }
}

/// A user as the JavaScript API hands it to the page.
pub fn user_json(user: &User) -> Value {
    serde_json::to_value(user).unwrap_or_default()
}

/// Binds a stored session to the API it may be sent to, before anything uses it: one stored for
/// another API (`apiUrl`) is forgotten with its conversation, its token never sent anywhere else;
/// one stored before bindings existed (by the Tiledesk widget, say) is bound to this one.
pub fn settle_binding(store: &Store, api_url: Option<&str>) {
    let binding = token_api(api_url);
    match store.get(TOKEN_API) {
        Some(bound) if bound != binding => {
            for name in [TOKEN, CURRENT_USER, TOKEN_API, RECIPIENT_ID] {
                store.remove(name);
            }
        }
        None if store.get(TOKEN).is_some() => store.set(TOKEN_API, &binding),
        _ => {}
    }
}

fn restore_session(store: &Store) -> Option<Session> {
    let token = store.get(TOKEN)?;
    let user = parse_current_user(&store.get(CURRENT_USER)?)?;
    Some(Session { token, user })
}
