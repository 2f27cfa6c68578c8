//! Info messages (`attributes.subtype` `info` or `info/support`): which ones the visitor sees
//! (`showInfoMessage`, by `attributes.messagelabel.key`, as the Tiledesk widget decides) and the
//! text of the standard ones in the interface language instead of the server's raw text.

use serde_json::Value;
use tiledesk_protocol::Message;

use crate::core::i18n::Lang;

/// `showInfoMessage` when nobody sets it: only agents joining show, as in the Tiledesk widget.
pub const DEFAULT_SHOWN: [&str; 1] = ["MEMBER_JOINED_GROUP"];
/// The key `allowReopen` adds to the shown ones: a reopened conversation shows where it was closed.
pub const CHAT_CLOSED: &str = "CHAT_CLOSED";

/// A standard info message, by its `messagelabel.key`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Standard {
    MemberJoined,
    MemberLeft,
    ChatReopened,
    ChatClosed,
    LeadUpdated,
    TouchingOperator,
    LivePage,
}

impl Standard {
    fn of(key: &str) -> Option<Self> {
        Some(match key {
            "MEMBER_JOINED_GROUP" => Standard::MemberJoined,
            "MEMBER_LEFT_GROUP" => Standard::MemberLeft,
            "CHAT_REOPENED" => Standard::ChatReopened,
            CHAT_CLOSED => Standard::ChatClosed,
            "LEAD_UPDATED" => Standard::LeadUpdated,
            "TOUCHING_OPERATOR" => Standard::TouchingOperator,
            "LIVE_PAGE" => Standard::LivePage,
            _ => return None,
        })
    }

    /// The text in `lang`; `{name}` stands for the member, `{page}` for the page.
    fn template(self, lang: Lang) -> &'static str {
        TEXTS[self as usize][lang as usize]
    }
}

/// One row per `Standard`, in declaration order; columns in `Lang` order (en it es fr de pt).
const TEXTS: [[&str; 6]; 7] = [
    [
        "{name} joined the chat",
        "{name} si è unito alla chat",
        "{name} se unió al chat",
        "{name} a rejoint la discussion",
        "{name} ist dem Chat beigetreten",
        "{name} entrou no chat",
    ],
    [
        "{name} left the chat",
        "{name} ha lasciato la chat",
        "{name} dejó el chat",
        "{name} a quitté la discussion",
        "{name} hat den Chat verlassen",
        "{name} saiu do chat",
    ],
    [
        "Chat reopened",
        "Chat riaperta",
        "Chat reabierto",
        "Discussion rouverte",
        "Chat wieder geöffnet",
        "Chat reaberto",
    ],
    [
        "Chat closed",
        "Chat chiusa",
        "Chat cerrado",
        "Discussion fermée",
        "Chat geschlossen",
        "Chat encerrado",
    ],
    [
        "Contact details updated",
        "Contatto aggiornato",
        "Datos de contacto actualizados",
        "Coordonnées mises à jour",
        "Kontaktdaten aktualisiert",
        "Dados de contato atualizados",
    ],
    [
        "A new support request has been assigned",
        "Una nuova richiesta di supporto è stata assegnata",
        "Se ha asignado una nueva solicitud de soporte",
        "Une nouvelle demande d'assistance a été attribuée",
        "Eine neue Supportanfrage wurde zugewiesen",
        "Uma nova solicitação de suporte foi atribuída",
    ],
    [
        "Visiting {page}",
        "Sta visitando {page}",
        "Visitando {page}",
        "Consulte {page}",
        "Besucht {page}",
        "Visitando {page}",
    ],
];

/// The info keys shown: `showInfoMessage` as set (`None` when unset: Tiledesk's default), with
/// `CHAT_CLOSED` added when `allowReopen` is on.
pub fn shown_keys(setting: Option<Vec<String>>, allow_reopen: bool) -> Vec<String> {
    let mut keys =
        setting.unwrap_or_else(|| DEFAULT_SHOWN.iter().map(|key| (*key).to_owned()).collect());
    if allow_reopen && !keys.iter().any(|key| key == CHAT_CLOSED) {
        keys.push(CHAT_CLOSED.to_owned());
    }
    keys
}

/// Whether `message` is an info message.
pub fn is_info(message: &Message) -> bool {
    matches!(subtype(message), Some("info" | "info/support"))
}

