//! The widget's translations a project saved (`/:project_id/labels`), as the Tiledesk widget fetches
//! them: `GET {remoteTranslationsUrl}<project_id>/labels/<LANG>` and reads its `data`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The translations of one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LabelEntry {
    #[serde(rename = "_id", default)]
    pub id: String,
    /// Upper case, such as `EN` or `IT`.
    pub lang: String,
    /// Label key to text, such as `{"LABEL_PLACEHOLDER": "type your message.."}`.
    pub data: Value,
    /// The language served for a language the project has none of.
    #[serde(default)]
    pub default: bool,
}

/// Answer of `GET /:project_id/labels`: every language the project saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Labels {
    pub id_project: String,
    pub data: Vec<LabelEntry>,
}

/// Body of `POST /:project_id/labels`: saves (or replaces) one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLabels {
    pub lang: String,
    /// Label key to text.
    pub data: Value,
    /// Makes it the default language (the first saved one always is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
}
