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

/// The query of [`due`]: `?1` the cursor, `?2` now, `?3` the limit.
const DUE: &str = "SELECT q.seq, q.event AS queued_event, q.payload, q.timestamp_ms, q.attempts,
                s.id, s.project_id, s.event, s.target, s.secret, s.created_by, s.created_at, s.updated_at
         FROM (
             SELECT * FROM (SELECT * FROM webhook_queue WHERE seq > ?1 AND attempts = 0
                            ORDER BY seq LIMIT ?3)
             UNION ALL
             SELECT * FROM (SELECT * FROM webhook_queue WHERE attempts > 0 AND next_attempt_ms <= ?2
                            ORDER BY next_attempt_ms, seq LIMIT ?3)
         ) q JOIN subscriptions s ON s.id = q.subscription_id
         ORDER BY q.seq LIMIT ?3";

/// Up to `limit` deliveries to try, in queue order: those never tried and queued after
/// `after_seq` (found by key, so those already picked are not read again), and the retries due at
/// `now_ms`, the longest overdue first (through the index of tried rows).
pub async fn due(
    db: impl SqliteExecutor<'_>,
    after_seq: i64,
    now_ms: i64,
    limit: u32,
) -> sqlx::Result<Vec<QueuedDelivery>> {
    sqlx::query_as(DUE)
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

#[cfg(test)]
mod tests {
    use sqlx::Row;

    use super::*;

    /// A project with one subscription and six queued deliveries: seq 1–3 never tried, 4 and 5
    /// retries due at 100 and 50, 6 a retry due at 900.
    const QUEUE: &str = "
        INSERT INTO users (id, kind, firstname, created_at, updated_at) VALUES ('u', 'user', 'O', 't', 't');
        INSERT INTO projects (id, name, created_by, created_at, updated_at) VALUES ('p', 'P', 'u', 't', 't');
        INSERT INTO subscriptions (id, project_id, event, target, secret, created_by, created_at, updated_at)
            VALUES ('s', 'p', 'message.create', 'http://x/hook', 'k', 'u', 't', 't');
        INSERT INTO webhook_queue (seq, subscription_id, project_id, event, payload, timestamp_ms, attempts, next_attempt_ms) VALUES
            (1, 's', 'p', 'message.create', '{}', 1, 0, 1),
            (2, 's', 'p', 'message.create', '{}', 2, 0, 2),
            (3, 's', 'p', 'message.create', '{}', 3, 0, 3),
            (4, 's', 'p', 'message.create', '{}', 4, 2, 100),
            (5, 's', 'p', 'message.create', '{}', 5, 1, 50),
            (6, 's', 'p', 'message.create', '{}', 6, 1, 900);";

    async fn queue() -> (tempfile::TempDir, super::super::Database) {
        let dir = tempfile::tempdir().unwrap();
        let db = super::super::open(dir.path()).await.unwrap();
        sqlx::raw_sql(QUEUE).execute(&db.write).await.unwrap();
        (dir, db)
    }

    async fn seqs(db: &sqlx::SqlitePool, after: i64, now: i64, limit: u32) -> Vec<i64> {
        let due = due(db, after, now, limit).await.unwrap();
        due.iter().map(|d| d.seq).collect()
    }

    #[tokio::test]
    async fn due_gives_new_deliveries_after_the_cursor_and_retries_due_in_queue_order() {
        let (_dir, db) = queue().await;
        assert_eq!(seqs(&db.read, 0, 500, 10).await, [1, 2, 3, 4, 5]);
        assert_eq!(seqs(&db.read, 2, 500, 10).await, [3, 4, 5]);
        assert_eq!(seqs(&db.read, 3, 60, 10).await, [5]);
        assert_eq!(seqs(&db.read, 3, 1000, 10).await, [4, 5, 6]);
        // Within the limit: the oldest new ones, with the longest overdue retries.
        assert_eq!(seqs(&db.read, 0, 500, 2).await, [1, 2]);
        assert_eq!(seqs(&db.read, 3, 500, 1).await, [5]);
        assert_eq!(next_due_after(&db.read, 500).await.unwrap(), Some(900));
    }

    #[tokio::test]
    async fn looking_for_due_deliveries_reads_no_row_twice() {
        let (_dir, db) = queue().await;
        let plan = sqlx::query(&format!("EXPLAIN QUERY PLAN {DUE}"))
            .bind(0)
            .bind(0)
            .bind(1)
            .fetch_all(&db.read)
            .await
            .unwrap();
        let steps: Vec<String> = plan.iter().map(|row| row.get("detail")).collect();
        assert!(
            steps
                .iter()
                .all(|step| !step.starts_with("SCAN webhook_queue")),
            "{steps:?}"
        );
        assert!(steps
            .iter()
            .any(|step| step.contains("INDEX webhook_queue_retries")));
        assert!(steps
            .iter()
            .any(|step| step.contains("INTEGER PRIMARY KEY")));
    }
}
