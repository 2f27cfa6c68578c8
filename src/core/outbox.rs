//! Messages written but not yet stored by the server, kept in storage so that none is lost across
//! failures and reloads, and retried in order with back-off.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Longest wait between automatic retries.
const MAX_RETRY_DELAY_MS: u32 = 30_000;

/// One message waiting to be stored, exactly as it will be posted (its attributes carry its client id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub client_id: String,
    pub request_id: String,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub attributes: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// The queue of pending messages, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Outbox {
    items: Vec<Pending>,
}

impl Outbox {
    /// The outbox stored as `json`; an unreadable one is empty.
    pub fn from_json(json: Option<&str>) -> Self {
        json.and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or_default()
    }

    /// The outbox as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "[]".into())
    }

    /// Adds a message at the end, unless one with its client id is already waiting.
    pub fn push(&mut self, pending: Pending) {
        if !self
            .items
            .iter()
            .any(|item| item.client_id == pending.client_id)
        {
            self.items.push(pending);
        }
    }

    /// Takes over `orphans` (another tab's, written earlier): they go first, in their order,
    /// except those already waiting here.
    pub fn adopt(&mut self, orphans: Outbox) {
        let mine = std::mem::take(&mut self.items);
        for pending in orphans.items.into_iter().chain(mine) {
            self.push(pending);
        }
    }

    /// Removes the message with this client id (delivered, or given up).
    pub fn remove(&mut self, client_id: &str) {
        self.items.retain(|item| item.client_id != client_id);
    }

    /// The next message to deliver.
    pub fn first(&self) -> Option<&Pending> {
        self.items.first()
    }

    /// The oldest message whose client id is not in `skipped`.
    pub fn first_except(&self, skipped: &std::collections::HashSet<String>) -> Option<&Pending> {
        self.items
            .iter()
            .find(|item| !skipped.contains(&item.client_id))
    }

    /// The messages waiting in one conversation, oldest first.
    pub fn in_conversation<'a>(&'a self, request_id: &'a str) -> impl Iterator<Item = &'a Pending> {
        self.items
            .iter()
            .filter(move |item| item.request_id == request_id)
    }
}

/// How long to wait before automatic retry number `attempt` (0-based): 1 s, 2 s, 4 s, … up to 30 s.
pub fn retry_delay_ms(attempt: u32) -> u32 {
    1_000u32
        .saturating_mul(1u32 << attempt.min(15))
        .min(MAX_RETRY_DELAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(client_id: &str, request_id: &str) -> Pending {
        Pending {
            client_id: client_id.into(),
            request_id: request_id.into(),
            text: format!("text of {client_id}"),
            kind: "text".into(),
            attributes: Map::new(),
            metadata: None,
        }
    }

    #[test]
    fn survives_a_round_trip_through_storage_in_order() {
        let mut outbox = Outbox::default();
        outbox.push(pending("a", "r1"));
        outbox.push(pending("b", "r2"));
        outbox.push(pending("c", "r1"));
        outbox.push(pending("a", "r1"));
        let restored = Outbox::from_json(Some(&outbox.to_json()));
        assert_eq!(restored, outbox);
        let in_r1: Vec<&str> = restored
            .in_conversation("r1")
            .map(|p| p.client_id.as_str())
            .collect();
        assert_eq!(in_r1, vec!["a", "c"], "a client id is queued once");
        assert_eq!(restored.first().map(|p| p.client_id.as_str()), Some("a"));
        let skipped = std::collections::HashSet::from(["a".to_owned()]);
        assert_eq!(
            restored
                .first_except(&skipped)
                .map(|p| p.client_id.as_str()),
            Some("b")
        );
    }

    #[test]
    fn a_gone_tabs_messages_go_first_and_only_once() {
        let mut mine = Outbox::default();
        mine.push(pending("m1", "r1"));
        mine.push(pending("shared", "r1"));
        let mut orphans = Outbox::default();
        orphans.push(pending("o1", "r1"));
        orphans.push(pending("shared", "r1"));
        orphans.push(pending("o2", "r2"));
        mine.adopt(orphans);
        let order: Vec<&str> = mine.items.iter().map(|p| p.client_id.as_str()).collect();
        assert_eq!(order, vec!["o1", "shared", "o2", "m1"]);
    }

    #[test]
    fn delivered_messages_leave_and_garbage_reads_as_empty() {
        let mut outbox = Outbox::default();
        outbox.push(pending("a", "r1"));
        outbox.remove("a");
        assert_eq!(outbox.first(), None);
        assert_eq!(Outbox::from_json(Some("{not json")), Outbox::default());
        assert_eq!(Outbox::from_json(None), Outbox::default());
    }

    #[test]
    fn retries_back_off_to_half_a_minute() {
        let delays: Vec<u32> = (0..7).map(retry_delay_ms).collect();
        assert_eq!(
            delays,
            vec![1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]
        );
        assert_eq!(retry_delay_ms(u32::MAX), 30_000);
    }
}
