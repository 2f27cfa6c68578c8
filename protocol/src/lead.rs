//! Leads: the contact record of a visitor, made with its first conversation (`/:project_id/leads`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A lead; each request carries its own as `lead`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lead {
    #[serde(rename = "_id")]
    pub id: String,
    /// The visitor's user id.
    pub lead_id: String,
    #[serde(default)]
    pub fullname: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// What the visitor's first message carried (the pre-chat form, custom attributes), as changed since.
    #[serde(default)]
    pub attributes: Value,
    pub id_project: String,
    /// 100 for a normal lead.
    #[serde(default)]
    pub status: i32,
    #[serde(rename = "createdBy", default)]
    pub created_by: String,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt", default)]
    pub updated_at: String,
    #[serde(rename = "__v", default)]
    pub version: i64,
}

/// Answer of `GET /:project_id/leads`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadPage {
    #[serde(rename = "perPage")]
    pub per_page: u32,
    pub count: u64,
    pub leads: Vec<Lead>,
}

/// Body of `PUT /:project_id/leads/:id`: what to change (absent fields stay; `attributes` replaces them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeadUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fullname: Option<String>,
    /// An empty email removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
}
