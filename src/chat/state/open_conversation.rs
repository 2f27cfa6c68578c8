//! The open conversation: its id (created with its first message), the messages it shows, and
//! following it live, with what each arrival tells the page and the visitor, and who is typing.

use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{json, Value};
use tiledesk_protocol::bridge::WidgetEvent;
use tiledesk_protocol::realtime::typing_topic;
use tiledesk_protocol::request::support_group_id;
use tiledesk_protocol::Message;

use super::activity::Activity;
use super::Base;
use crate::chat::net::live::{self, Follow};
use crate::core::commands::Outgoing;
use crate::core::conversation::{of_conversation, Conversation};
use crate::core::events::{conversation_model, message_model};
use crate::core::info::present;
use crate::core::sources;
use crate::core::storage_keys::RECIPIENT_ID;

/// The open-conversation part of the chat; cheap to copy.
#[derive(Clone, Copy)]
pub struct OpenConversation {
    /// What the conversation shows, as lines.
    pub lines: RwSignal<Conversation>,
    /// Whether it has been closed (by the visitor, an agent or a bot).
    pub closed: RwSignal<bool>,
    /// Typing on either side.
    pub activity: Activity,
    id: RwSignal<Option<String>>,
    /// The conversation being followed live, if any.
    following: StoredValue<Option<String>>,
    parts: Base,
}

impl OpenConversation {
    /// The conversation an earlier page left open (with `lines` it had not sent yet), if any.
    pub fn new(id: Option<String>, lines: Conversation, parts: Base) -> Self {
        Self {
            lines: RwSignal::new(lines),
            closed: RwSignal::new(false),
            activity: Activity::default(),
            id: RwSignal::new(id),
            following: StoredValue::new(None),
            parts,
        }
    }

    /// The open conversation's id; `None` before its first message.
    pub fn id(self) -> Option<String> {
        self.id.get_untracked()
    }

    /// Whether the next message starts a new conversation (reactive).
    pub fn is_new(self) -> bool {
        self.id.with(Option::is_none)
    }

    /// The open conversation's id, creating (and storing) a new one on the first message
    /// (`onNewConversation`).
    pub fn ensure_id(self) -> String {
        if let Some(id) = self.id.get_untracked() {
            return id;
        }
        let id = support_group_id(
            &self.parts.config.project_id(),
            &uuid::Uuid::new_v4().to_string(),
        );
        self.parts.store.with_value(|s| s.set(RECIPIENT_ID, &id));
        self.id.set(Some(id.clone()));
        self.parts
            .page
            .emit_in_context(WidgetEvent::NewConversation, json!({ "newConvId": id }));
        id
    }

    /// Shows another conversation (or, with `None`, a new one on the next message), empty until
    /// its messages arrive; remembered for the next page.
    pub fn show(self, id: Option<String>) {
        self.parts.store.with_value(|s| match &id {
            Some(id) => s.set(RECIPIENT_ID, id),
            None => s.remove(RECIPIENT_ID),
        });
        self.id.set(id);
        self.closed.set(false);
        self.following.set_value(None);
        self.activity.disconnect();
        self.lines.set(Conversation::default());
    }

    /// A message the visitor wrote (or a file they sent), shown at once as "sending".
    pub fn queue(self, client_id: &str, outgoing: &Outgoing) {
        self.lines.update(|c| {
            c.queue_message(
                client_id,
                &outgoing.text,
                &outgoing.kind,
                outgoing.metadata.clone(),
            )
        });
    }

    /// The visitor's message `client_id` is (again) on its way; `false` if it is not shown.
    pub fn resend(self, client_id: &str) -> bool {
        self.lines
            .try_update(|c| c.retry(client_id))
            .flatten()
            .is_some()
    }

    /// The visitor's message `client_id` did not get through; shown with its retry.
    pub fn fail(self, client_id: &str) {
        self.lines.update(|c| c.fail(client_id));
    }

