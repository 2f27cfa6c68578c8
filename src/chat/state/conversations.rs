//! The visitor's conversations: switching between them, the home view that lists them, and
//! ending and rating one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use tiledesk_protocol::{Rating, Request, RequestStatus};

use super::auth::Auth;
use super::config::Config;
use super::intake::Intake;
use super::open_conversation::OpenConversation;
use super::panel::Panel;
use crate::chat::net::api;

/// The conversations part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct Conversations {
    /// The conversation that is open.
    pub open: OpenConversation,
    /// Whether the home view (the visitor's conversations) is showing instead of a conversation.
    pub home: RwSignal<bool>,
    /// The visitor's conversations, newest first, as last loaded for the home view.
    pub list: RwSignal<Vec<Request>>,
    /// Whether the visitor rated the open conversation.
    pub rated: RwSignal<bool>,
    /// Whether they also left a comment with their rating.
    pub commented: RwSignal<bool>,
    /// The score they gave.
    score: StoredValue<i32>,
    config: Config,
    auth: Auth,
    intake: Intake,
    panel: Panel,
}

impl Conversations {
    /// The visitor's conversations, with `open` the one showing.
    pub fn new(
        open: OpenConversation,
        config: Config,
        auth: Auth,
        intake: Intake,
        panel: Panel,
    ) -> Self {
        Self {
            open,
            home: RwSignal::new(false),
            list: RwSignal::new(Vec::new()),
            rated: RwSignal::new(false),
            commented: RwSignal::new(false),
            score: StoredValue::new(0),
            config,
            auth,
            intake,
            panel,
        }
    }

    /// Whether a conversation is open (so it can be ended; reactive).
    pub fn has_conversation(self) -> bool {
        !self.open.is_new()
    }

    /// Shows another conversation (or, with `None`, a new one on the next message).
    pub fn switch(self, request_id: Option<String>) {
        self.open.show(request_id);
        self.rated.set(false);
        self.commented.set(false);
        self.home.set(false);
        self.intake.chosen_department.set(None);
    }

    /// Signs the visitor out; their conversation goes with them.
    pub fn sign_out(self) {
        self.auth.sign_out();
        self.switch(None);
    }

    /// Shows the home view and loads the visitor's conversations.
    pub fn show_home(self) {
        self.home.set(true);
        spawn_local(async move {
            let Ok(caller) = self.auth.caller().await else {
                return;
            };
            if let Ok(page) =
                api::my_conversations(&caller.base, &caller.token, &caller.project_id).await
            {
                self.list.set(page.requests);
            }
        });
    }

    /// Shows the home view on opening when the settings ask for it (`startFromHome`, several
    /// conversations) and no conversation is current, as the Tiledesk widget does.
    pub fn show_home_on_open(self) {
        if self
            .config
            .settings
            .with_untracked(|s| s.start_from_home && !s.single_conversation)
            && untrack(|| self.open.is_new())
        {
            self.show_home();
        }
    }

    /// Opens one of the visitor's conversations from the home view.
    pub fn open_from_home(self, request_id: String, status: i32) {
        self.switch(Some(request_id));
        self.open.closed.set(status == RequestStatus::CLOSED);
        self.open.follow(false);
    }

    /// The visitor ends the open conversation (`closeg`); with `restartConversation` the next
    /// message starts a new one, otherwise the visitor may rate it.
    pub fn end(self) {
        let Some(request_id) = self.open.id() else {
            return;
        };
        spawn_local(async move {
            let closed = async {
                let c = self.auth.caller().await?;
                api::close_conversation(&c.base, &c.token, &c.project_id, &request_id).await
            };
            match closed.await {
                Ok(_)
                    if self
                        .config
                        .settings
                        .with_untracked(|s| s.restart_conversation) =>
                {
                    self.switch(None)
                }
                Ok(_) => self.open.closed.set(true),
                Err(error) => self.panel.error.set(Some(error)),
            }
        });
    }

    /// The visitor rates the closed conversation from 1 to 5.
    pub fn rate(self, rating: i32) {
        self.score.set_value(rating);
        self.send_rating(rating, None);
    }

    /// The visitor adds `comment` to the rating they gave (`rating_message`).
    pub fn comment(self, comment: String) {
        self.send_rating(self.score.get_value(), Some(comment));
    }

    fn send_rating(self, rating: i32, comment: Option<String>) {
        let Some(request_id) = self.open.id() else {
            return;
        };
        spawn_local(async move {
            let commenting = comment.is_some();
            let body = Rating {
                rating,
                rating_message: comment,
            };
            let rated = async {
                let c = self.auth.caller().await?;
                api::rate_conversation(&c.base, &c.token, &c.project_id, &request_id, &body).await
            };
            match rated.await {
                Ok(_) if commenting => self.commented.set(true),
                Ok(_) => self.rated.set(true),
                Err(error) => self.panel.error.set(Some(error)),
            }
        });
    }
}
