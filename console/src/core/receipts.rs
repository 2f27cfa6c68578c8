//! Read state: the ticks on the agent's own messages, and which visitor message to mark seen.

use tiledesk_protocol::{Message, MessageStatus};

use super::inbox::is_info;

/// The tick shown under an agent's message of `status`, and what it says to screen readers.
pub fn tick(status: i32) -> Option<(&'static str, &'static str)> {
    match status {
        s if s >= MessageStatus::SEEN => Some(("✓✓", "Seen")),
        s if s >= MessageStatus::DELIVERED => Some(("✓✓", "Delivered")),
        s if s >= MessageStatus::SENT => Some(("✓", "Sent")),
        _ => None,
    }
}

/// The newest message of someone else than `me` not yet seen: the `until` of a SEEN status update.
pub fn unseen_until<'a>(messages: &'a [Message], me: &str) -> Option<&'a str> {
    let newest = messages
        .iter()
        .rev()
        .find(|m| m.sender != me && !is_info(m) && !m.is_private())?;
    (newest.status < MessageStatus::SEEN).then_some(newest.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::inbox::tests::message;
    use serde_json::json;

    #[test]
    fn ticks_follow_the_status() {
        assert_eq!(tick(0), None);
        assert_eq!(tick(100), Some(("✓", "Sent")));
        assert_eq!(tick(150).map(|t| t.1), Some("Delivered"));
        assert_eq!(tick(300).map(|t| t.1), Some("Seen"));
    }

    #[test]
    fn the_newest_unseen_visitor_message_is_marked() {
        let mut visitor = message("1", "visitor", "2026-01-01T10:01:00.000Z", json!({}));
        let mine = message("2", "me", "2026-01-01T10:02:00.000Z", json!({}));
        assert_eq!(
            unseen_until(&[visitor.clone(), mine.clone()], "me"),
            Some("1")
        );
        visitor.status = MessageStatus::SEEN;
        assert_eq!(unseen_until(&[visitor, mine.clone()], "me"), None);
        assert_eq!(unseen_until(&[mine], "me"), None);
    }
}
