//! Project members (project users), invitations and the project secret for custom tokens.

use serde::{Deserialize, Serialize};

use crate::auth::User;
use crate::project::Project;

/// Body of `POST /:project_id/project_users/invite`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    /// A registered user's email.
    pub email: String,
    /// `user`, `agent`, `supervisor` or `admin`.
    pub role: String,
    /// Whether the new member takes conversations at once (default `true`, as Tiledesk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_available: Option<bool>,
}

/// A member of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectUser {
    #[serde(rename = "_id")]
    pub id: String,
    pub id_project: String,
    pub id_user: String,
    pub role: String,
    /// Whether the member takes conversations now (agents and up).
    #[serde(default)]
    pub user_available: bool,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    #[serde(rename = "__v", default)]
    pub version: i64,
}

/// A member with its user, as `GET /:project_id/project_users` and its single-member routes
/// answer (Tiledesk populates `id_user`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    #[serde(rename = "_id")]
    pub id: String,
    pub id_project: String,
    pub id_user: User,
    pub role: String,
    #[serde(default)]
    pub user_available: bool,
    /// Open (assigned, not closed) requests the member takes part in.
    #[serde(default)]
    pub number_assigned_requests: u64,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    #[serde(rename = "__v", default)]
    pub version: i64,
}

/// One of the caller's memberships, as `GET /projects` lists them (Tiledesk populates `id_project`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectMembership {
    #[serde(rename = "_id")]
    pub id: String,
    pub id_project: Project,
    pub id_user: String,
    pub role: String,
    #[serde(default)]
    pub user_available: bool,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
}

/// Body of `PUT /:project_id/project_users/`: the caller's own availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    pub user_available: bool,
}

/// Body of `PUT /:project_id/project_users/:id` (admins): what to change (absent fields stay).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectUserUpdate {
    /// `user`, `agent`, `supervisor` or `admin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_available: Option<bool>,
}

/// Answer of `POST /:project_id/keys/generate`: the secret custom tokens are signed with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProjectKeys {
    #[serde(rename = "jwtSecret")]
    pub jwt_secret: String,
}

/// `aud` of a custom token for a project: `https://tiledesk.com/projects/<project_id>`.
pub fn custom_token_audience(project_id: &str) -> String {
    format!("https://tiledesk.com/projects/{project_id}")
}

/// `sub` of a custom token.
pub const CUSTOM_TOKEN_SUBJECT: &str = "userexternal";
