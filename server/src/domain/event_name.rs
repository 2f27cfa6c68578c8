//! Names of custom events and of the webhook events a subscription may follow.

use std::fmt;

use crate::webhooks::events;

/// Longest event name.
const MAX_LEN: usize = 100;

/// A custom event name such as `checkout_started`: 1 to 100 of ASCII letters, digits, `_`, `-`, `.` and `:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventName(String);

impl EventName {
    /// Reads an event name, or `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let valid = !raw.is_empty()
            && raw.len() <= MAX_LEN
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
        valid.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A webhook event a subscription follows: one of the server's events, or `event.emit.<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookEvent(String);

/// The events the server fires besides `event.emit.<name>`.
pub const KNOWN_EVENTS: [&str; 15] = [
    events::MESSAGE_CREATE,
    events::REQUEST_CREATE,
    events::REQUEST_UPDATE,
    events::REQUEST_CLOSE,
    events::REQUEST_REOPEN,
    events::REQUEST_PARTICIPANTS_UPDATE,
    events::REQUEST_ATTRIBUTES_UPDATE,
    events::REQUEST_DEPARTMENT_UPDATE,
    events::LEAD_CREATE,
    events::LEAD_UPDATE,
    events::PROJECT_USER_UPDATE,
    events::DEPARTMENT_CREATE,
    events::DEPARTMENT_UPDATE,
    events::DEPARTMENT_DELETE,
    tiledesk_protocol::event::EMIT,
];

impl HookEvent {
    /// Reads a known event or `event.emit.<name>`, or `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let known = KNOWN_EVENTS.contains(&raw);
        let custom = raw
            .strip_prefix("event.emit.")
            .is_some_and(|name| EventName::parse(name).is_some());
        (known || custom).then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_are_bounded_words() {
        assert!(EventName::parse("checkout_started").is_some());
        assert!(EventName::parse("").is_none());
        assert!(EventName::parse("a b").is_none());
        assert!(EventName::parse(&"x".repeat(101)).is_none());
    }

    #[test]
    fn hook_events_are_known_or_custom() {
        for ok in [
            "message.create",
            "request.close",
            "event.emit",
            "event.emit.paid",
        ] {
            assert!(HookEvent::parse(ok).is_some(), "{ok}");
        }
        for bad in ["", "message.delete", "event.emit.", "event.emit.a b"] {
            assert!(HookEvent::parse(bad).is_none(), "{bad}");
        }
    }
}
