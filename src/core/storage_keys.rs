//! Names of the values the widget keeps in browser storage, as the Tiledesk widget names them.

/// The signed-in visitor's token (`JWT …`).
pub const TOKEN: &str = "tiledeskToken";
/// The signed-in visitor's user document.
pub const CURRENT_USER: &str = "currentUser";
/// The id of the open conversation.
pub const RECIPIENT_ID: &str = "recipientId";
/// Whether the panel was open, so a reload keeps it open.
pub const IS_OPEN: &str = "isOpen";
/// Settings changed with `setParameter`, applied on later visits.
pub const SETTINGS: &str = "settings";
/// The visitor's answers to the pre-chat form, once submitted.
pub const PRE_CHAT_FORM: &str = "preChatForm";
/// Messages written but not yet stored by the server.
pub const OUTBOX: &str = "outbox";
/// Attributes set with `setAttributeParameter`, sent with every message.
pub const ATTRIBUTES: &str = "attributes";

/// The storage key of `name` for a project: `widget_sv5_<projectid>_<name>`.
pub fn storage_key(project_id: &str, name: &str) -> String {
    format!("widget_sv5_{project_id}_{name}")
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
}
