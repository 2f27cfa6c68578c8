//! Projects and the public widget configuration.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Body of `POST /projects`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewProject {
    pub name: String,
}

/// Body of `PUT /projects/:project_id`: what to change (absent fields stay).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The widget settings (a JSON object such as `{"themeColor":"#ff0000"}`): replaces the saved ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget: Option<Value>,
}

/// A project document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    #[serde(rename = "_id")]
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<Value>,
    /// The widget settings the project's owner saved (`themeColor`, `preChatForm`, …): the lowest
    /// layer of the widget's settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub widget: Option<Value>,
    #[serde(rename = "createdBy", default)]
    pub created_by: String,
    #[serde(rename = "createdAt", default)]
    pub created_at: String,
    #[serde(rename = "updatedAt", default)]
    pub updated_at: String,
}

/// An agent currently available to chat, as listed by `GET /:project_id/widgets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AvailableAgent {
    pub id: String,
    #[serde(default)]
    pub firstname: String,
}

/// Body of `POST /:project_id/departments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDepartment {
    pub name: String,
}

/// A department: a team visitors can choose to talk to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Department {
    #[serde(rename = "_id")]
    pub id: String,
    pub id_project: String,
    pub name: String,
    /// Whether this is the project's default department.
    #[serde(default)]
    pub default: bool,
    /// 1 when active.
    #[serde(default)]
    pub status: i32,
    #[serde(rename = "createdBy", default)]
    pub created_by: String,
    #[serde(rename = "createdAt", default)]
    pub created_at: String,
    #[serde(rename = "updatedAt", default)]
    pub updated_at: String,
}

/// Answer of `GET /:project_id/widgets`: the project, who is available and its departments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetConfig {
    pub project: Project,
    #[serde(default)]
    pub user_available: Vec<AvailableAgent>,
    #[serde(default)]
    pub departments: Vec<Department>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
}
