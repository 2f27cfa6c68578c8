//! Project members (project users), invitations and the project secret for custom tokens.

use serde::{Deserialize, Serialize};

/// Body of `POST /:project_id/project_users/invite`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    /// A registered user's email.
    pub email: String,
    /// `user`, `agent`, `supervisor` or `admin`.
    pub role: String,
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
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    #[serde(rename = "__v", default)]
    pub version: i64,
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
