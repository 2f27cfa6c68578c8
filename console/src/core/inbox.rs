//! The inbox: which conversations each filter lists, their order by last activity, previews and
//! unread counts (messages from others since the agent last opened the conversation).

use tiledesk_protocol::{Message, Request, RequestStatus};

/// The inbox's views of the project's conversations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Filter {
    Unassigned,
    Mine,
    Open,
    Closed,
}

impl Filter {
    /// Every filter, in the order the inbox offers them.
    pub const ALL: [Filter; 4] = [
        Filter::Unassigned,
        Filter::Mine,
        Filter::Open,
        Filter::Closed,
    ];

    /// The filter's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Filter::Unassigned => "Unassigned",
            Filter::Mine => "Mine",
            Filter::Open => "All open",
            Filter::Closed => "Closed",
        }
    }

    /// The filter's name for tests and URLs.
    pub fn key(self) -> &'static str {
        match self {
            Filter::Unassigned => "unassigned",
            Filter::Mine => "mine",
            Filter::Open => "open",
            Filter::Closed => "closed",
        }
    }

    /// The query of `GET /:pid/requests` listing it for agent `me`, last changed first.
    pub fn query(self, me: &str) -> String {
        let filter = match self {
            Filter::Unassigned => "status=100".to_owned(),
            Filter::Mine => format!("status=100,200&participant={}", encode(me)),
            Filter::Open => "status=100,200".to_owned(),
            Filter::Closed => "status=1000".to_owned(),
        };
        format!("{filter}&sort=updatedAt&limit=100")
    }

    /// Whether `request` belongs in this view for agent `me`.
    pub fn matches(self, request: &Request, me: &str) -> bool {
        let open = request.status < RequestStatus::CLOSED;
        match self {
            Filter::Unassigned => request.status == RequestStatus::UNASSIGNED,
            Filter::Mine => open && request.participants.iter().any(|p| p == me),
            Filter::Open => open,
            Filter::Closed => !open,
        }
    }
}

/// Percent-encodes everything but unreserved characters, for a query value.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Whether `message` is an info line (a system notice), not something someone wrote.
pub fn is_info(message: &Message) -> bool {
    message
        .attributes
        .as_ref()
        .and_then(|a| a.get("subtype"))
        .and_then(|s| s.as_str())
        .is_some_and(|s| s.starts_with("info"))
}

/// Messages others wrote (not `me`, not info lines) after `seen_at` (all of them when never seen).
pub fn unread(messages: &[Message], me: &str, seen_at: Option<&str>) -> usize {
    messages
        .iter()
        .filter(|m| m.sender != me && !is_info(m))
        .filter(|m| seen_at.is_none_or(|seen| m.created_at.as_str() > seen))
        .count()
}

/// When the conversation last changed: its own last change or its newest message.
pub fn last_activity(request: &Request, messages: &[Message]) -> String {
    let newest = messages.iter().map(|m| m.created_at.as_str()).max();
    let changed = request.updated_at.as_str().max(request.created_at.as_str());
    newest.unwrap_or_default().max(changed).to_owned()
}

/// The newest message's text in one short line (its first text when none arrived yet).
pub fn preview(request: &Request, messages: &[Message]) -> String {
    let text = messages
        .iter()
        .rev()
        .find(|m| !is_info(m))
        .map(|m| {
            if m.is_private() {
                format!("Note: {}", m.text)
            } else {
                m.text.clone()
            }
        })
        .unwrap_or_else(|| request.first_text.clone());
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 80 {
        format!("{}…", line.chars().take(79).collect::<String>())
    } else {
        line
    }
}

