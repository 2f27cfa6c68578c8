//! `/:project_id/project_users`: the team (agents), each member's role and availability; admins
//! invite registered users and change roles, each member switches its own availability.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tiledesk_protocol::{Availability, Invite, ProjectUser, ProjectUserUpdate, TeamMember};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::account::Email;
use crate::domain::ids::ObjectId;
use crate::domain::role::Role;
use crate::error::{echo, ApiError};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ProjectAccess};
use crate::state::AppState;
use crate::store::members::{self, MemberRecord, TeamFilter};
use crate::store::{self, users};
use crate::webhooks::{self, events};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(invite))
        .routes(routes!(list))
        .routes(routes!(update_own))
        .routes(routes!(by_user))
        .routes(routes!(show, update))
}

/// Reads a role an admin may give: `user`, `agent`, `supervisor` or `admin`.
fn parse_role(raw: &str) -> Result<Role, ApiError> {
    match Role::try_from(raw.trim().to_owned()) {
        Ok(role) if (Role::User..=Role::Admin).contains(&role) => Ok(role),
        _ => Err(ApiError::field(
            "role",
            "The role must be user, agent, supervisor or admin.",
        )),
    }
}

/// Forgets the cached membership and queues `project_user.update`, then commits.
async fn commit_member(
    state: &AppState,
    mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    member: &MemberRecord,
) -> Result<(), ApiError> {
    let payload = serde_json::to_value(member.to_wire()).map_err(ApiError::internal)?;
    let queued = webhooks::enqueue(
        &mut tx,
        &state.cache,
        &member.project_id,
        &[events::PROJECT_USER_UPDATE],
        &payload,
    )
    .await?;
    tx.commit().await?;
    state
        .cache
        .forget_member(&member.project_id, &member.user_id);
    if queued {
        state.webhooks.wake();
    }
    Ok(())
}

/// Makes the registered user with `email` a member with `role` (`user`, `agent`, `supervisor` or
/// `admin`), or changes the role of a member; the owner's role cannot change. A new member is
/// available unless `user_available` is `false`.
#[utoipa::path(post, path = "/{pid}/project_users/invite", tag = "team",
    params(("pid" = String, Path, description = "Project id")),
    request_body = Invite,
    responses((status = 200, description = "The membership", body = ProjectUser)))]
async fn invite(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiJson(body): ApiJson<Invite>,
) -> Result<Json<ProjectUser>, ApiError> {
    access.require(Role::Admin)?;
    let role = parse_role(&body.role)?;
    let email = Email::parse(&body.email).map_err(|msg| ApiError::field("email", msg))?;
    let user = users::find_by_email(&state.db, &email)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "email",
                "No registered user has this email: they must sign up first.",
            )
        })?;
    let mut tx = store::begin_write(&state.writer).await?;
    if let Some(existing) = members::find(&mut *tx, &access.project.id, &user.id).await? {
        if existing.role == Role::Owner {
            return Err(ApiError::Forbidden);
        }
    }
    let member = members::invite(
        &mut *tx,
        &access.project.id,
        &user.id,
        role,
        body.user_available,
    )
    .await?;
    commit_member(&state, tx, &member).await?;
    Ok(Json(member.to_wire()))
}

/// Which members to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// One role or a comma-separated list (default: `owner,admin,supervisor,agent`).
    role: Option<String>,
}

/// The team (agents and up): the agents (or the members with the roles asked for), oldest first,
/// each with its user, availability and number of open requests it takes part in.
#[utoipa::path(get, path = "/{pid}/project_users", tag = "team",
    params(("pid" = String, Path, description = "Project id"), ListParams),
    responses((status = 200, description = "The members", body = Vec<TeamMember>)))]
