//! Frames of the Tiledesk WebSocket (`ws(s)://host/?token=JWT%20<jwt>`) and its topic names.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::message::Message;

/// One frame, in either direction, tagged by `action` with its `payload`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", content = "payload", rename_all = "lowercase")]
pub enum Frame {
    Subscribe(TopicPayload),
    Unsubscribe(TopicPayload),
    Heartbeat(HeartbeatPayload),
    Publish(Publication),
    /// Client → server: the sender starts (`typing: true`) or stops typing in a conversation;
    /// the server publishes a [`Typing`] on the conversation's [`typing_topic`] to the others.
    Typing(TypingPayload),
}

impl Frame {
    /// A `subscribe` frame for `topic`.
    pub fn subscribe(topic: impl Into<String>) -> Self {
        Frame::Subscribe(TopicPayload {
            topic: topic.into(),
        })
    }

    /// A heartbeat frame carrying `text` (`ping` from clients, `pong` from the server).
    pub fn heartbeat(text: &str) -> Self {
        Frame::Heartbeat(HeartbeatPayload {
            message: HeartbeatText { text: text.into() },
        })
    }
}

/// Payload of `subscribe` / `unsubscribe`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicPayload {
    pub topic: String,
}

/// Payload of `typing`: the conversation's typing topic and whether the sender is typing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypingPayload {
    pub topic: String,
    pub typing: bool,
}

/// What a typing topic publishes (method `UPDATE`): who is typing (or stopped) and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Typing {
    pub writer_id: String,
    #[serde(default)]
    pub writer_fullname: String,
    pub typing: bool,
    #[serde(rename = "createdAt")]
    pub created_at: String,
}

/// Payload of `heartbeat`: `{"message":{"text":"ping"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeartbeatPayload {
    pub message: HeartbeatText,
}

/// The text of a heartbeat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeartbeatText {
    pub text: String,
}

/// What changed on a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PublishMethod {
    Create,
    Update,
    Delete,
}

/// Payload of `publish`: the first one after a subscribe carries the current state
/// (an array for a messages topic), later ones a single changed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub topic: String,
    pub method: PublishMethod,
    pub message: Value,
}

impl Publication {
    /// The messages this publication carries: the array of a first frame or one new message.
    /// Entries that are not messages are skipped.
    pub fn messages(&self) -> Vec<Message> {
        match &self.message {
            Value::Array(items) => items
                .iter()
                .filter_map(|item| serde_json::from_value(item.clone()).ok())
                .collect(),
            single => serde_json::from_value(single.clone()).into_iter().collect(),
        }
    }
}

/// Topic of every request of a project (agents only): `/<project_id>/requests`; the first frame is
/// the array of open requests, then one CREATE or UPDATE per change.
pub fn requests_topic(project_id: &str) -> String {
    format!("/{project_id}/requests")
}

/// Topic of one request: `/<project_id>/requests/<request_id>` (its agents and the visitor who
/// started it); the first frame is the request (`null` before it exists), then one UPDATE per change.
pub fn request_topic(project_id: &str, request_id: &str) -> String {
    format!("/{project_id}/requests/{request_id}")
}

/// Topic of a conversation's messages: `/<project_id>/requests/<request_id>/messages`.
pub fn messages_topic(project_id: &str, request_id: &str) -> String {
    format!("/{project_id}/requests/{request_id}/messages")
}

/// Topic of who is typing in a conversation: `/<project_id>/requests/<request_id>/typing` (its
/// agents and the visitor who started it). Nothing is stored: no first frame, one UPDATE carrying a
/// [`Typing`] each time someone else starts or stops.
pub fn typing_topic(project_id: &str, request_id: &str) -> String {
    format!("/{project_id}/requests/{request_id}/typing")
}

/// Topic of the custom events a project member fires: `/<project_id>/events/<project_user_id>`.
pub fn events_topic(project_id: &str, project_user_id: &str) -> String {
    format!("/{project_id}/events/{project_user_id}")
}
