//! The `messages` table: the messages of each conversation, in the order they were stored.

use serde_json::Value;
use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::{Message, MessageStatus, PRIVATE_SUBTYPE};

use super::{from_json_text, to_json_text};
use crate::clock;
use crate::domain::ids::ObjectId;

/// A stored message.
#[derive(Debug, Clone, FromRow)]
pub struct MessageRecord {
    pub id: String,
    pub project_id: String,
    pub request_id: String,
    pub sender: String,
    pub sender_fullname: String,
    pub kind: String,
    pub text: String,
    pub status: i32,
    pub attributes: Option<String>,
    pub metadata: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl MessageRecord {
    /// The message document of the API (without its `request`).
    pub fn to_wire(&self) -> Message {
        Message {
            id: self.id.clone(),
            sender: self.sender.clone(),
            sender_fullname: self.sender_fullname.clone(),
            recipient: self.request_id.clone(),
            kind: self.kind.clone(),
            channel_type: "group".to_owned(),
            text: self.text.clone(),
            id_project: self.project_id.clone(),
            status: self.status,
            attributes: from_json_text(self.attributes.as_deref()),
            metadata: from_json_text(self.metadata.as_deref()),
            created_by: self.sender.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            version: 0,
            request: None,
        }
    }
}

/// What a new message is made of.
pub struct NewMessageRecord<'a> {
    pub project: &'a str,
    pub request_id: &'a str,
    pub sender: &'a str,
    pub sender_fullname: &'a str,
    pub kind: &'a str,
    pub text: &'a str,
    pub attributes: Option<&'a Value>,
    pub metadata: Option<&'a Value>,
    pub client_id: Option<&'a str>,
}

const COLUMNS: &str = "id, project_id, request_id, sender, sender_fullname, kind, text, status, \
                       attributes, metadata, created_at, updated_at";

/// Whether messages with these attributes are an agents' internal note.
pub fn is_private(attributes: Option<&Value>) -> bool {
    attributes
        .and_then(|a| a.get("subtype"))
        .is_some_and(|subtype| subtype == PRIVATE_SUBTYPE)
}

/// Stores a message as sent (saved on the server, not yet delivered to the other side); `None` when the conversation already has a
/// message with its client id.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    new: &NewMessageRecord<'_>,
) -> sqlx::Result<Option<MessageRecord>> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO messages (id, project_id, request_id, sender, sender_fullname, kind, text, status,
                               attributes, metadata, client_id, created_at, updated_at, private)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id, request_id, client_id) DO NOTHING RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(new.project)
    .bind(new.request_id)
    .bind(new.sender)
    .bind(new.sender_fullname)
    .bind(new.kind)
    .bind(new.text)
    .bind(MessageStatus::SENT)
    .bind(to_json_text(new.attributes))
    .bind(to_json_text(new.metadata))
    .bind(new.client_id)
    .bind(&now)
    .bind(&now)
    .bind(is_private(new.attributes))
    .fetch_optional(db)
    .await
}

/// The message of this conversation that carried `client_id`.
pub async fn find_by_client_id(
    db: impl SqliteExecutor<'_>,
    project: &str,
    request_id: &str,
    client_id: &str,
) -> sqlx::Result<Option<MessageRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM messages WHERE project_id = ? AND request_id = ? AND client_id = ?"
    ))
    .bind(project)
    .bind(request_id)
    .bind(client_id)
    .fetch_optional(db)
    .await
}

/// Which messages of a conversation a reader gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Agents and up: every message, private notes included.
    Staff,
    /// Visitors: no private notes.
    Visitor,
}

impl Audience {
    fn with_private(self) -> bool {
        self == Audience::Staff
    }
}

/// Up to `limit` messages of a conversation for `audience` after skipping `offset`, oldest first.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    project: &str,
    request_id: &str,
    audience: Audience,
    limit: u32,
    offset: u64,
) -> sqlx::Result<Vec<MessageRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM messages WHERE project_id = ? AND request_id = ? AND (? OR private = 0)
         ORDER BY seq LIMIT ? OFFSET ?"
    ))
    .bind(project)
    .bind(request_id)
    .bind(audience.with_private())
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await
}

/// The last `limit` messages of a conversation for `audience`, oldest first.
pub async fn latest(
    db: impl SqliteExecutor<'_>,
    project: &str,
    request_id: &str,
    audience: Audience,
    limit: u32,
) -> sqlx::Result<Vec<MessageRecord>> {
    let mut newest_first: Vec<MessageRecord> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM messages WHERE project_id = ? AND request_id = ? AND (? OR private = 0)
         ORDER BY seq DESC LIMIT ?"
    ))
    .bind(project)
    .bind(request_id)
    .bind(audience.with_private())
    .bind(i64::from(limit))
    .fetch_all(db)
    .await?;
    newest_first.reverse();
    Ok(newest_first)
}

/// Whose messages a read receipt marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The visitor's (an agent's receipt): messages sent by the conversation's requester.
    Requester,
    /// The agents' and bots' (the visitor's receipt): everyone else's, private notes left out.
    Staff,
}

/// A stored message with its place in the conversation.
#[derive(FromRow)]
pub struct Numbered {
    pub seq: i64,
    #[sqlx(flatten)]
    pub record: MessageRecord,
}

/// The stored message `id` of a conversation, private notes included only for `audience` staff.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    project: &str,
    request_id: &str,
    id: &str,
    audience: Audience,
) -> sqlx::Result<Option<Numbered>> {
    sqlx::query_as(&format!(
        "SELECT seq, {COLUMNS} FROM messages
         WHERE project_id = ? AND request_id = ? AND id = ? AND (? OR private = 0)"
    ))
    .bind(project)
    .bind(request_id)
    .bind(id)
    .bind(audience.with_private())
    .fetch_optional(db)
    .await
}

/// Raises to `status` the messages of `side` (as told by `requester`, who started the
/// conversation) stored up to `until_seq` whose status is lower: the changed messages, oldest first.
pub async fn raise_status(
    db: impl SqliteExecutor<'_>,
    project: &str,
    request_id: &str,
    requester: &str,
    side: Side,
    until_seq: i64,
    status: i32,
) -> sqlx::Result<Vec<MessageRecord>> {
    let requester_side = side == Side::Requester;
    let mut changed: Vec<Numbered> = sqlx::query_as(&format!(
        "UPDATE messages SET status = ?, updated_at = ?
         WHERE project_id = ? AND request_id = ? AND seq <= ? AND status < ?
           AND ((? AND sender = ?) OR (NOT ? AND sender <> ? AND private = 0))
         RETURNING seq, {COLUMNS}"
    ))
    .bind(status)
    .bind(clock::now_iso())
    .bind(project)
    .bind(request_id)
    .bind(until_seq)
    .bind(status)
    .bind(requester_side)
    .bind(requester)
    .bind(requester_side)
    .bind(requester)
    .fetch_all(db)
    .await?;
    changed.sort_by_key(|numbered| numbered.seq);
    Ok(changed
        .into_iter()
        .map(|numbered| numbered.record)
        .collect())
}