    /// Follows the open conversation live, once; when `restoring` one stored from an earlier page,
    /// its first batch is the conversation so far and counts as read. Otherwise (just started, or
    /// opened by the visitor) whatever someone else wrote is news.
    pub fn follow(self, restoring: bool) {
        let (Some(request_id), Some(session), Some(api_base)) = (
            self.id.get_untracked(),
            self.parts.auth.current(),
            self.parts.config.known_api_base(),
        ) else {
            return;
        };
        if self.following.get_value().as_deref() == Some(request_id.as_str()) {
            return;
        }
        self.following.set_value(Some(request_id.clone()));
        let project_id = self.parts.config.project_id();
        let outgoing = self
            .activity
            .connect(typing_topic(&project_id, &request_id));
        let target = Follow {
            api_base,
            token: session.token,
            project_id,
            request_id: request_id.clone(),
        };
        let still_wanted =
            move || self.following.get_value().as_deref() == Some(request_id.as_str());
        let history_shown = std::cell::Cell::new(!restoring);
        let own_id = session.user.id;
        spawn_local(live::follow(
            target,
            still_wanted,
            move |update| match update {
                live::Update::Messages(messages) => {
                    let news = history_shown.replace(true);
                    let (incoming, newest) = self.receive(messages);
                    if let (true, Some((sender, text))) = (news && incoming > 0, newest) {
                        self.parts.panel.notify(incoming, sender, text);
                    }
                }
                live::Update::Closed => self.closed.set(true),
                live::Update::Typing(typing) => self.activity.heard(typing, &own_id),
            },
            outgoing,
        ));
    }

    /// Shows messages from the server; once they are rendered, fires `onMessageCreated` for each new
    /// one and `onConversationUpdated` when someone else wrote. Returns how many new ones someone
    /// else wrote, with the newest of them (its sender's name and its text).
    pub fn receive(self, messages: Vec<Message>) -> (usize, Option<(String, String)>) {
        let own_id = self.parts.auth.user_id();
        let (shown, lang) = (
            self.parts
                .config
                .settings
                .with_untracked(|s| s.show_info_message.clone()),
            self.parts.config.lang_untracked(),
        );
        let messages = self
            .id
            .with_untracked(|id| of_conversation(messages, id.as_deref()))
            .into_iter()
            .filter_map(|message| present(message, &shown, &own_id, lang))
            .collect();
        let added = self
            .lines
            .try_update(|c| c.merge(messages, &own_id))
            .unwrap_or_default();
        let incoming = added.iter().filter(|m| m.sender != own_id).count();
        for message in &added {
            self.activity.wrote(&message.sender);
        }
        let title = self.title();
        let newest = added.iter().rev().find(|m| m.sender != own_id);
        let conversation = newest.map(|last| conversation_model(last, &own_id, &title));
        // An HTML message previews as its text, never its markup; a link preview as its pages.
        let preview = newest.map(|last| {
            let text = match last.kind.as_str() {
                "html" => tiledesk_markdown::html::text(&last.text),
                sources::URL_PREVIEW => sources::summary(&last.text),
                _ => last.text.clone(),
            };
            (last.sender_fullname.clone(), text)
        });
        let models = added
            .iter()
            .map(|message| message_model(message, &own_id, &title))
            .collect();
        self.after_render(models, conversation);
        (incoming, preview)
    }

    /// What the visitor sees the conversation called: the widget's title.
    pub fn title(self) -> String {
        self.parts
            .config
            .settings
            .with_untracked(|s| s.widget_title.clone())
    }

    fn after_render(self, added: Vec<Value>, conversation: Option<Value>) {
        if added.is_empty() {
            return;
        }
        let page = self.parts.page;
        Timeout::new(0, move || {
            for message in added {
                page.emit(WidgetEvent::MessageCreated, json!({ "message": message }));
            }
            if let Some(conversation) = conversation {
                page.emit(
                    WidgetEvent::ConversationUpdated,
                    json!({ "conversation": conversation }),
                );
            }
        })
        .forget();
    }
}