/// Merges `incoming` into `list` (a changed message replaces the one with its id, keeping the
/// higher status: a receipt published before the answer to the post that made the message must
/// not be undone by it), oldest first; whether a message new to the list arrived.
pub fn merge_messages(list: &mut Vec<Message>, incoming: Vec<Message>) -> bool {
    let mut added = false;
    for message in incoming {
        match list.iter_mut().find(|m| m.id == message.id) {
            Some(known) => {
                let status = known.status.max(message.status);
                *known = message;
                known.status = status;
            }
            None => {
                list.push(message);
                added = true;
            }
        }
    }
    list.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    added
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn request(status: i32, participants: &[&str]) -> Request {
        serde_json::from_value(json!({
            "_id": "r1", "request_id": "support-group-p-1", "id_project": "p", "status": status,
            "first_text": "hello   there\nfriend", "participants": participants,
            "createdAt": "2026-01-01T10:00:00.000Z", "updatedAt": "2026-01-01T10:05:00.000Z",
        }))
        .unwrap()
    }

    pub(crate) fn message(
        id: &str,
        sender: &str,
        at: &str,
        attributes: serde_json::Value,
    ) -> Message {
        serde_json::from_value(json!({
            "_id": id, "sender": sender, "recipient": "support-group-p-1", "text": format!("text {id}"),
            "id_project": "p", "createdAt": at, "attributes": attributes,
        }))
        .unwrap()
    }

    #[test]
    fn each_filter_lists_its_conversations() {
        let unassigned = request(100, &[]);
        let mine = request(200, &["me"]);
        let theirs = request(200, &["other"]);
        let closed = request(1000, &["me"]);
        let listed = |filter: Filter| {
            [&unassigned, &mine, &theirs, &closed]
                .iter()
                .map(|r| filter.matches(r, "me"))
                .collect::<Vec<_>>()
        };
        assert_eq!(listed(Filter::Unassigned), [true, false, false, false]);
        assert_eq!(listed(Filter::Mine), [false, true, false, false]);
        assert_eq!(listed(Filter::Open), [true, true, true, false]);
        assert_eq!(listed(Filter::Closed), [false, false, false, true]);
    }

    #[test]
    fn queries_ask_the_server_for_the_same_views() {
        assert_eq!(
            Filter::Mine.query("a b&c"),
            "status=100,200&participant=a%20b%26c&sort=updatedAt&limit=100"
        );
        assert!(Filter::Closed.query("me").starts_with("status=1000&"));
        assert!(Filter::Unassigned.query("me").starts_with("status=100&"));
    }

    #[test]
    fn unread_counts_others_messages_after_the_last_visit() {
        let messages = [
            message("1", "visitor", "2026-01-01T10:01:00.000Z", json!({})),
            message("2", "me", "2026-01-01T10:02:00.000Z", json!({})),
            message("3", "visitor", "2026-01-01T10:03:00.000Z", json!({})),
            message(
                "4",
                "system",
                "2026-01-01T10:04:00.000Z",
                json!({"subtype": "info"}),
            ),
        ];
        assert_eq!(unread(&messages, "me", None), 2);
        assert_eq!(unread(&messages, "me", Some("2026-01-01T10:02:00.000Z")), 1);
        assert_eq!(unread(&messages, "me", Some("2026-01-01T10:03:00.000Z")), 0);
    }

    #[test]
    fn activity_preview_and_merge() {
        let r = request(100, &[]);
        assert_eq!(last_activity(&r, &[]), "2026-01-01T10:05:00.000Z");
        assert_eq!(preview(&r, &[]), "hello there friend");
        let mut list = vec![message("2", "me", "2026-01-01T10:09:00.000Z", json!({}))];
        assert!(merge_messages(
            &mut list,
            vec![message("1", "v", "2026-01-01T10:08:00.000Z", json!({}))]
        ));
        let mut seen = message("2", "me", "2026-01-01T10:09:00.000Z", json!({}));
        seen.status = 300;
        assert!(!merge_messages(&mut list, vec![seen]));
        assert_eq!(
            list.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
            ["1", "2"]
        );
        assert_eq!(list[1].status, 300);
        let late_answer = message("2", "me", "2026-01-01T10:09:00.000Z", json!({}));
        assert!(!merge_messages(&mut list, vec![late_answer]));
        assert_eq!(list[1].status, 300, "a late copy does not undo the receipt");
        assert_eq!(last_activity(&r, &list), "2026-01-01T10:09:00.000Z");
        let note = message(
            "3",
            "me",
            "2026-01-01T10:10:00.000Z",
            json!({"subtype": "private"}),
        );
        assert_eq!(preview(&r, &[note]), "Note: text 3");
    }
}
