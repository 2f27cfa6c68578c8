//! The `project_users` table: who belongs to which project, with which role and availability.

use sqlx::{FromRow, QueryBuilder, SqliteExecutor};
use tiledesk_protocol::{AvailableAgent, ProjectUser, RequestStatus, TeamMember, User};

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
    /// Whether the member takes conversations now (only agents and up ever get any).
    pub user_available: bool,
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
            user_available: self.user_available,
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            version: 0,
        }
    }
}

const COLUMNS: &str = "id, project_id, user_id, role, user_available, created_at, updated_at";

/// Makes `user` a member of `project` with `role`, available or not.
pub async fn add(
    db: impl SqliteExecutor<'_>,
    project: &str,
    user: &str,
    role: Role,
    available: bool,
) -> sqlx::Result<MemberRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO project_users (id, project_id, user_id, role, user_available, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(project)
    .bind(user)
    .bind(role.as_str())
    .bind(available)
    .bind(&now)
    .bind(&now)
    .fetch_one(db)
    .await
}

/// Makes `user` a member of `project` with `role` (available unless `available` says otherwise),
/// or gives an existing member that role (and `available`, when given).
pub async fn invite(
    db: impl SqliteExecutor<'_>,
    project: &str,
    user: &str,
    role: Role,
    available: Option<bool>,
) -> sqlx::Result<MemberRecord> {
    let now = clock::now_iso();
    sqlx::query_as(&format!(
        "INSERT INTO project_users (id, project_id, user_id, role, user_available, created_at, updated_at)
         VALUES (?, ?, ?, ?, COALESCE(?, 1), ?, ?)
         ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role,
             user_available = COALESCE(?, user_available), updated_at = excluded.updated_at
         RETURNING {COLUMNS}"
    ))
    .bind(ObjectId::generate().as_str())
    .bind(project)
    .bind(user)
    .bind(role.as_str())
    .bind(available)
    .bind(&now)
    .bind(&now)
    .bind(available)
    .fetch_one(db)
    .await
}

/// Changes the role and/or availability of the member `id` of `project`; `None` leaves it.
pub async fn update(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
    role: Option<Role>,
    available: Option<bool>,
) -> sqlx::Result<Option<MemberRecord>> {
    sqlx::query_as(&format!(
        "UPDATE project_users SET role = COALESCE(?, role), user_available = COALESCE(?, user_available),
             updated_at = ?
         WHERE project_id = ? AND id = ? RETURNING {COLUMNS}"
    ))
    .bind(role.map(Role::as_str))
    .bind(available)
    .bind(clock::now_iso())
    .bind(project)
    .bind(id)
    .fetch_optional(db)
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

/// The membership `id` of `project`.
pub async fn find_by_id(
    db: impl SqliteExecutor<'_>,
    project: &str,
    id: &str,
) -> sqlx::Result<Option<MemberRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM project_users WHERE project_id = ? AND id = ?"
    ))
    .bind(project)
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The memberships of `user` with a role of agent and up, oldest first.
pub async fn of_user(db: impl SqliteExecutor<'_>, user: &str) -> sqlx::Result<Vec<MemberRecord>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM project_users
         WHERE user_id = ? AND role IN ('agent', 'supervisor', 'admin', 'owner')
         ORDER BY created_at, id"
    ))
    .bind(user)
    .fetch_all(db)
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

/// A member with its user and how many open requests it takes part in.
#[derive(FromRow)]
struct TeamRow {
    #[sqlx(flatten)]
    member: MemberRecord,
    kind: String,
    email: Option<String>,
    firstname: String,
    lastname: String,
    email_verified: bool,
    assigned: i64,
}

impl TeamRow {
    fn to_wire(&self) -> TeamMember {
        let guest = self.kind == "guest";
        let full = format!("{} {}", self.firstname, self.lastname);
        TeamMember {
            id: self.member.id.clone(),
            id_project: self.member.project_id.clone(),
            id_user: User {
                id: self.member.user_id.clone(),
                guest_id: guest.then(|| self.member.user_id.clone()),
                email: self.email.clone(),
                firstname: Some(self.firstname.clone()),
                lastname: Some(self.lastname.clone()),
                full_name: Some(full.trim().to_owned()),
                emailverified: (!guest).then_some(self.email_verified),
            },
            role: self.member.role.as_str().to_owned(),
            user_available: self.member.user_available,
            number_assigned_requests: u64::try_from(self.assigned).unwrap_or(0),
            created_at: self.member.created_at.clone(),
            updated_at: self.member.updated_at.clone(),
            version: 0,
        }
    }
}

