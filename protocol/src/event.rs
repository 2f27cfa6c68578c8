//! Custom events (`/:project_id/events`): what a client fires and what the server stores.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Body of `POST /:project_id/events`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewEvent {
    /// Empty when the client left it out, so the server can answer with its own validation error.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    pub attributes: Value,
    pub id_project: String,
    /// The id of the project member (project user) who fired it.
    pub project_user: String,
    #[serde(rename = "createdBy")]
    pub created_by: String,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    #[serde(rename = "__v", default)]
    pub version: i64,
}

/// Answer of `GET /:project_id/events`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPage {
    #[serde(rename = "perPage")]
    pub per_page: u32,
    pub count: u64,
    pub events: Vec<Event>,
}

/// Webhook event fired for every custom event.
pub const EMIT: &str = "event.emit";

/// Webhook event fired for a custom event named `name`: `event.emit.<name>`.
pub fn emit_named(name: &str) -> String {
    format!("{EMIT}.{name}")
}