async fn list(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<Vec<TeamMember>>, ApiError> {
    access.require(Role::Agent)?;
    let roles = match params.role.as_deref().map(str::trim) {
        None | Some("") => vec![Role::Agent, Role::Supervisor, Role::Admin, Role::Owner],
        Some(raw) => raw
            .split(',')
            .map(|role| Role::try_from(role.trim().to_owned()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| ApiError::BadRequest(format!("Invalid role filter: {}", echo(raw))))?,
    };
    let team = members::team(&state.db, &access.project.id, TeamFilter::Roles(&roles)).await?;
    Ok(Json(team))
}

/// The `{user_id}` path segment.
#[derive(Deserialize)]
struct UserPath {
    user_id: String,
}

/// The membership of one user (agents and up), as a list of one as on Tiledesk; 404 for a user
/// who is not a member.
#[utoipa::path(get, path = "/{pid}/project_users/users/{user_id}", tag = "team",
    params(("pid" = String, Path, description = "Project id"), ("user_id" = String, Path, description = "User id")),
    responses((status = 200, description = "The membership, alone in a list", body = Vec<TeamMember>)))]
async fn by_user(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<UserPath>,
) -> Result<Json<Vec<TeamMember>>, ApiError> {
    access.require(Role::Agent)?;
    let filter = TeamFilter::User(&path.user_id);
    let team = members::team(&state.db, &access.project.id, filter).await?;
    if team.is_empty() {
        return Err(ApiError::NotFound);
    }
    Ok(Json(team))
}

/// The `{id}` path segment: a project user id.
#[derive(Deserialize)]
struct MemberPath {
    id: String,
}

impl MemberPath {
    fn parse(&self) -> Result<ObjectId, ApiError> {
        ObjectId::parse(&self.id).ok_or_else(|| {
            ApiError::BadRequest(format!("Invalid project user id: {}", echo(&self.id)))
        })
    }
}

/// One member (agents and up).
#[utoipa::path(get, path = "/{pid}/project_users/{id}", tag = "team",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Project user id")),
    responses((status = 200, description = "The member", body = TeamMember)))]
async fn show(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<MemberPath>,
) -> Result<Json<TeamMember>, ApiError> {
    access.require(Role::Agent)?;
    let id = path.parse()?;
    let filter = TeamFilter::Id(id.as_str());
    let mut team = members::team(&state.db, &access.project.id, filter).await?;
    team.pop().map(Json).ok_or(ApiError::NotFound)
}

/// Switches the caller's own availability (agents and up): an available agent is offered new
/// requests and listed by `GET /{pid}/widgets`; fires `project_user.update`.
#[utoipa::path(put, path = "/{pid}/project_users/", tag = "team", operation_id = "updateOwnAvailability",
    params(("pid" = String, Path, description = "Project id")),
    request_body = Availability,
    responses((status = 200, description = "The caller's membership", body = ProjectUser)))]
async fn update_own(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiJson(body): ApiJson<Availability>,
) -> Result<Json<ProjectUser>, ApiError> {
    access.require(Role::Agent)?;
    let mut tx = store::begin_write(&state.writer).await?;
    let member = members::update(
        &mut *tx,
        &access.project.id,
        &access.member.id,
        None,
        Some(body.user_available),
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    commit_member(&state, tx, &member).await?;
    Ok(Json(member.to_wire()))
}

/// Changes a member's role (`user`, `agent`, `supervisor` or `admin`) and/or availability
/// (admins); the owner keeps its role (403); fires `project_user.update`.
#[utoipa::path(put, path = "/{pid}/project_users/{id}", tag = "team", operation_id = "updateProjectUser",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Project user id")),
    request_body = ProjectUserUpdate,
    responses((status = 200, description = "The membership", body = ProjectUser)))]
async fn update(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<MemberPath>,
    ApiJson(body): ApiJson<ProjectUserUpdate>,
) -> Result<Json<ProjectUser>, ApiError> {
    access.require(Role::Admin)?;
    let id = path.parse()?;
    let role = body.role.as_deref().map(parse_role).transpose()?;
    let mut tx = store::begin_write(&state.writer).await?;
    let existing = members::find_by_id(&mut *tx, &access.project.id, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    if role.is_some() && existing.role == Role::Owner {
        return Err(ApiError::Forbidden);
    }
    let member = members::update(
        &mut *tx,
        &access.project.id,
        id.as_str(),
        role,
        body.user_available,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    commit_member(&state, tx, &member).await?;
    Ok(Json(member.to_wire()))
}
