//! The messages of the open conversation as the visitor sees them: local echoes waiting for the
//! server, confirmed messages and incoming ones, merged without duplicates.

use serde_json::Value;
use tiledesk_protocol::{Message, MessageStatus};

/// The Tiledesk widget's status of a message its recipient has read.
const RETURN_RECEIPT: i32 = 250;

/// How far an outgoing message got, in order (a failed one is retried to `Sending`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Delivery {
    /// Shown at once, not yet acknowledged by the server.
    Sending,
    /// Stored by the server (incoming messages are always `Sent`).
    Sent,
    /// The other side's client has received it.
    Delivered,
    /// The other side has seen it.
    Read,
    /// The server refused it or could not be reached; it can be retried.
    Failed,
}

impl Delivery {
    /// The name used in the DOM (`data-status`).
    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Sending => "sending",
            Delivery::Sent => "sent",
            Delivery::Delivered => "delivered",
            Delivery::Read => "read",
            Delivery::Failed => "failed",
        }
    }

    /// How far a stored message got, by its status code: the server has it, so at least sent;
    /// `DELIVERED` (150) once the other side's client has it; read from the Tiledesk widget's
    /// return receipt (250) up to `SEEN` (300). `RECEIVED` (200), the status a Tiledesk server
    /// stores messages with, only says that the server has it.
    pub fn of_status(status: i32) -> Self {
        match status {
            s if s >= RETURN_RECEIPT => Delivery::Read,
            s if (MessageStatus::DELIVERED..MessageStatus::RECEIVED).contains(&s) => {
                Delivery::Delivered
            }
            _ => Delivery::Sent,
        }
    }
}

/// Whether a line was written by this visitor or by someone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Outgoing,
    Incoming,
}

/// One message line of the conversation view.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Stable identity: the client id of an outgoing message, else the server id.
    pub key: String,
    /// The server's `_id`, once known.
    pub server_id: Option<String>,
    pub text: String,
    pub sender_name: String,
    pub direction: Direction,
    pub delivery: Delivery,
    /// When the server stored it (ISO-8601), once known.
    pub created_at: Option<String>,
    /// The message type: `text`, `image`, `file`, `frame`, …
    pub kind: String,
    pub metadata: Option<Value>,
    pub attributes: Option<Value>,
}

impl Line {
    /// The line for a stored message.
    fn stored(key: String, message: &Message, direction: Direction) -> Self {
        Self {
            key,
            server_id: Some(message.id.clone()),
            text: message.text.clone(),
            sender_name: message.sender_fullname.clone(),
            direction,
            delivery: match direction {
                Direction::Outgoing => Delivery::of_status(message.status),
                Direction::Incoming => Delivery::Sent,
            },
            created_at: Some(message.created_at.clone()),
            kind: message.kind.clone(),
            metadata: message.metadata.clone(),
            attributes: message.attributes.clone(),
        }
    }
}

/// The lines of one conversation, oldest first; pending and failed lines stay at the end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Conversation {
    lines: Vec<Line>,
}

impl Conversation {
    /// All lines, oldest first.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Adds the local echo of a text message the visitor is sending.
    pub fn queue(&mut self, client_id: &str, text: &str) {
        self.queue_message(client_id, text, "text", None);
    }

    /// Adds the local echo of a message of type `kind` (an image or a file with its `metadata`).
    pub fn queue_message(
        &mut self,
        client_id: &str,
        text: &str,
        kind: &str,
        metadata: Option<Value>,
    ) {
        self.lines.push(Line {
            key: client_id.to_owned(),
            server_id: None,
            text: text.to_owned(),
            sender_name: String::new(),
            direction: Direction::Outgoing,
            delivery: Delivery::Sending,
            created_at: None,
            kind: kind.to_owned(),
            metadata,
            attributes: None,
        });
    }

    /// Marks an outgoing message as failed; its text stays for a retry.
    pub fn fail(&mut self, client_id: &str) {
        if let Some(line) = self.pending_mut(client_id) {
            line.delivery = Delivery::Failed;
        }
    }

