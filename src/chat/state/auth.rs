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
use crate::core::storage_keys::{CURRENT_USER, TOKEN};
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
    /// Sign-in for the project, resuming the session an earlier page stored.
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
            self.page.emit(
                WidgetEvent::AuthStateChanged,
                json!({ "event": "online", "isLogged": true, "user_id": session.user.id, "user": user_json(&session.user) }),
            );
        }
    }

    /// Forgets the session (`onAuthStateChanged` offline, if someone was signed in).
    pub fn sign_out(self) {
        let was_signed_in = self.session.with_untracked(Option::is_some);
        self.store.with_value(|store| {
            store.remove(TOKEN);
            store.remove(CURRENT_USER);
        });
        self.session.set(None);
        if was_signed_in {
            self.page.emit(
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
        self.store.with_value(|store| {
            store.set(TOKEN, &session.token);
            store.set(
                CURRENT_USER,
                &serde_json::to_string(&session.user).unwrap_or_default(),
            );
        });
        self.session.set(Some(session.clone()));
        self.announce();
        session
    }
}

/// A user as the JavaScript API hands it to the page.
pub fn user_json(user: &User) -> Value {
    serde_json::to_value(user).unwrap_or_default()
}

fn restore_session(store: &Store) -> Option<Session> {
    let token = store.get(TOKEN)?;
    let user = serde_json::from_str(&store.get(CURRENT_USER)?).ok()?;
    Some(Session { token, user })
}
