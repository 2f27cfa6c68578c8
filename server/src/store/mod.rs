//! SQLite persistence: opening the database and one module of queries per table.

pub mod departments;
pub mod events;
pub mod group_commit;
pub mod labels;
pub mod leads;
pub mod members;
pub mod messages;
pub mod projects;
pub mod requests;
pub mod subscriptions;
pub mod uploads;
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

/// Pages in the write-ahead log before the writer checkpoints it itself.
const WRITER_CHECKPOINT_PAGES: u32 = 10_000;

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
    // The grouped commits checkpoint the log beside the writer; the writer itself only once the
    // log reaches 40 MB (SQLite's default is 4 MB, a stall of the writer every few thousand posts).
    let write = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            options
                .clone()
                .pragma("wal_autocheckpoint", WRITER_CHECKPOINT_PAGES.to_string()),
        )
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

#[cfg(test)]
mod tests {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::Row;

    use super::*;

    /// Rows as an older version left them: a custom token user named by the token's bare `_id`.
    const BEFORE_0005: &str = "
        INSERT INTO users (id, kind, firstname, created_at, updated_at) VALUES
            ('5e2c357af0dbc10017bb3aa7', 'user', 'Owner', 't', 't');
        INSERT INTO projects (id, name, created_by, created_at, updated_at) VALUES
            ('5e2c35c8f0dbc10017bb3aac', 'P', '5e2c357af0dbc10017bb3aa7', 't', 't');
        INSERT INTO users (id, kind, firstname, external_project, created_at, updated_at) VALUES
            ('customer-42', 'guest', 'Carla', '5e2c35c8f0dbc10017bb3aac', 't', 't');
        INSERT INTO external_users (project_id, external_id, user_id) VALUES
            ('5e2c35c8f0dbc10017bb3aac', 'customer-42', 'customer-42');
        INSERT INTO project_users (id, project_id, user_id, role, created_at, updated_at) VALUES
            ('m1', '5e2c35c8f0dbc10017bb3aac', 'customer-42', 'user', 't', 't');
        INSERT INTO requests (id, project_id, request_id, status, first_text, requester_id, lead,
                              participants, created_at, updated_at) VALUES
            ('r1', '5e2c35c8f0dbc10017bb3aac', 'support-group-1', 100, 'hi', 'customer-42',
             '{\"lead_id\":\"customer-42\",\"createdBy\":\"customer-42\",\"fullname\":\"Carla\"}',
             '[\"5e2c357af0dbc10017bb3aa7\"]', 't', 't');
        INSERT INTO messages (id, project_id, request_id, sender, sender_fullname, kind, text, status,
                              created_at, updated_at) VALUES
            ('g1', '5e2c35c8f0dbc10017bb3aac', 'support-group-1', 'customer-42', 'Carla', 'text', 'hi',
             200, 't', 't');
        INSERT INTO events (id, project_id, name, attributes, project_user_id, created_by,
                            created_at, updated_at) VALUES
            ('e1', '5e2c35c8f0dbc10017bb3aac', 'x', '{}', 'm1', 'customer-42', 't', 't');";

