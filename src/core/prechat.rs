//! The pre-chat form: Tiledesk's `preChatFormJson` read into typed fields once, with labels in the
//! visitor's language and `"/…/flags"` patterns split for the browser's RegExp.

use serde_json::Value;

use crate::core::settings::default_pre_chat_form;

/// What kind of input a field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// A multi-line input of this many rows.
    Textarea(u32),
    /// Mandatory means it must be ticked.
    Checkbox,
    /// Only its label is shown.
    Static,
}

/// A field, its label and error text already in the visitor's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub kind: FieldKind,
    pub label: String,
    pub error_label: Option<String>,
    pub mandatory: bool,
    /// The pattern and flags of a `"/pattern/flags"` regex.
    pub pattern: Option<(String, String)>,
    pub value: String,
}

/// Why a form JSON was not used (the default form is used instead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError(pub String);

/// The fields of `form` (Tiledesk's `preChatFormJson`) for `lang`; the default form when `form` is `None`.
pub fn fields(form: Option<&Value>, lang: &str) -> Result<Vec<Field>, FormError> {
    let default = default_pre_chat_form();
    let form = form.unwrap_or(&default);
    let items = form
        .as_array()
        .ok_or_else(|| FormError("preChatFormJson must be an array".into()))?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| field(index, item, lang))
        .collect()
}

fn field(index: usize, item: &Value, lang: &str) -> Result<Field, FormError> {
    let bad = |what: &str| FormError(format!("preChatFormJson field {index}: {what}"));
    let object = item.as_object().ok_or_else(|| bad("not an object"))?;
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let kind = match text("type").as_deref().unwrap_or("text") {
        "text" => FieldKind::Text,
        "textarea" => FieldKind::Textarea(
            object
                .get("rows")
                .and_then(Value::as_u64)
                .unwrap_or(3)
                .clamp(1, 12) as u32,
        ),
        "checkbox" => FieldKind::Checkbox,
        "static" => FieldKind::Static,
        other => return Err(bad(&format!("unknown type '{other}'"))),
    };
    let name = text("name").filter(|n| !n.trim().is_empty());
    let name = match (kind, name) {
        (FieldKind::Static, name) => name.unwrap_or_else(|| format!("static{index}")),
        (_, Some(name)) => name,
        (_, None) => return Err(bad("no name")),
    };
    let pattern = match text("regex") {
        Some(regex) => Some(
            split_regex(&regex).ok_or_else(|| bad("regex must look like \"/pattern/flags\""))?,
        ),
        None => None,
    };
    Ok(Field {
        label: object
            .get("label")
            .and_then(|l| localized(l, lang))
            .unwrap_or_else(|| name.clone()),
        error_label: object.get("errorLabel").and_then(|l| localized(l, lang)),
        mandatory: object
            .get("mandatory")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        value: text("value").unwrap_or_default(),
        name,
        kind,
        pattern,
    })
}

/// A label given as a string or as a language map (`{"en": …, "it": …, "default": …}`).
fn localized(label: &Value, lang: &str) -> Option<String> {
    match label {
        Value::String(text) => Some(text.clone()),
        Value::Object(map) => map
            .get(lang)
            .or_else(|| map.get("default"))
            .or_else(|| map.get("en"))
            .or_else(|| map.values().next())
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

/// `"/pattern/flags"` as `(pattern, flags)`; flags limited to the JavaScript ones.
fn split_regex(regex: &str) -> Option<(String, String)> {
    let body = regex.strip_prefix('/')?;
    let end = body.rfind('/')?;
    let (pattern, flags) = (&body[..end], &body[end + 1..]);
    (!pattern.is_empty() && flags.chars().all(|c| "dgimsuvy".contains(c)))
        .then(|| (pattern.to_owned(), flags.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_default_form_asks_for_name_and_email() {
        let form = fields(None, "it").unwrap();
        let names: Vec<&str> = form.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, vec!["userFullname", "userEmail"]);
        assert_eq!(form[0].label, "Il tuo nome");
        assert!(form.iter().all(|f| f.mandatory));
        let (pattern, flags) = form[1].pattern.clone().unwrap();
        assert!(pattern.starts_with('^') && flags.is_empty());
    }

    #[test]
    fn every_field_type_reads_with_language_maps() {
        let form = json!([
            {"name": "company", "type": "text", "label": {"en": "Company", "fr": "Société", "default": "Company"}, "value": "ACME"},
            {"name": "question", "type": "textarea", "rows": 5, "label": "Your question"},
            {"name": "terms", "type": "checkbox", "mandatory": true, "label": {"default": "I accept"}, "errorLabel": {"fr": "Obligatoire"}},
            {"type": "static", "label": "We answer within a day."},
            {"name": "code", "regex": "/^[A-Z]{3}$/i", "errorLabel": "Three letters"}
        ]);
        let fields = fields(Some(&form), "fr").unwrap();
        assert_eq!(fields[0].label, "Société");
        assert_eq!(fields[0].value, "ACME");
        assert_eq!(fields[1].kind, FieldKind::Textarea(5));
        assert_eq!(fields[2].kind, FieldKind::Checkbox);
        assert_eq!(
            (fields[2].label.as_str(), fields[2].error_label.as_deref()),
            ("I accept", Some("Obligatoire"))
        );
        assert_eq!(fields[3].kind, FieldKind::Static);
        assert_eq!(fields[4].pattern, Some(("^[A-Z]{3}$".into(), "i".into())));
        assert_eq!(fields[4].label, "code", "no label: the name");
    }

    #[test]
    fn malformed_forms_are_errors() {
        for bad in [
            json!({"name": "x"}),
            json!([{"type": "radio", "name": "x"}]),
            json!([{"type": "text"}]),
            json!([{"name": "x", "regex": "^a$"}]),
            json!([{"name": "x", "regex": "/a/zz"}]),
            json!(["x"]),
        ] {
            assert!(fields(Some(&bad), "en").is_err(), "{bad}");
        }
    }
}