    /// Puts a failed message back to sending and returns its text, or `None` if there is no such failed message.
    pub fn retry(&mut self, client_id: &str) -> Option<String> {
        let line = self.pending_mut(client_id)?;
        (line.delivery == Delivery::Failed).then(|| {
            line.delivery = Delivery::Sending;
            line.text.clone()
        })
    }

    /// Merges messages from the server (an answer, a history load, a live frame or a poll).
    /// A message already shown only moves its delivery on (never back); one carrying the client id
    /// of a local echo confirms it. Returns the messages that were not shown before, in order.
    pub fn merge(&mut self, messages: Vec<Message>, own_user_id: &str) -> Vec<Message> {
        let mut added = Vec::new();
        for message in messages {
            let shown = self
                .lines
                .iter_mut()
                .find(|line| line.server_id.as_deref() == Some(&message.id));
            if let Some(line) = shown {
                let delivery = Delivery::of_status(message.status);
                if line.direction == Direction::Outgoing && delivery > line.delivery {
                    line.delivery = delivery;
                }
                continue;
            }
            if !for_the_visitor(&message) {
                continue;
            }
            let echo = message.client_id().and_then(|client_id| {
                self.lines
                    .iter()
                    .position(|line| line.key == client_id && line.server_id.is_none())
            });
            match echo {
                Some(index) => {
                    let key = self.lines.remove(index).key;
                    self.insert_confirmed(Line::stored(key, &message, Direction::Outgoing));
                }
                None => {
                    let direction = if message.sender == own_user_id {
                        Direction::Outgoing
                    } else {
                        Direction::Incoming
                    };
                    self.insert_confirmed(Line::stored(message.id.clone(), &message, direction));
                }
            }
            added.push(message);
        }
        added
    }

    /// Places a confirmed line after the confirmed ones, before anything still pending.
    fn insert_confirmed(&mut self, line: Line) {
        let at = self
            .lines
            .iter()
            .position(|existing| existing.server_id.is_none())
            .unwrap_or(self.lines.len());
        self.lines.insert(at, line);
    }

