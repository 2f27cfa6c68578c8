//! The webhook delivery queue (`webhook_queue`) and the log of every attempt (`webhook_log`).

use serde_json::Value;
use sqlx::{FromRow, QueryBuilder, SqliteConnection, SqliteExecutor};
use tiledesk_protocol::DeliveryLog;

use super::subscriptions::SubscriptionRecord;
use crate::clock;
use crate::domain::ids::ObjectId;

/// A delivery waiting in the queue, with its subscription.
#[derive(Debug, Clone, FromRow)]
pub struct QueuedDelivery {
    pub seq: i64,
    /// The event as it was when queued (the subscription may have changed since).
    pub queued_event: String,
    pub payload: String,
    pub timestamp_ms: i64,
    pub attempts: i64,
    #[sqlx(flatten)]
    pub subscription: SubscriptionRecord,
}

/// Queues a delivery of `payload` for `event` to `subscription`, due now.
pub async fn enqueue(
    db: impl SqliteExecutor<'_>,
    subscription: &SubscriptionRecord,
    event: &str,
    payload: &Value,
    timestamp_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO webhook_queue (subscription_id, project_id, event, payload, timestamp_ms, next_attempt_ms)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&subscription.id)
    .bind(&subscription.project_id)
    .bind(event)
    .bind(payload.to_string())
    .bind(timestamp_ms)
    .bind(timestamp_ms)
    .execute(db)
    .await?;
    Ok(())
}

/// Up to `limit` deliveries to try, in queue order: those never tried and queued after
/// `after_seq`, and retries due at `now_ms`.
pub async fn due(
    db: impl SqliteExecutor<'_>,
    after_seq: i64,
    now_ms: i64,
    limit: u32,
) -> sqlx::Result<Vec<QueuedDelivery>> {
    sqlx::query_as(
        "SELECT q.seq, q.event AS queued_event, q.payload, q.timestamp_ms, q.attempts,
                s.id, s.project_id, s.event, s.target, s.secret, s.created_by, s.created_at, s.updated_at
         FROM webhook_queue q JOIN subscriptions s ON s.id = q.subscription_id
         WHERE (q.attempts = 0 AND q.seq > ?) OR (q.attempts > 0 AND q.next_attempt_ms <= ?)
         ORDER BY q.seq LIMIT ?",
    )
    .bind(after_seq)
    .bind(now_ms)
    .bind(i64::from(limit))
    .fetch_all(db)
    .await
}

/// When the earliest retry not yet due at `now_ms` is due, if any.
pub async fn next_due_after(db: impl SqliteExecutor<'_>, now_ms: i64) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MIN(next_attempt_ms) FROM webhook_queue WHERE attempts > 0 AND next_attempt_ms > ?",
    )
    .bind(now_ms)
    .fetch_one(db)
    .await
}

/// Rows written by one statement at most (SQLite limits bound parameters).
const CHUNK: usize = 500;

/// Removes deliveries from the queue (delivered or given up).
pub async fn remove(conn: &mut SqliteConnection, seqs: &[i64]) -> sqlx::Result<()> {
    for chunk in seqs.chunks(CHUNK) {
        let mut builder = QueryBuilder::new("DELETE FROM webhook_queue WHERE seq IN (");
        let mut list = builder.separated(", ");
        for seq in chunk {
            list.push_bind(*seq);
        }
        list.push_unseparated(")");
        builder.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Records a failed attempt and when to try again.
pub async fn reschedule(
    db: impl SqliteExecutor<'_>,
    seq: i64,
    attempts: i64,
    next_attempt_ms: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE webhook_queue SET attempts = ?, next_attempt_ms = ? WHERE seq = ?")
        .bind(attempts)
        .bind(next_attempt_ms)
        .bind(seq)
        .execute(db)
        .await?;
    Ok(())
}

/// What one attempt gave.
pub struct Attempt<'a> {
    pub project: &'a str,
    pub event: &'a str,
    pub target: &'a str,
    pub response: Option<&'a str>,
    pub body: Option<&'a str>,
    pub err: Option<&'a str>,
}

/// Logs attempts, in their order.
pub async fn log(conn: &mut SqliteConnection, attempts: &[Attempt<'_>]) -> sqlx::Result<()> {
    let now = clock::now_iso();
    for chunk in attempts.chunks(CHUNK) {
        let mut builder = QueryBuilder::new(
            "INSERT INTO webhook_log (id, project_id, event, target, response, body, err, created_at) ",
        );
        builder.push_values(chunk, |mut row, attempt| {
            row.push_bind(ObjectId::generate().as_str().to_owned())
                .push_bind(attempt.project.to_owned())
                .push_bind(attempt.event.to_owned())
                .push_bind(attempt.target.to_owned())
                .push_bind(attempt.response.map(str::to_owned))
                .push_bind(attempt.body.map(str::to_owned))
                .push_bind(attempt.err.map(str::to_owned))
                .push_bind(now.clone());
        });
        builder.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// A logged attempt.
#[derive(Debug, Clone, FromRow)]
pub struct LogRecord {
    pub id: String,
    pub project_id: String,
    pub event: String,
    pub target: String,
    pub response: Option<String>,
    pub body: Option<String>,
    pub err: Option<String>,
    pub created_at: String,
}

impl LogRecord {
    /// The log entry of the API.
    pub fn to_wire(&self) -> DeliveryLog {
        DeliveryLog {
            id: self.id.clone(),
            event: self.event.clone(),
            target: self.target.clone(),
            response: self.response.clone(),
            body: self.body.clone(),
            err: self.err.clone(),
            id_project: self.project_id.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.created_at.clone(),
            version: 0,
        }
    }
}

/// One page of the attempts of `project`, newest first.
pub async fn history(
    db: impl SqliteExecutor<'_>,
    project: &str,
    limit: u32,
    offset: u64,
) -> sqlx::Result<Vec<LogRecord>> {
    sqlx::query_as(
        "SELECT id, project_id, event, target, response, body, err, created_at FROM webhook_log
         WHERE project_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
    )
    .bind(project)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all(db)
    .await
}
