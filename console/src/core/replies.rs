//! Quick replies: the buttons an agent offers under a message, in the `attributes.attachment`
//! shape the widget renders (`{"type":"template","buttons":[{"type":"text","value":…}]}`).

use serde_json::{json, Value};

/// The attachment offering `labels` (one per line of `text`, blank lines skipped) as text
/// buttons; `None` without any.
pub fn buttons_attachment(text: &str) -> Option<Value> {
    let buttons: Vec<Value> = text
        .lines()
        .map(str::trim)
        .filter(|label| !label.is_empty())
        .map(|label| json!({ "type": "text", "value": label }))
        .collect();
    (!buttons.is_empty()).then(|| json!({ "type": "template", "buttons": buttons }))
}

/// The labels of the text buttons of a message's attributes.
pub fn button_labels(attributes: Option<&Value>) -> Vec<String> {
    attributes
        .and_then(|a| a.pointer("/attachment/buttons"))
        .and_then(Value::as_array)
        .map(|buttons| {
            buttons
                .iter()
                .filter_map(|b| b.get("value").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_button_per_line() {
        let attachment = buttons_attachment(" Yes \n\nNo\n").unwrap();
        assert_eq!(
            attachment,
            json!({"type": "template", "buttons": [
                {"type": "text", "value": "Yes"}, {"type": "text", "value": "No"}]})
        );
        assert_eq!(buttons_attachment(" \n"), None);
        let attributes = json!({ "attachment": attachment });
        assert_eq!(button_labels(Some(&attributes)), ["Yes", "No"]);
        assert!(button_labels(None).is_empty());
    }
}
