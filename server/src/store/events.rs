//! The `events` table: custom events fired by project members.

use serde_json::Value;
use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::Event;

use crate::clock;
use crate::domain::ids::ObjectId;

/// A stored event.
#[derive(Debug, Clone, FromRow)]
pub struct EventRecord {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub attributes: String,
    pub project_user_id: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl EventRecord {
    /// The event document of the API.
    pub fn to_wire(&self) -> Event {
        Event {
            id: self.id.clone(),
            name: self.name.clone(),
            attributes: serde_json::from_str(&self.attributes)
                .unwrap_or_else(|_| Value::Object(Default::default())),
            id_project: self.project_id.clone(),
            project_user: self.project_user_id.clone(),
            created_by: self.created_by.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            version: 0,
        }
    }
}

/// What a new event is made of.
pub struct NewEventRecord<'a> {
    pub project: &'a str,
    pub name: &'a str,
    pub attributes: &'a Value,
    pub project_user: &'a str,
    pub created_by: &'a str,
}

const COLUMNS: &str =
    "id, project_id, name, attributes, project_user_id, created_by, created_at, updated_at";

/// Stores an event.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    new: &NewEventRecord<'_>,
) -> sqlx::Result<EventRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO events (id, project_id, name, attributes, project_user_id, created_by,
                             created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(new.project)
    .bind(new.name)
    .bind(new.attributes.to_string())
    .bind(new.project_user)
    .bind(new.created_by)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// The event `id` of `project`.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
) -> sqlx::Result<Option<EventRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events WHERE project_id = ? AND id = ?"
    ))
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The column events are sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Name,
}

impl SortField {
    /// Reads `createdAt`, `updatedAt` or `name`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "createdAt" | "created_at" => Some(Self::CreatedAt),
            "updatedAt" | "updated_at" => Some(Self::UpdatedAt),
            "name" => Some(Self::Name),
            _ => None,
        }
    }

    fn column(self) -> &'static str {
        match self {
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
            Self::Name => "name",
        }
    }
}

/// How many events `project` has, and one page of them.
pub async fn page(
    pool: &sqlx::SqlitePool,
    project: &str,
    sort: SortField,
    ascending: bool,
    limit: u32,
    offset: u64,
) -> sqlx::Result<(u64, Vec<EventRecord>)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE project_id = ?")
        .bind(project)
        .fetch_one(pool)
        .await?;
    let direction = if ascending { "ASC" } else { "DESC" };
    let events = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM events WHERE project_id = ?
         ORDER BY {column} {direction}, seq {direction} LIMIT ? OFFSET ?",
        column = sort.column()
    ))
    .bind(project)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(pool)
    .await?;
    Ok((u64::try_from(total).unwrap_or(0), events))
}
