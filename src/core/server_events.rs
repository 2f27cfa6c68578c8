//! What the widget tells the server as Tiledesk's loader does (`POST /:pid/events`): a new
//! conversation (`new_conversation`, what makes a Tiledesk server start a bot's welcome) and
//! every sign-in change (`auth_state_changed`).

use serde_json::{json, Map, Value};

/// `new_conversation`'s attributes: the conversation, where it is routed and who the visitor is.
pub fn new_conversation(
    request_id: &str,
    department_id: Option<&str>,
    participants: &[String],
    language: &str,
    attributes: &Map<String, Value>,
) -> Value {
    json!({
        "request_id": request_id,
        "department": department_id,
        "participants": participants,
        "language": language,
        "subtype": "info",
        "fullname": attributes.get("userFullname"),
        "email": attributes.get("userEmail"),
        "attributes": attributes,
    })
}

/// `auth_state_changed`'s attributes: who is signed in now (`event` `online` or `offline`).
pub fn auth_state_changed(
    user_id: Option<&str>,
    online: bool,
    language: &str,
    attributes: &Map<String, Value>,
) -> Value {
    json!({
        "user_id": user_id,
        "isLogged": online,
        "event": if online { "online" } else { "offline" },
        "subtype": "info",
        "fullname": attributes.get("userFullname"),
        "email": attributes.get("userEmail"),
        "language": language,
        "attributes": attributes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_carry_what_the_tiledesk_loader_sends() {
        let attributes =
            json!({"userFullname": "Ada", "userEmail": "ada@example.com", "plan": "gold"})
                .as_object()
                .unwrap()
                .clone();
        let started = new_conversation(
            "support-group-p-1",
            Some("d1"),
            &["bot_1".into()],
            "it",
            &attributes,
        );
        assert_eq!(started["request_id"], "support-group-p-1");
        assert_eq!(started["department"], "d1");
        assert_eq!(started["participants"], json!(["bot_1"]));
        assert_eq!(started["subtype"], "info");
        assert_eq!(
            (started["fullname"].as_str(), started["email"].as_str()),
            (Some("Ada"), Some("ada@example.com"))
        );
        assert_eq!(started["attributes"]["plan"], "gold");
        let offline = auth_state_changed(None, false, "en", &Map::new());
        assert_eq!(
            (offline["event"].as_str(), offline["isLogged"].as_bool()),
            (Some("offline"), Some(false))
        );
        assert_eq!(offline["user_id"], Value::Null);
    }
}
