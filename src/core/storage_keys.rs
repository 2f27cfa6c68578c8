//! Names and formats of the values the widget keeps in storage, as the Tiledesk widget (v5)
//! names and writes them, so that a site that switches keeps its visitors' sessions.

use serde_json::{json, Value};
use tiledesk_protocol::User;

/// The signed-in visitor's token (`JWT …`).
pub const TOKEN: &str = "tiledeskToken";
/// The signed-in visitor, in the Tiledesk widget's `UserModel` shape (`uid`, names, email).
pub const CURRENT_USER: &str = "currentUser";
/// The id of the open conversation.
pub const RECIPIENT_ID: &str = "recipientId";
/// Whether the panel was open (`"true"`/`"false"`), so a reload keeps it open.
pub const IS_OPEN: &str = "isOpen";
/// The open panel's size the visitor chose (`min`, `max` or `top`).
pub const SIZE: &str = "size";
/// `"true"` once the page called `setPreChatForm(true)`: the pre-chat form is on for later pages.
pub const PRE_CHAT_FORM: &str = "preChatForm";
/// Attributes sent with every message: `setAttributeParameter` values, the visitor's name and
/// email, and the submitted pre-chat form under `preChatForm`.
pub const ATTRIBUTES: &str = "attributes";
/// Ours: settings changed with `setParameter`, applied on later visits.
pub const SETTINGS: &str = "settings";
/// Ours: messages a tab wrote that the server has not stored yet, as `outbox_<tab>`: each tab
/// delivers its own (one writer per value), and takes over those of a tab that is gone.
pub const OUTBOX: &str = "outbox_";
/// Ours: the project's remote widget settings as last loaded, so that the next page's launcher
/// shows in the project's colours at once.
pub const REMOTE_SETTINGS: &str = "remoteSettings";
/// When each proactive bot rule last applied for this visitor (`{uid: ms}`), as the Tiledesk
/// widget keeps it.
pub const RULES: &str = "_rules";
/// Ours: where the stored token may be sent (`apiUrl` as configured, or `default` for the
/// deployment's own); a token is never sent to another API.
pub const TOKEN_API: &str = "tiledeskTokenApi";

/// The name of tab `tab`'s outbox.
pub fn outbox_of(tab: &str) -> String {
    format!("{OUTBOX}{tab}")
}

/// The tab whose outbox `name` is, if it is one.
pub fn tab_of_outbox(name: &str) -> Option<&str> {
    name.strip_prefix(OUTBOX).filter(|tab| !tab.is_empty())
}

/// The storage key of `name` for a project: `widget_sv5_<projectid>_<name>`.
pub fn storage_key(project_id: &str, name: &str) -> String {
    format!("widget_sv5_{project_id}_{name}")
}

/// `currentUser` as the Tiledesk widget writes it (`uid`, `firstname`, `lastname`, `fullname`,
/// `email`), with the server's `_id` beside it.
pub fn current_user_json(user: &User) -> String {
    let name = |part: &Option<String>| part.clone().unwrap_or_default();
    json!({
        "uid": user.id,
        "_id": user.id,
        "firstname": name(&user.firstname),
        "lastname": name(&user.lastname),
        "fullname": format!("{} {}", name(&user.firstname), name(&user.lastname)).trim(),
        "email": name(&user.email),
    })
    .to_string()
}

/// The user a stored `currentUser` names, written by this widget or by the Tiledesk widget.
pub fn parse_current_user(text: &str) -> Option<User> {
    let stored: Value = serde_json::from_str(text).ok()?;
    let text_of = |key: &str| {
        stored
            .get(key)
            .and_then(Value::as_str)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    Some(User {
        id: text_of("_id").or_else(|| text_of("uid"))?,
        guest_id: None,
        email: text_of("email"),
        firstname: text_of("firstname"),
        lastname: text_of("lastname"),
        full_name: text_of("fullName").or_else(|| text_of("fullname")),
        emailverified: None,
    })
}

/// The binding of a stored token: the API it was issued by, `apiUrl` as configured or `default`.
pub fn token_api(api_url: Option<&str>) -> String {
    api_url.unwrap_or("default").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_match_the_tiledesk_widget() {
        assert_eq!(storage_key("65a1", TOKEN), "widget_sv5_65a1_tiledeskToken");
        assert_eq!(
            storage_key("65a1", CURRENT_USER),
            "widget_sv5_65a1_currentUser"
        );
        assert_eq!(
            storage_key("65a1", RECIPIENT_ID),
            "widget_sv5_65a1_recipientId"
        );
    }

    #[test]
    fn each_tab_has_an_outbox_of_its_own() {
        assert_eq!(outbox_of("k3x"), "outbox_k3x");
        assert_eq!(tab_of_outbox("outbox_k3x"), Some("k3x"));
        assert_eq!(tab_of_outbox("outbox_"), None);
        assert_eq!(tab_of_outbox("recipientId"), None);
    }

    #[test]
    fn the_tiledesk_widgets_current_user_is_read() {
        // As the Tiledesk widget's createCompleteUser stores it (avatar and color included).
        let tiledesk = r#"{"uid":"6a1b2c","email":"","firstname":"Guest","lastname":"","fullname":"Guest","avatar":"G","color":"rgb(1,2,3)"}"#;
        let user = parse_current_user(tiledesk).unwrap();
        assert_eq!(user.id, "6a1b2c");
        assert_eq!(user.firstname.as_deref(), Some("Guest"));
        assert_eq!(user.email, None);
        assert_eq!(parse_current_user(r#"{"email":"x@y.z"}"#), None, "no id");
        assert_eq!(parse_current_user("not json"), None);
    }

    #[test]
    fn our_current_user_reads_back_in_both_formats() {
        let user = User {
            id: "u1".into(),
            guest_id: None,
            email: Some("ada@example.com".into()),
            firstname: Some("Ada".into()),
            lastname: Some("Lovelace".into()),
            full_name: None,
            emailverified: None,
        };
        let text = current_user_json(&user);
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["uid"], "u1", "the Tiledesk widget reads uid");
        assert_eq!(value["fullname"], "Ada Lovelace");
        let back = parse_current_user(&text).unwrap();
        assert_eq!(
            (back.id.as_str(), back.email.as_deref()),
            ("u1", Some("ada@example.com"))
        );
    }
}
