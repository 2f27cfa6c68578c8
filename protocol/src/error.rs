//! The JSON error bodies Tiledesk answers with (`{"success":false,"msg":…}` or `{"error":…}`).

use serde::{Deserialize, Serialize};

/// An error answer; real Tiledesk uses either `msg` or `error`, so both are optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl ErrorBody {
    /// The `{"success":false,"msg":…}` form used for auth, role and not-found errors.
    pub fn msg(text: impl Into<String>) -> Self {
        Self {
            success: Some(false),
            msg: Some(text.into()),
            error: None,
        }
    }

    /// The `{"error":…}` form used for project and validation errors.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            success: None,
            msg: None,
            error: Some(text.into()),
        }
    }

    /// The human-readable text, whichever field carries it.
    pub fn text(&self) -> Option<&str> {
        self.msg.as_deref().or(self.error.as_deref())
    }
}