    #[tokio::test]
    async fn migration_0005_renames_custom_token_users_everywhere() {
        let dir = tempfile::tempdir().unwrap();
        let older = dir.path().join("migrations");
        std::fs::create_dir(&older).unwrap();
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap()
        {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            if name.as_str() < "0005" {
                std::fs::copy(&path, older.join(name)).unwrap();
            }
        }
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("db"))
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePool::connect_with(options).await.unwrap();
        sqlx::migrate::Migrator::new(older.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::raw_sql(BEFORE_0005).execute(&pool).await.unwrap();

        sqlx::migrate!("./migrations").run(&pool).await.unwrap();
        let renamed = "5e2c35c8f0dbc10017bb3aac:customer-42";
        let one = |sql: &'static str| {
            let pool = pool.clone();
            async move { sqlx::query(sql).fetch_one(&pool).await.unwrap() }
        };
        let ids = one("SELECT group_concat(id) AS ids FROM users WHERE kind = 'guest'").await;
        assert_eq!(ids.get::<String, _>("ids"), renamed);
        for sql in [
            "SELECT user_id AS id FROM external_users",
            "SELECT user_id AS id FROM project_users",
            "SELECT requester_id AS id FROM requests",
            "SELECT json_extract(lead, '$.lead_id') AS id FROM requests",
            "SELECT json_extract(lead, '$.createdBy') AS id FROM requests",
            "SELECT sender AS id FROM messages",
            "SELECT created_by AS id FROM events",
        ] {
            assert_eq!(one(sql).await.get::<String, _>("id"), renamed, "{sql}");
        }
        let participants = one("SELECT participants FROM requests").await;
        assert_eq!(
            participants.get::<String, _>("participants"),
            r#"["5e2c357af0dbc10017bb3aa7"]"#
        );
        let firstname = one("SELECT firstname FROM users WHERE external_project IS NOT NULL").await;
        assert_eq!(firstname.get::<String, _>("firstname"), "Carla");
    }

    /// Rows as version 0005 left them: two conversations of one visitor, each with its own lead
    /// copy, a private note, an agent and a guest.
    const BEFORE_0006: &str = "
        INSERT INTO users (id, kind, firstname, created_at, updated_at) VALUES
            ('5e2c357af0dbc10017bb3aa7', 'user', 'Owner', 't', 't'),
            ('g', 'guest', 'Ada', 't', 't');
        INSERT INTO projects (id, name, created_by, created_at, updated_at) VALUES
            ('5e2c35c8f0dbc10017bb3aac', 'P', '5e2c357af0dbc10017bb3aa7', 't', 't');
        INSERT INTO project_users (id, project_id, user_id, role, created_at, updated_at) VALUES
            ('m0', '5e2c35c8f0dbc10017bb3aac', '5e2c357af0dbc10017bb3aa7', 'owner', 't', 't'),
            ('m1', '5e2c35c8f0dbc10017bb3aac', 'g', 'guest', 't', 't');
        INSERT INTO requests (id, project_id, request_id, status, first_text, requester_id, lead,
                              created_at, updated_at) VALUES
            ('r1', '5e2c35c8f0dbc10017bb3aac', 'support-group-1', 100, 'hi', 'g',
             '{\"_id\":\"aaaaaaaaaaaaaaaaaaaaaaaa\",\"lead_id\":\"g\",\"fullname\":\"Ada\",\"attributes\":{\"a\":1}}',
             't1', 't1'),
            ('r2', '5e2c35c8f0dbc10017bb3aac', 'support-group-2', 100, 'again', 'g',
             '{\"_id\":\"bbbbbbbbbbbbbbbbbbbbbbbb\",\"lead_id\":\"g\",\"fullname\":\"Ada L\"}', 't2', 't2');
        INSERT INTO messages (id, project_id, request_id, sender, sender_fullname, kind, text, status,
                              attributes, created_at, updated_at) VALUES
            ('n1', '5e2c35c8f0dbc10017bb3aac', 'support-group-1', '5e2c357af0dbc10017bb3aa7', 'Owner',
             'text', 'note', 200, '{\"subtype\":\"private\"}', 't', 't'),
            ('n2', '5e2c35c8f0dbc10017bb3aac', 'support-group-1', 'g', 'Ada', 'text', 'hi', 200, 'not json', 't', 't');";

    #[tokio::test]
    async fn migration_0006_makes_one_lead_per_visitor_and_marks_private_notes() {
        let dir = tempfile::tempdir().unwrap();
        let older = dir.path().join("migrations");
        std::fs::create_dir(&older).unwrap();
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap()
        {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_owned();
            if name.as_str() < "0006" {
                std::fs::copy(&path, older.join(name)).unwrap();
            }
        }
        let options = SqliteConnectOptions::new()
            .filename(dir.path().join("db"))
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePool::connect_with(options).await.unwrap();
        sqlx::migrate::Migrator::new(older.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::raw_sql(BEFORE_0006).execute(&pool).await.unwrap();

        sqlx::migrate!("./migrations").run(&pool).await.unwrap();
        let one = |sql: &'static str| {
            let pool = pool.clone();
            async move { sqlx::query(sql).fetch_one(&pool).await.unwrap() }
        };
        let lead = one("SELECT id, fullname, attributes, COUNT(*) AS n FROM leads").await;
        assert_eq!(lead.get::<i64, _>("n"), 1);
        assert_eq!(
            lead.get::<String, _>("id"),
            "aaaaaaaaaaaaaaaaaaaaaaaa",
            "the first one's"
        );
        assert_eq!(lead.get::<String, _>("fullname"), "Ada");
        assert_eq!(lead.get::<String, _>("attributes"), r#"{"a":1}"#);
        let requests = one(
            "SELECT COUNT(*) AS n FROM requests WHERE lead_id = 'aaaaaaaaaaaaaaaaaaaaaaaa'
               AND json_extract(lead, '$._id') = lead_id AND json_extract(lead, '$.status') = 100",
        )
        .await;
        assert_eq!(requests.get::<i64, _>("n"), 2);
        let private = one("SELECT group_concat(id) AS ids FROM messages WHERE private = 1").await;
        assert_eq!(private.get::<String, _>("ids"), "n1");
        let available =
            one("SELECT group_concat(id) AS ids FROM project_users WHERE user_available = 1").await;
        assert_eq!(
            available.get::<String, _>("ids"),
            "m0",
            "agents and up stay available"
        );
    }
}
