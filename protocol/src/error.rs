//! The JSON error bodies Tiledesk answers with (`{"success":false,"msg":…}`, `{"error":…}` or,
//! for invalid fields, `{"errors":[{"msg":…,"param":…}]}`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An error answer; real Tiledesk uses `msg`, `error` or a list of field `errors`, so all are optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Invalid fields, each `{"msg","param","location"}` (or a bare text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Value>,
}

impl ErrorBody {
    /// The `{"success":false,"msg":…}` form used for auth, role and not-found errors.
    pub fn msg(text: impl Into<String>) -> Self {
        Self {
            success: Some(false),
            msg: Some(text.into()),
            error: None,
            errors: Vec::new(),
        }
    }

    /// The `{"error":…}` form used for project and validation errors.
    pub fn error(text: impl Into<String>) -> Self {
        Self {
            success: None,
            msg: None,
            error: Some(text.into()),
            errors: Vec::new(),
        }
    }

    /// The human-readable text, whichever field carries it (the first invalid field's for `errors`).
    pub fn text(&self) -> Option<&str> {
        self.msg.as_deref().or(self.error.as_deref()).or_else(|| {
            let first = self.errors.first()?;
            first.get("msg").and_then(Value::as_str).or(first.as_str())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_whichever_field_carries_it() {
        let read = |json: &str| serde_json::from_str::<ErrorBody>(json).unwrap();
        assert_eq!(read(r#"{"success":false,"msg":"No"}"#).text(), Some("No"));
        assert_eq!(read(r#"{"error":"Gone"}"#).text(), Some("Gone"));
        assert_eq!(
            read(r#"{"errors":[{"msg":"Invalid type","param":"type","location":"body"}]}"#).text(),
            Some("Invalid type")
        );
        assert_eq!(
            read(r#"{"errors":["text field is required"]}"#).text(),
            Some("text field is required")
        );
        assert_eq!(read("{}").text(), None);
    }
}
