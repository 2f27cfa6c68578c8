//! The `departments` table: the teams of a project visitors can choose in the widget, with their
//! members and how they give out new requests.

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
    pub description: Option<String>,
    /// `pooled` or `assigned`.
    pub routing: String,
    /// JSON array of member project user ids.
    pub members: String,
    /// The project user the last request routed here went to.
    pub last_assigned: Option<String>,
    pub created_by: String,
    pub created_at: String,
    pub updated_at: String,
}

impl DepartmentRecord {
    /// The member project user ids; empty means every agent of the project.
    pub fn members(&self) -> Vec<String> {
        serde_json::from_str(&self.members).unwrap_or_default()
    }

    /// The department document of the API.
    pub fn to_wire(&self) -> Department {
        Department {
            id: self.id.clone(),
            id_project: self.project_id.clone(),
            name: self.name.clone(),
            default: self.is_default,
            status: self.status,
            description: self.description.clone(),
            routing: self.routing.clone(),
            members: self.members(),
            created_by: self.created_by.clone(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
        }
    }
}

const COLUMNS: &str = "id, project_id, name, is_default, status, description, routing, members, \
                       last_assigned, created_by, created_at, updated_at";

/// The fields of a department; on update, `None` leaves one as it is.
pub struct DepartmentFields<'a> {
    pub name: Option<&'a str>,
    pub description: Option<&'a str>,
    pub routing: Option<&'a str>,
    pub members: Option<&'a [String]>,
    pub status: Option<i32>,
}

impl DepartmentFields<'_> {
    fn members_text(&self) -> Option<String> {
        self.members
            .map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()))
    }
}

/// Stores a non-default department of `project` (`fields.name` is required; routing defaults to
/// `pooled`, status to 1).
pub async fn insert(
    db: impl SqliteExecutor<'_>,
    project: &str,
    fields: &DepartmentFields<'_>,
    creator: &str,
) -> sqlx::Result<DepartmentRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO departments (id, project_id, name, description, routing, members, status,
                                  created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, COALESCE(?, 'pooled'), COALESCE(?, '[]'), COALESCE(?, 1), ?, ?, ?)
         RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(project)
    .bind(fields.name.unwrap_or_default())
    .bind(fields.description)
    .bind(fields.routing)
    .bind(fields.members_text())
    .bind(fields.status)
    .bind(creator)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// Changes the department `id` of `project`.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
    fields: &DepartmentFields<'_>,
) -> sqlx::Result<Option<DepartmentRecord>> {
    sqlx::query_as(&format!(
        "UPDATE departments SET name = COALESCE(?, name), description = COALESCE(?, description),
             routing = COALESCE(?, routing), members = COALESCE(?, members),
             status = COALESCE(?, status), updated_at = ?
         WHERE project_id = ? AND id = ? RETURNING {COLUMNS}"
    ))
    .bind(fields.name)
    .bind(fields.description)
    .bind(fields.routing)
    .bind(fields.members_text())
    .bind(fields.status)
    .bind(clock::now_iso())
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// Remembers the project user the last request of department `id` went to.
pub async fn set_last_assigned(
    db: impl SqliteExecutor<'_>,
    id: &str,
    project_user: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE departments SET last_assigned = ? WHERE id = ?")
        .bind(project_user)
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// The departments of `project` whose status is at least `min_status`, oldest first.
pub async fn list(
    db: impl SqliteExecutor<'_>,
    project: &str,
    min_status: i32,
) -> sqlx::Result<Vec<DepartmentRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM departments WHERE project_id = ? AND status >= ? ORDER BY seq"
    ))
    .bind(project)
    .bind(min_status)
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
