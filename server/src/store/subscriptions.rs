//! The `subscriptions` table: webhook subscriptions, each with its own secret.

use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::Subscription;

use crate::clock;
use crate::domain::ids::ObjectId;

/// A stored subscription.
#[derive(Debug, Clone, FromRow)]
pub struct SubscriptionRecord {
    pub id: String,
    pub project_id: String,
    pub event: String,
    pub target: String,
    pub secret: String,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl SubscriptionRecord {
    /// The subscription document of the API, with its secret only when `with_secret`.
    pub fn to_wire(&self, with_secret: bool) -> Subscription {
        Subscription {
            id: self.id.clone(),
            event: self.event.clone(),
            target: self.target.clone(),
            id_project: self.project_id.clone(),
            created_by: self.created_by.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            version: 0,
            secret: with_secret.then(|| self.secret.clone()),
        }
    }
}

const COLUMNS: &str = "id, project_id, event, target, secret, created_by, created_at, updated_at";

/// Stores a subscription of `project` to `event`, delivered to `target` with `secret`.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    project: &str,
    event: &str,
    target: &str,
    secret: &str,
    creator: &str,
) -> sqlx::Result<SubscriptionRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO subscriptions (id, project_id, event, target, secret, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(project)
    .bind(event)
    .bind(target)
    .bind(secret)
    .bind(creator)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// Every subscription of `project`, oldest first.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    project: &str,
) -> sqlx::Result<Vec<SubscriptionRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE project_id = ? ORDER BY seq"
    ))
    .bind(project)
    .fetch_all(db)
    .await
}

/// The subscription `id` of `project`.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
) -> sqlx::Result<Option<SubscriptionRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM subscriptions WHERE project_id = ? AND id = ?"
    ))
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Changes the event and target of subscription `id` of `project`.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
    event: &str,
    target: &str,
) -> sqlx::Result<Option<SubscriptionRecord>> {
    sqlx::query_as(&format!(
        "UPDATE subscriptions SET event = ?, target = ?, updated_at = ?
         WHERE project_id = ? AND id = ? RETURNING {COLUMNS}"
    ))
    .bind(event)
    .bind(target)
    .bind(clock::now_iso())
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Deletes subscription `id` of `project` (and its pending deliveries): what it was.
pub async fn delete(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
) -> sqlx::Result<Option<SubscriptionRecord>> {
    sqlx::query_as(&format!(
        "DELETE FROM subscriptions WHERE project_id = ? AND id = ? RETURNING {COLUMNS}"
    ))
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}
