//! Chat messages: what a client posts and what the server stores and publishes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::request::Request;

/// Key in `attributes` of a client-chosen message id: the server stores a message once per
/// (conversation, client id), so a client retrying after a lost answer never duplicates it.
pub const CLIENT_ID_ATTRIBUTE: &str = "clientMessageId";

/// `attributes.subtype` of an agents' internal note: never shown to visitors.
pub const PRIVATE_SUBTYPE: &str = "private";

/// Message status codes of the Tiledesk protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageStatus;

impl MessageStatus {
    pub const FAILED: i32 = -100;
    pub const SENDING: i32 = 0;
    pub const SENT: i32 = 100;
    pub const DELIVERED: i32 = 150;
    pub const RECEIVED: i32 = 200;
    pub const SEEN: i32 = 300;
}

/// Body of `PUT /:project_id/requests/:request_id/messages/status`: the caller has received
/// (`DELIVERED`) or seen (`SEEN`) the other side's messages up to and including `until`. Statuses
/// only go up; every message whose status changes is published (UPDATE) on the messages topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusUpdate {
    pub status: i32,
    pub until: String,
}

/// Answer of `PUT /:project_id/requests/:request_id/messages/status`: how many messages changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusUpdated {
    pub updated: u64,
}

/// Body of `POST /:project_id/requests/:request_id/messages`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMessage {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(
        rename = "senderFullname",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_fullname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Value>,
}

impl NewMessage {
    /// The client id carried in `attributes`, if any.
    pub fn client_id(&self) -> Option<&str> {
        client_id_of(self.attributes.as_ref())
    }
}

/// A stored message; `request` is present on the POST answer and in webhook payloads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    #[serde(rename = "_id")]
    pub id: String,
    pub sender: String,
    #[serde(rename = "senderFullname", default)]
    pub sender_fullname: String,
    pub recipient: String,
    #[serde(rename = "type", default = "text_kind")]
    pub kind: String,
    #[serde(default = "group_channel")]
    pub channel_type: String,
    #[serde(default)]
    pub text: String,
    pub id_project: String,
    #[serde(default)]
    pub status: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(rename = "createdBy", default)]
    pub created_by: String,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt", default)]
    pub updated_at: String,
    #[serde(rename = "__v", default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Box<Request>>,
}

impl Message {
    /// The client id carried in `attributes`, if any.
    pub fn client_id(&self) -> Option<&str> {
        client_id_of(self.attributes.as_ref())
    }

    /// Whether this is an agents' internal note (`attributes.subtype` is `private`).
    pub fn is_private(&self) -> bool {
        self.attributes
            .as_ref()
            .and_then(|a| a.get("subtype"))
            .is_some_and(|subtype| subtype == PRIVATE_SUBTYPE)
    }
}

fn client_id_of(attributes: Option<&Value>) -> Option<&str> {
    attributes?.get(CLIENT_ID_ATTRIBUTE)?.as_str()
}

fn text_kind() -> String {
    "text".into()
}

fn group_channel() -> String {
    "group".into()
}