    /// What the newest message from someone else asks of the composer, as a Tiledesk bot asks it
    /// in its attributes: whether it takes text (`disableInputMessage`), and its placeholder
    /// (`inputMessagePlaceholder`).
    pub fn composer_request(&self) -> (bool, Option<String>) {
        let attributes = self
            .lines
            .iter()
            .rev()
            .find(|line| line.direction == Direction::Incoming)
            .and_then(|line| line.attributes.as_ref());
        let disabled = attributes
            .and_then(|a| a.get("disableInputMessage"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let placeholder = attributes
            .and_then(|a| a.get("inputMessagePlaceholder"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        (!disabled, placeholder)
    }

    /// The newest line someone else wrote, if the server has it: what "seen up to" names.
    pub fn newest_incoming(&self) -> Option<&str> {
        self.lines
            .iter()
            .rev()
            .filter(|line| line.direction == Direction::Incoming)
            .find_map(|line| line.server_id.as_deref())
    }

    fn pending_mut(&mut self, client_id: &str) -> Option<&mut Line> {
        self.lines
            .iter_mut()
            .find(|line| line.key == client_id && line.server_id.is_none())
    }
}

/// The initials of `name` for an avatar: the first letters of its first two words ("Ada
/// Lovelace" → "AL"), or `?` when there is no name.
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".into()
    } else {
        letters
    }
}

/// Key in `attributes` marking a message sent silently (`tiledesk_hiddenMessage`): never shown.
pub const HIDDEN_ATTRIBUTE: &str = "hidden";

/// Whether the visitor may see `message` at all: not a message the widget sent silently, and
/// never an agents' private note (not shown, not counted, not announced to the page).
pub fn for_the_visitor(message: &Message) -> bool {
    let attribute = |key: &str| {
        message
            .attributes
            .as_ref()
            .and_then(|attributes| attributes.get(key))
    };
    let hidden = attribute(HIDDEN_ATTRIBUTE).and_then(Value::as_bool) == Some(true);
    !hidden && !message.is_private()
}

/// The messages of conversation `request_id` among `messages`: an answer about a conversation the
/// visitor has left (a late history fetch, a socket frame, a post finishing after a restart) shows nowhere.
pub fn of_conversation(messages: Vec<Message>, request_id: Option<&str>) -> Vec<Message> {
    let Some(request_id) = request_id else {
        return Vec::new();
    };
    messages
        .into_iter()
        .filter(|message| message.recipient == request_id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(id: &str, sender: &str, text: &str, client_id: Option<&str>) -> Message {
        let attributes = client_id.map(|c| json!({ tiledesk_protocol::CLIENT_ID_ATTRIBUTE: c }));
        serde_json::from_value(json!({
            "_id": id, "sender": sender, "senderFullname": format!("{sender} name"), "recipient": "support-group-p-1",
            "text": text, "id_project": "p", "createdAt": "2026-11-21T10:00:00.000Z", "attributes": attributes
        }))
        .unwrap()
    }

    fn keys(conversation: &Conversation) -> Vec<(&str, Delivery)> {
        conversation
            .lines()
            .iter()
            .map(|l| (l.text.as_str(), l.delivery))
            .collect()
    }

    #[test]
    fn a_sent_message_is_confirmed_not_duplicated() {
        let mut conversation = Conversation::default();
        conversation.queue("c1", "hello");
        assert_eq!(keys(&conversation), vec![("hello", Delivery::Sending)]);
        let added = conversation.merge(vec![message("m1", "me", "hello", Some("c1"))], "me");
        assert_eq!(added.len(), 1);
        assert_eq!(keys(&conversation), vec![("hello", Delivery::Sent)]);
        assert_eq!(
            conversation.lines()[0].key,
            "c1",
            "the key stays stable for the view"
        );
        let again = conversation.merge(vec![message("m1", "me", "hello", Some("c1"))], "me");
        assert!(again.is_empty());
        assert_eq!(conversation.lines().len(), 1);
    }

    #[test]
    fn incoming_messages_go_before_pending_ones() {
        let mut conversation = Conversation::default();
        conversation.merge(vec![message("m1", "me", "first", None)], "me");
        conversation.queue("c2", "second");
        conversation.merge(vec![message("m2", "agent", "reply", None)], "me");
        assert_eq!(
            keys(&conversation),
            vec![
                ("first", Delivery::Sent),
                ("reply", Delivery::Sent),
                ("second", Delivery::Sending)
            ]
        );
        assert_eq!(conversation.lines()[0].direction, Direction::Outgoing);
        assert_eq!(conversation.lines()[1].direction, Direction::Incoming);
        assert_eq!(conversation.lines()[1].sender_name, "agent name");
    }

    #[test]
    fn a_failed_message_keeps_its_text_and_can_be_retried_once() {
        let mut conversation = Conversation::default();
        conversation.queue("c1", "are you there?");
        conversation.fail("c1");
        assert_eq!(
            keys(&conversation),
            vec![("are you there?", Delivery::Failed)]
        );
        assert_eq!(conversation.retry("c1").as_deref(), Some("are you there?"));
        assert_eq!(
            conversation.retry("c1"),
            None,
            "a message already sending is not retried twice"
        );
        conversation.merge(
            vec![message("m9", "me", "are you there?", Some("c1"))],
            "me",
        );
        assert_eq!(
            keys(&conversation),
            vec![("are you there?", Delivery::Sent)]
        );
    }

    #[test]
    fn hidden_messages_are_never_shown() {
        let mut conversation = Conversation::default();
        let mut hidden = message("m1", "me", "start flow", None);
        hidden.attributes = Some(json!({ HIDDEN_ATTRIBUTE: true }));
        let added = conversation.merge(vec![hidden, message("m2", "bot", "Welcome!", None)], "me");
        assert_eq!(added.len(), 1);
        assert_eq!(keys(&conversation), vec![("Welcome!", Delivery::Sent)]);
    }

    #[test]
    fn agents_private_notes_never_reach_the_visitor() {
        let mut conversation = Conversation::default();
        let mut note = message("m1", "agent", "VIP, offer the discount", None);
        note.attributes = Some(json!({ "subtype": tiledesk_protocol::PRIVATE_SUBTYPE }));
        let mut info = message("m2", "system", "Agent joined", None);
        info.attributes = Some(json!({ "subtype": "info" }));
        let added = conversation.merge(vec![note, info], "me");
        assert_eq!(added.len(), 1, "a private note is not new to the visitor");
        assert_eq!(keys(&conversation), vec![("Agent joined", Delivery::Sent)]);
    }

    #[test]
    fn history_from_another_device_counts_as_own_by_sender() {
        let mut conversation = Conversation::default();
        let added = conversation.merge(
            vec![
                message("m1", "me", "a", None),
                message("m2", "bot", "b", None),
                message("m1", "me", "a", None),
            ],
            "me",
        );
        assert_eq!(added.len(), 2);
        assert_eq!(conversation.lines()[0].direction, Direction::Outgoing);
        assert_eq!(Delivery::Failed.as_str(), "failed");
    }

    #[test]
    fn receipts_move_own_messages_on_but_never_back() {
        let mut conversation = Conversation::default();
        conversation.queue("c1", "hello");
        let mut stored = message("m1", "me", "hello", Some("c1"));
        stored.status = MessageStatus::SENT;
        conversation.merge(vec![stored.clone()], "me");
        assert_eq!(keys(&conversation), vec![("hello", Delivery::Sent)]);
        stored.status = MessageStatus::RECEIVED;
        conversation.merge(vec![stored.clone()], "me");
        assert_eq!(
            keys(&conversation),
            vec![("hello", Delivery::Sent)],
            "a Tiledesk server's own status"
        );
        stored.status = MessageStatus::DELIVERED;
        conversation.merge(vec![stored.clone()], "me");
        assert_eq!(keys(&conversation), vec![("hello", Delivery::Delivered)]);
        stored.status = MessageStatus::SEEN;
        let added = conversation.merge(vec![stored.clone()], "me");
        assert!(added.is_empty(), "an update is not a new message");
        assert_eq!(keys(&conversation), vec![("hello", Delivery::Read)]);
        stored.status = MessageStatus::DELIVERED;
        conversation.merge(vec![stored], "me");
        assert_eq!(keys(&conversation), vec![("hello", Delivery::Read)]);
        let mut reply = message("m2", "agent", "hi", None);
        reply.status = MessageStatus::SEEN;
        conversation.merge(vec![reply], "me");
        assert_eq!(
            conversation.lines()[1].delivery,
            Delivery::Sent,
            "others' messages show no ticks"
        );
        assert_eq!(conversation.newest_incoming(), Some("m2"));
    }

    #[test]
    fn a_bot_may_close_the_composer_or_change_its_placeholder_until_its_next_message() {
        let mut conversation = Conversation::default();
        assert_eq!(conversation.composer_request(), (true, None));
        let mut choose = message("m1", "bot", "Pick a button", None);
        choose.attributes = Some(
            json!({ "disableInputMessage": true, "inputMessagePlaceholder": " Use the buttons " }),
        );
        conversation.merge(vec![choose], "me");
        assert_eq!(
            conversation.composer_request(),
            (false, Some("Use the buttons".into()))
        );
        conversation.merge(vec![message("m2", "me", "ok", None)], "me");
        assert!(
            !conversation.composer_request().0,
            "the visitor's own messages change nothing"
        );
        conversation.merge(vec![message("m3", "bot", "Now write", None)], "me");
        assert_eq!(conversation.composer_request(), (true, None));
    }

    #[test]
    fn avatars_show_initials() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("  bot  "), "B");
        assert_eq!(initials("élodie (support) team"), "ÉS");
        assert_eq!(initials(""), "?");
    }

    #[test]
    fn messages_of_another_conversation_are_left_out() {
        let mine = message("m1", "me", "mine", None);
        let mut other = message("m2", "me", "left behind", None);
        other.recipient = "support-group-p-0".into();
        let kept = of_conversation(vec![other.clone(), mine.clone()], Some("support-group-p-1"));
        assert_eq!(kept, vec![mine.clone()]);
        assert!(of_conversation(vec![mine, other], None).is_empty());
    }
}
