//! The `labels` table: the widget translations a project saved, one row per language.

use serde_json::Value;
use sqlx::{FromRow, SqliteConnection, SqliteExecutor};
use tiledesk_protocol::LabelEntry;

use crate::clock;
use crate::domain::ids::ObjectId;

/// The translations of one language.
#[derive(Debug, Clone, FromRow)]
pub struct LabelRecord {
    pub id: String,
    pub lang: String,
    pub data: String,
    pub is_default: bool,
}

impl LabelRecord {
    /// The label entry of the API.
    pub fn to_wire(&self) -> LabelEntry {
        LabelEntry {
            id: self.id.clone(),
            lang: self.lang.clone(),
            data: serde_json::from_str(&self.data)
                .unwrap_or_else(|_| Value::Object(Default::default())),
            default: self.is_default,
        }
    }
}

const COLUMNS: &str = "id, lang, data, is_default";

/// Every language of `project`, in the order they were first saved.
pub async fn list(db: impl SqliteExecutor<'_>, project: &str) -> sqlx::Result<Vec<LabelRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM labels WHERE project_id = ? ORDER BY seq"
    ))
    .bind(project)
    .fetch_all(db)
    .await
}

/// Saves the translations of `lang` (replacing earlier ones): the default language when `default`
/// or when it is the project's first.
pub async fn save(
    conn: &mut SqliteConnection,
    project: &str,
    lang: &str,
    data: &Value,
    default: bool,
    creator: &str,
) -> sqlx::Result<LabelRecord> {
    let has_default: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM labels WHERE project_id = ? AND is_default = 1 AND lang <> ?)")
            .bind(project)
            .bind(lang)
            .fetch_one(&mut *conn)
            .await?;
    let default = default || !has_default;
    if default {
        sqlx::query("UPDATE labels SET is_default = 0 WHERE project_id = ?")
            .bind(project)
            .execute(&mut *conn)
            .await?;
    }
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO labels (id, project_id, lang, data, is_default, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id, lang) DO UPDATE SET data = excluded.data,
             is_default = excluded.is_default, updated_at = excluded.updated_at
         RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(project)
    .bind(lang)
    .bind(data.to_string())
    .bind(default)
    .bind(creator)
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
}
