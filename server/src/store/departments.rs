//! The `departments` table: the teams of a project visitors can choose in the widget.

use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::Department;

use crate::clock;
use crate::domain::ids::ObjectId;

/// A stored department.
#[derive(Debug, Clone, FromRow)]
pub struct DepartmentRecord {
    pub id: String,
    pub project_id: String,
    pub name: String,
    pub is_default: bool,
    pub status: i32,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl DepartmentRecord {
    /// The department document of the API.
    pub fn to_wire(&self) -> Department {
        Department {
            id: self.id.clone(),
            id_project: self.project_id.clone(),
            name: self.name.clone(),
            default: self.is_default,
            status: self.status,
            created_by: self.created_by.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
        }
    }
}

const COLUMNS: &str =
    "id, project_id, name, is_default, status, created_by, created_at, updated_at";

/// Stores an active, non-default department of `project` named `name`.
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    project: &str,
    name: &str,
    creator: &str,
) -> sqlx::Result<DepartmentRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO departments (id, project_id, name, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(project)
    .bind(name)
    .bind(creator)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// Every department of `project`, oldest first.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    project: &str,
) -> sqlx::Result<Vec<DepartmentRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM departments WHERE project_id = ? ORDER BY seq"
    ))
    .bind(project)
    .fetch_all(db)
    .await
}

/// The department `id` of `project`.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
) -> sqlx::Result<Option<DepartmentRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM departments WHERE project_id = ? AND id = ?"
    ))
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Deletes the department `id` of `project`: the deleted department.
pub async fn delete(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
) -> sqlx::Result<Option<DepartmentRecord>> {
    sqlx::query_as(&format!(
        "DELETE FROM departments WHERE project_id = ? AND id = ? RETURNING {COLUMNS}"
    ))
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}