/// Which members of a project to list.
pub enum TeamFilter<'a> {
    /// Those with one of these roles.
    Roles(&'a [Role]),
    /// The membership with this id.
    Id(&'a str),
    /// The membership of this user.
    User(&'a str),
}

/// Members of `project` with their users, oldest first.
pub async fn team(
    db: impl SqliteExecutor<'_>,
    project: &str,
    filter: TeamFilter<'_>,
) -> sqlx::Result<Vec<TeamMember>> {
    let mut query = QueryBuilder::new(
        "SELECT pu.id, pu.project_id, pu.user_id, pu.role, pu.user_available, pu.created_at,
                pu.updated_at, u.kind, u.email, u.firstname, u.lastname, u.email_verified,
                (SELECT COUNT(*) FROM requests AS r, json_each(r.participants) AS p
                 WHERE r.project_id = pu.project_id AND r.status < ",
    );
    query.push_bind(RequestStatus::CLOSED);
    query.push(
        " AND p.value = pu.user_id) AS assigned
         FROM project_users AS pu JOIN users AS u ON u.id = pu.user_id WHERE pu.project_id = ",
    );
    query.push_bind(project.to_owned());
    match filter {
        TeamFilter::Roles(roles) => {
            query.push(" AND pu.role IN (");
            let mut list = query.separated(", ");
            for role in roles {
                list.push_bind(role.as_str());
            }
            list.push_unseparated(")");
        }
        TeamFilter::Id(id) => {
            query.push(" AND pu.id = ");
            query.push_bind(id.to_owned());
        }
        TeamFilter::User(user) => {
            query.push(" AND pu.user_id = ");
            query.push_bind(user.to_owned());
        }
    }
    query.push(" ORDER BY pu.created_at, pu.id");
    let rows: Vec<TeamRow> = query.build_query_as().fetch_all(db).await?;
    Ok(rows.iter().map(TeamRow::to_wire).collect())
}

/// An available agent of a project.
#[derive(Debug, Clone, FromRow)]
pub struct AgentRecord {
    /// The project user id.
    pub id: String,
    pub user_id: String,
    pub firstname: String,
    pub lastname: String,
}

impl AgentRecord {
    /// The agent as listed by `GET /:project_id/widgets` (`{id, firstname}`).
    pub fn to_widget(&self) -> AvailableAgent {
        AvailableAgent {
            id: self.user_id.clone(),
            firstname: self.firstname.clone(),
            pu_id: None,
            fullname: None,
        }
    }

    /// The agent as listed by `GET /projects/:project_id/users/availables`.
    pub fn to_available(&self) -> AvailableAgent {
        let full = format!("{} {}", self.firstname, self.lastname);
        AvailableAgent {
            id: self.user_id.clone(),
            firstname: self.firstname.clone(),
            pu_id: Some(self.id.clone()),
            fullname: Some(full.trim().to_owned()),
        }
    }
}

/// The project's agents and up whose membership says they are available, oldest member first;
/// with `among`, only those memberships.
pub async fn available_agents(
    db: impl SqliteExecutor<'_>,
    project: &str,
    among: Option<&[String]>,
) -> sqlx::Result<Vec<AgentRecord>> {
    let mut query = QueryBuilder::new(
        "SELECT pu.id, pu.user_id, u.firstname, u.lastname FROM project_users AS pu
         JOIN users AS u ON u.id = pu.user_id
         WHERE pu.user_available = 1
           AND pu.role IN ('agent', 'supervisor', 'admin', 'owner') AND pu.project_id = ",
    );
    query.push_bind(project.to_owned());
    if let Some(ids) = among {
        query.push(" AND pu.id IN (SELECT value FROM json_each(");
        query.push_bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()));
        query.push("))");
    }
    query.push(" ORDER BY pu.created_at, pu.id");
    query.build_query_as().fetch_all(db).await
}
