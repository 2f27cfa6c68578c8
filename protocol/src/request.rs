//! Requests (conversations) and their paged listing.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Request status codes of the Tiledesk protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestStatus;

impl RequestStatus {
    pub const TEMP: i32 = 50;
    pub const UNASSIGNED: i32 = 100;
    pub const ABANDONED: i32 = 150;
    pub const ASSIGNED: i32 = 200;
    pub const SERVED: i32 = 300;
    pub const CLOSED: i32 = 1000;
}

/// Prefix every widget conversation id starts with.
pub const SUPPORT_GROUP_PREFIX: &str = "support-group-";

/// The conversation id the widget uses for a new conversation:
/// `support-group-<project_id>-<uuid without dashes>`.
pub fn support_group_id(project_id: &str, uuid: &str) -> String {
    format!(
        "{SUPPORT_GROUP_PREFIX}{project_id}-{}",
        uuid.replace('-', "")
    )
}

/// A request document. Fields the real server populates with objects (`lead`, `requester`)
/// are kept as JSON so either shape reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Request {
    #[serde(rename = "_id")]
    pub id: String,
    pub request_id: String,
    pub id_project: String,
    pub status: i32,
    #[serde(default)]
    pub first_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Value>,
    #[serde(default)]
    pub participants: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
    #[serde(rename = "createdBy", default)]
    pub created_by: String,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt", default)]
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_message: Option<String>,
    #[serde(rename = "__v", default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// A label an agent put on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tag {
    pub tag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
}

/// Body of `PATCH /:project_id/requests/:request_id`: what to change (absent fields stay).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestPatch {
    /// An empty subject removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Replaces the tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// Body of `POST /:project_id/requests/:request_id/participants`: the user id of the agent to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewParticipant {
    pub member: String,
}

/// Body of `PUT /:project_id/requests/:request_id/assign`: to this agent (`member`, a user id), else
/// routed to this department (else the request's own) as a new request would be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignment {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub departmentid: Option<String>,
}

/// Body of `PUT /:project_id/requests/:request_id/departments`: the department to route it to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentRoute {
    pub departmentid: String,
}

/// Answer of `GET /:project_id/requests` and `GET /:project_id/requests/me`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestPage {
    #[serde(rename = "perPage")]
    pub per_page: u32,
    pub count: u64,
    pub requests: Vec<Request>,
}

/// Body of `PATCH /:project_id/requests/:request_id/rating`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    /// The score, 1 to 5.
    pub rating: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_message: Option<String>,
}