/// `message` as the visitor sees it: other messages as they are; an info message only if its
/// `messagelabel.key` is among `shown` (one without a label never shows), not the visitor joining
/// nor a bot or the system, and with the standard ones' text in `lang`.
pub fn present(
    mut message: Message,
    shown: &[String],
    own_user_id: &str,
    lang: Lang,
) -> Option<Message> {
    if !is_info(&message) {
        return Some(message);
    }
    let label = message.attributes.as_ref()?.get("messagelabel")?;
    let key = label.get("key")?.as_str()?;
    if !shown.iter().any(|shown| shown == key) {
        return None;
    }
    let parameters = label.get("parameters");
    let parameter = |name: &str| {
        parameters
            .and_then(|p| p.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let standard = Standard::of(key);
    if standard == Some(Standard::MemberJoined) {
        let member = parameter("member_id").unwrap_or_default();
        let automatic = member.contains("bot") || member.contains("system");
        if member == own_user_id || automatic {
            return None;
        }
    }
    let Some(standard) = standard else {
        return Some(message);
    };
    let name = parameter("firstname")
        .or_else(|| parameter("fullname"))
        .or_else(|| parameter("member_id"))
        .unwrap_or_default();
    let page = message
        .attributes
        .as_ref()
        .and_then(|a| a.get("sourcePage"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    message.text = standard
        .template(lang)
        .replace("{name}", &name)
        .replace("{page}", &page)
        .trim()
        .to_owned();
    Some(message)
}

fn subtype(message: &Message) -> Option<&str> {
    message.attributes.as_ref()?.get("subtype")?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn info(key: &str, parameters: Value) -> Message {
        serde_json::from_value(json!({
            "_id": "m", "sender": "system", "senderFullname": "System", "recipient": "r",
            "text": "raw server text", "id_project": "p", "createdAt": "2026-01-01T00:00:00Z",
            "attributes": {"subtype": "info/support", "messagelabel": {"key": key, "parameters": parameters}}
        }))
        .unwrap()
    }

    #[test]
    fn shown_keys_default_to_members_joining_and_follow_allow_reopen() {
        assert_eq!(shown_keys(None, false), vec!["MEMBER_JOINED_GROUP"]);
        let set = |keys: &[&str]| Some(keys.iter().map(|k| (*k).to_owned()).collect());
        assert_eq!(
            shown_keys(set(&["CHAT_REOPENED", "LEAD_UPDATED"]), true),
            vec!["CHAT_REOPENED", "LEAD_UPDATED", "CHAT_CLOSED"]
        );
        assert_eq!(shown_keys(set(&["CHAT_CLOSED"]), true), vec!["CHAT_CLOSED"]);
    }

    #[test]
    fn an_agent_joining_shows_in_the_visitors_language() {
        let shown = shown_keys(None, false);
        let joined = info(
            "MEMBER_JOINED_GROUP",
            json!({"member_id": "agent-7", "firstname": "Ada"}),
        );
        let seen = present(joined, &shown, "me", Lang::It).expect("shown");
        assert_eq!(seen.text, "Ada si è unito alla chat");
    }

    #[test]
    fn the_visitor_bots_the_system_and_unlisted_keys_stay_hidden() {
        let shown = shown_keys(None, false);
        for member in ["me", "bot_123", "system"] {
            let joined = info("MEMBER_JOINED_GROUP", json!({"member_id": member}));
            assert!(
                present(joined, &shown, "me", Lang::En).is_none(),
                "{member}"
            );
        }
        assert!(present(info("CHAT_CLOSED", json!({})), &shown, "me", Lang::En).is_none());
        let mut unlabelled = info("X", json!({}));
        unlabelled.attributes = Some(json!({"subtype": "info"}));
        assert!(
            present(unlabelled, &shown, "me", Lang::En).is_none(),
            "no label, no show"
        );
        let closed = present(
            info("CHAT_CLOSED", json!({})),
            &shown_keys(None, true),
            "me",
            Lang::De,
        );
        assert_eq!(closed.unwrap().text, "Chat geschlossen");
    }

    #[test]
    fn other_messages_pass_unchanged() {
        let mut plain = info("X", json!({}));
        plain.attributes = None;
        assert_eq!(present(plain.clone(), &[], "me", Lang::En), Some(plain));
        let custom = present(
            info("CUSTOM", json!({})),
            &["CUSTOM".into()],
            "me",
            Lang::En,
        );
        assert_eq!(
            custom.unwrap().text,
            "raw server text",
            "a key we do not know keeps its text"
        );
    }
}
