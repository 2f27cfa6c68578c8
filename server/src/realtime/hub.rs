//! In-process publish/subscribe hub: one tokio broadcast channel per topic, dropped when unused.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::extract::ws::Utf8Bytes;
use tiledesk_protocol::{Frame, Message, Publication, PublishMethod};
use tokio::sync::broadcast;

/// Events a slow subscriber may fall behind by before it skips some.
const CHANNEL_CAPACITY: usize = 256;

/// One published change, ready to send.
#[derive(Debug)]
pub struct Event {
    /// Id of the changed document, so a subscriber can skip what its first frame already carried.
    pub message_id: String,
    /// Who owns it (started the conversation, fired the event), so guests only receive their own.
    pub requester_id: String,
    /// For agents and up only (a private note): never sent to a visitor, its owner included.
    pub staff_only: bool,
    /// CREATE, UPDATE or DELETE: only a CREATE can repeat what a first frame carried.
    pub method: PublishMethod,
    /// The connection it came from (a typing notice), which does not get it back.
    pub origin: Option<u64>,
    /// The serialized `publish` frame.
    pub frame: Utf8Bytes,
}

impl Event {
    /// A `publish` CREATE of `message` on `topic`; a private note reaches agents only.
    pub fn created(topic: String, message: &Message, requester_id: &str) -> Self {
        let mut event = Self::document(
            topic,
            &message.id,
            serde_json::to_value(message).unwrap_or_default(),
            requester_id,
        );
        event.staff_only = message.is_private();
        event
    }

    /// A `publish` UPDATE of the changed `message` on `topic`; a private note reaches agents only.
    pub fn updated(topic: String, message: &Message, requester_id: &str) -> Self {
        let mut event = Self::change(
            topic,
            PublishMethod::Update,
            &message.id,
            serde_json::to_value(message).unwrap_or_default(),
            requester_id,
        );
        event.staff_only = message.is_private();
        event
    }

    /// A `publish` CREATE of the document `value` (with id `id`, owned by `owner`) on `topic`.
    pub fn document(topic: String, id: &str, value: serde_json::Value, owner: &str) -> Self {
        Self::change(topic, PublishMethod::Create, id, value, owner)
    }

    /// A `publish` of `method` for the document `value` (with id `id`, owned by `owner`) on `topic`.
    pub fn change(
        topic: String,
        method: PublishMethod,
        id: &str,
        value: serde_json::Value,
        owner: &str,
    ) -> Self {
        let frame = Frame::Publish(Publication {
            topic,
            method,
            message: value,
        });
        Self {
            message_id: id.to_owned(),
            requester_id: owner.to_owned(),
            staff_only: false,
            method,
            origin: None,
            frame: serde_json::to_string(&frame).unwrap_or_default().into(),
        }
    }
}

type Channels = HashMap<String, broadcast::Sender<Arc<Event>>>;

/// The topics that currently have subscribers.
#[derive(Clone, Default)]
pub struct Hub {
    channels: Arc<Mutex<Channels>>,
}

impl Hub {
    fn channels(&self) -> MutexGuard<'_, Channels> {
        self.channels.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts receiving what is published on `topic` from now on.
    pub fn subscribe(&self, topic: &str) -> Subscription {
        let receiver = self
            .channels()
            .entry(topic.to_owned())
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe();
        Subscription {
            receiver: Some(receiver),
            hub: self.clone(),
            topic: topic.to_owned(),
        }
    }

    /// Sends the event `make` builds to the subscribers of `topic`, if any (else it is not built).
    pub fn publish(&self, topic: &str, make: impl FnOnce() -> Event) {
        let mut channels = self.channels();
        if let Some(sender) = channels.get(topic) {
            if sender.send(Arc::new(make())).is_err() {
                channels.remove(topic);
            }
        }
    }

    fn release(&self, topic: &str) {
        let mut channels = self.channels();
        if channels
            .get(topic)
            .is_some_and(|sender| sender.receiver_count() == 0)
        {
            channels.remove(topic);
        }
    }

    #[cfg(test)]
    fn topic_count(&self) -> usize {
        self.channels().len()
    }
}

/// A live subscription to one topic; dropping it forgets the topic once nobody listens.
pub struct Subscription {
    receiver: Option<broadcast::Receiver<Arc<Event>>>,
    hub: Hub,
    topic: String,
}

impl Subscription {
    /// The next event; `None` once the hub is gone. Events missed by a lagging receiver are skipped.
    pub async fn next(&mut self) -> Option<Arc<Event>> {
        let receiver = self.receiver.as_mut()?;
        loop {
            match receiver.recv().await {
                Ok(event) => return Some(event),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(topic = %self.topic, missed, "websocket subscriber lagged");
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.receiver.take();
        self.hub.release(&self.topic);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(id: &str) -> Message {
        serde_json::from_value(serde_json::json!({
            "_id": id, "sender": "u", "recipient": "r", "id_project": "p",
            "createdAt": "2020-01-25T16:23:49.394Z"
        }))
        .unwrap()
    }

    #[tokio::test]
    async fn subscribers_get_events_of_their_topic_only() {
        let hub = Hub::default();
        let mut first = hub.subscribe("/p/requests/a/messages");
        let mut second = hub.subscribe("/p/requests/b/messages");
        hub.publish("/p/requests/a/messages", || {
            Event::created("/p/requests/a/messages".into(), &message("m1"), "u")
        });
        let event = first.next().await.unwrap();
        assert_eq!(event.message_id, "m1");
        assert!(event.frame.as_str().contains(r#""action":"publish""#));
        assert!(
            tokio::time::timeout(std::time::Duration::from_millis(50), second.next())
                .await
                .is_err()
        );
    }

    #[test]
    fn topics_are_forgotten_when_the_last_subscriber_leaves() {
        let hub = Hub::default();
        let first = hub.subscribe("/t");
        let second = hub.subscribe("/t");
        assert_eq!(hub.topic_count(), 1);
        drop(first);
        assert_eq!(hub.topic_count(), 1);
        drop(second);
        assert_eq!(hub.topic_count(), 0);
        hub.publish("/t", || Event::created("/t".into(), &message("m"), "u"));
        assert_eq!(hub.topic_count(), 0);
    }
}
