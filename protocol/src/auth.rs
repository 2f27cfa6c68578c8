//! Sign-up, sign-in and the user document the auth endpoints return.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Body of `POST /auth/signup`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signup {
    pub email: String,
    pub password: String,
    #[serde(default)]
    pub firstname: String,
    #[serde(default)]
    pub lastname: String,
}

/// Body of `POST /auth/signin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signin {
    pub email: String,
    pub password: String,
}

/// Body of `POST /auth/signinAnonymously`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnonymousSignin {
    /// Empty when the client left it out, so the server can answer with its own validation error.
    #[serde(default)]
    pub id_project: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lastname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Value>,
}

/// Answer of every sign-in endpoint: `token` already carries its `JWT ` scheme prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthResponse {
    pub success: bool,
    pub token: String,
    pub user: User,
}

/// A user as the auth endpoints return it (guest users also repeat their id as `id`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub guest_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lastname: Option<String>,
    #[serde(rename = "fullName", default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emailverified: Option<bool>,
}

impl User {
    /// The name to show for this user: the full name, else first and last name, else the id.
    pub fn display_name(&self) -> String {
        let joined = [self.firstname.as_deref(), self.lastname.as_deref()]
            .into_iter()
            .flatten()
            .filter(|part| !part.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        match self.full_name.as_deref().map(str::trim) {
            Some(full) if !full.is_empty() => full.to_owned(),
            _ if !joined.is_empty() => joined,
            _ => self.id.clone(),
        }
    }
}
