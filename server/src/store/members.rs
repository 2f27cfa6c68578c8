//! The `project_users` table: who belongs to which project, with which role.

use sqlx::{FromRow, SqliteExecutor};
use tiledesk_protocol::{AvailableAgent, ProjectUser};

use crate::clock;
use crate::domain::ids::ObjectId;
use crate::domain::role::Role;

/// A membership: who belongs to a project with which role.
#[derive(Debug, Clone, FromRow)]
pub struct MemberRecord {
    pub id: String,
    pub project_id: String,
    pub user_id: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created_at: String,
    pub updated_at: String,
}

impl MemberRecord {
    /// The project user document of the API.
    pub fn to_wire(&self) -> ProjectUser {
        ProjectUser {
            id: self.id.clone(),
            id_project: self.project_id.clone(),
            id_user: self.user_id.clone(),
            role: self.role.as_str().to_owned(),
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            version: 0,
        }
    }
}

const COLUMNS: &str = "id, project_id, user_id, role, created_at, updated_at";

/// Makes `user` a member of `project` with `role`.
pub async fn add(
    db: impl SqliteExecutor<'_>,
    project: &str,
    user: &str,
    role: Role,
) -> sqlx::Result<MemberRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO project_users (id, project_id, user_id, role, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(project)
    .bind(user)
    .bind(role.as_str())
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// Makes `user` a member of `project` with `role`, or gives an existing member that role.
pub async fn set_role(
    db: impl SqliteExecutor<'_>,
    project: &str,
    user: &str,
    role: Role,
) -> sqlx::Result<MemberRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO project_users (id, project_id, user_id, role, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at
         RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(project)
    .bind(user)
    .bind(role.as_str())
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// The membership of `user` in `project`.
pub async fn find(
    db: impl SqliteExecutor<'_>,
    project: &str,
    user: &str,
) -> sqlx::Result<Option<MemberRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM project_users WHERE project_id = ? AND user_id = ?"
    ))
    .bind(project)
    .bind(user)
    .fetch_optional(db)
    .await
}

#[derive(FromRow)]
struct RoleRow {
    #[sqlx(try_from = "String")]
    role: Role,
}

/// The role of `user` in `project`, if a member.
pub async fn role_of(
    db: impl SqliteExecutor<'_>,
    project: &str,
    user: &str,
) -> sqlx::Result<Option<Role>> {
    let row: Option<RoleRow> =
        sqlx::query_as("SELECT role FROM project_users WHERE project_id = ? AND user_id = ?")
            .bind(project)
            .bind(user)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|row| row.role))
}

#[derive(FromRow)]
struct AgentRow {
    id: String,
    firstname: String,
}

/// The project's agents and up, oldest member first: for now everyone of them counts as available.
pub async fn available_agents(
    db: impl SqliteExecutor<'_>,
    project: &str,
) -> sqlx::Result<Vec<AvailableAgent>> {
    let rows: Vec<AgentRow> = sqlx::query_as(
        "SELECT users.id, users.firstname FROM project_users
         JOIN users ON users.id = project_users.user_id
         WHERE project_users.project_id = ?
           AND project_users.role IN ('agent', 'supervisor', 'admin', 'owner')
         ORDER BY project_users.created_at, project_users.id",
    )
    .bind(project)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| AvailableAgent {
            id: row.id,
            firstname: row.firstname,
        })
        .collect())
}
