//! The `projects` table.

use serde_json::Value;
use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::Project;

use super::{from_json_text, to_json_text};
use crate::clock;
use crate::domain::ids::{ObjectId, ProjectId};

/// A stored project.
#[derive(Debug, Clone, FromRow)]
pub struct ProjectRecord {
    pub id: String,
    pub name: String,
    pub settings: Option<String>,
    pub widget: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl ProjectRecord {
    /// The project document of the API.
    pub fn to_wire(&self) -> Project {
        Project {
            id: self.id.clone(),
            name: self.name.clone(),
            settings: from_json_text(self.settings.as_deref()),
            widget: from_json_text(self.widget.as_deref()),
            created_by: self.created_by.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
        }
    }
}

const COLUMNS: &str = "id, name, settings, widget, created_by, created_at, updated_at";

/// Stores a new project named `name` created by `creator`, with empty settings.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    name: &str,
    creator: &str,
) -> sqlx::Result<ProjectRecord> {
    let now = clock::now_iso();
    let settings = Value::Object(Default::default());
    sqlx::query_as(&format!(
        "INSERT INTO projects (id, name, settings, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(name)
    .bind(to_json_text(Some(&settings)))
    .bind(creator)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// The project with this id.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    id: &ProjectId,
) -> sqlx::Result<Option<ProjectRecord>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM projects WHERE id = ?"))
        .bind(id.as_str())
        .fetch_optional(db)
        .await
}

/// Renames the project and replaces its widget settings; `None` leaves that field as it is.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    id: &str,
    name: Option<&str>,
    widget: Option<&Value>,
) -> sqlx::Result<ProjectRecord> {
    sqlx::query_as(&format!(
        "UPDATE projects SET name = COALESCE(?, name), widget = COALESCE(?, widget), updated_at = ?
         WHERE id = ? RETURNING {COLUMNS}"
    ))
    .bind(name)
    .bind(to_json_text(widget))
    .bind(clock::now_iso())
    .bind(id)
    .fetch_one(db)
    .await
}

/// The project's custom-token secret, if one was generated.
pub async fn secret(db: impl SqliteExecutor<'_>, id: &str) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT jwt_secret FROM projects WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await
        .map(Option::flatten)
}

/// Replaces the project's custom-token secret.
pub async fn set_secret(db: impl SqliteExecutor<'_>, id: &str, secret: &str) -> sqlx::Result<()> {
    sqlx::query("UPDATE projects SET jwt_secret = ?, updated_at = ? WHERE id = ?")
        .bind(secret)
        .bind(clock::now_iso())
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}
