//! SQLite persistence: opening the database and one module of queries per table.

pub mod departments;
pub mod events;
pub mod group_commit;
pub mod members;
pub mod messages;
pub mod projects;
pub mod requests;
pub mod subscriptions;
pub mod users;
pub mod webhooks;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// File name of the database inside the data folder.
const DATABASE_FILE: &str = "tiledesk.db";

/// The database: a pool of readers, and one writer connection that every write goes through, so
/// writers queue in order instead of sleeping on SQLite's busy lock.
#[derive(Clone)]
pub struct Database {
    pub read: SqlitePool,
    pub write: SqlitePool,
}

impl Database {
    /// Closes both pools.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

/// Opens (creating if needed, private to its owner) the database in `data_dir`, in WAL mode with
/// foreign keys on, and applies the migrations.
pub async fn open(data_dir: &Path) -> anyhow::Result<Database> {
    let path = data_dir.join(DATABASE_FILE);
    crate::data_dir::create_private(&path)?;
    let options = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let write = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .with_context(|| format!("opening the database {}", path.display()))?;
    sqlx::migrate!("./migrations")
        .run(&write)
        .await
        .context("migrating the database")?;
    let read = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .with_context(|| format!("opening the database {}", path.display()))?;
    Ok(Database { read, write })
}

/// Starts a write transaction that takes the write lock at once, so read-then-write steps
/// inside it never fail on a concurrent writer.
pub async fn begin_write(
    pool: &SqlitePool,
) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Whether `error` is a UNIQUE constraint violation.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|db| db.is_unique_violation())
}

/// A JSON value as stored in a TEXT column.
fn to_json_text(value: Option<&Value>) -> Option<String> {
    value.map(Value::to_string)
}

/// A TEXT column read back as JSON; unreadable text reads as absent.
fn from_json_text(text: Option<&str>) -> Option<Value> {
    text.and_then(|text| serde_json::from_str(text).ok())
}
