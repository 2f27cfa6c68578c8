//! `/:project_id/departments`: listed and read publicly for the widget, all of them for agents,
//! created, changed and deleted by admins, with their members and routing.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use sqlx::SqliteConnection;
use tiledesk_protocol::{Department, DepartmentUpdate, NewDepartment, Routing};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::projects::parse_name;
use super::widgets::VISIBLE;
use crate::domain::ids::ObjectId;
use crate::domain::role::Role;
use crate::error::{echo, ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, ProjectAccess, ProjectPath};
use crate::state::AppState;
use crate::store::departments::{self, DepartmentFields, DepartmentRecord};
use crate::store::{self, members};
use crate::webhooks::{self, events};

/// Lowest status agents list (-1 hides a department from them too).
const LISTED: i32 = 0;
/// Members a department may have.
const MAX_MEMBERS: usize = 200;
/// Longest description, in characters.
const MAX_DESCRIPTION_CHARS: usize = 1_000;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(all_statuses))
        .routes(routes!(show, update, delete))
}

/// The checked fields of a create or update body.
struct Checked {
    name: Option<String>,
    description: Option<String>,
    routing: Option<&'static str>,
    members: Option<Vec<String>>,
    status: Option<i32>,
}

impl Checked {
    fn fields(&self) -> DepartmentFields<'_> {
        DepartmentFields {
            name: self.name.as_deref(),
            description: self.description.as_deref(),
            routing: self.routing,
            members: self.members.as_deref(),
            status: self.status,
        }
    }
}

/// Checks the fields of a body (`name` required on create): members must be project users of the
/// project with the role agent or up.
async fn check(
    conn: &mut SqliteConnection,
    project: &str,
    body: &DepartmentUpdate,
    creating: bool,
) -> Result<Checked, ApiError> {
    let mut errors = Vec::new();
    let name = match body.name.as_deref() {
        None if !creating => None,
        raw => {
            let name = raw.and_then(parse_name);
            if name.is_none() {
                errors.push(FieldError::field(
                    "name",
                    "A department name of 1 to 200 characters is required.",
                ));
            }
            name.map(str::to_owned)
        }
    };
    let description = body.description.as_deref().map(str::trim);
    if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
        errors.push(FieldError::field(
            "description",
            "The description is at most 1,000 characters.",
        ));
    }
    let routing = match body.routing.as_deref().map(str::trim) {
        None => None,
        Some(Routing::POOLED) => Some(Routing::POOLED),
        Some(Routing::ASSIGNED) => Some(Routing::ASSIGNED),
        Some(_) => {
            errors.push(FieldError::field(
                "routing",
                "The routing must be pooled or assigned.",
            ));
            None
        }
    };
    if body
        .status
        .is_some_and(|status| !(-1..=1).contains(&status))
    {
        errors.push(FieldError::field(
            "status",
            "The status must be 1 (shown), 0 (hidden from the widget) or -1 (hidden).",
        ));
    }
    let mut members = None;
    if let Some(ids) = &body.members {
        let mut checked: Vec<String> = Vec::new();
        for raw in ids.iter().take(MAX_MEMBERS + 1) {
            let member = match ObjectId::parse(raw.trim()) {
                Some(id) => members::find_by_id(&mut *conn, project, id.as_str()).await?,
                None => None,
            };
            match member {
                Some(member) if member.role.sees_all_requests() => {
                    if !checked.contains(&member.id) {
                        checked.push(member.id);
                    }
                }
                _ => errors.push(FieldError::field(
                    "members",
                    format!("{} is not the project user id of an agent.", echo(raw)),
                )),
            }
        }
        if ids.len() > MAX_MEMBERS {
            errors.push(FieldError::field(
                "members",
                "A department has at most 200 members.",
            ));
        }
        members = Some(checked);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(Checked {
        name,
        description: description.map(str::to_owned),
        routing,
        members,
        status: body.status,
    })
}

/// Queues the `event` webhook of `department`, commits and wakes the webhook worker.
async fn commit(
    state: &AppState,
    mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    event: &str,
    department: &DepartmentRecord,
) -> Result<(), ApiError> {
    let payload = serde_json::to_value(department.to_wire()).map_err(ApiError::internal)?;
    let queued = webhooks::enqueue(
        &mut tx,
        &state.cache,
        &department.project_id,
        &[event],
        &payload,
    )
    .await?;
    tx.commit().await?;
    if queued {
        state.webhooks.wake();
    }
    Ok(())
}

/// Adds a department to the project (admins): `routing` `pooled` (the default: its requests wait
/// unassigned) or `assigned` (each goes to an available member in turn); `members` are project
/// user ids of agents (none: every agent); fires `department.create`.
#[utoipa::path(post, path = "/{pid}/departments", tag = "departments",
    params(("pid" = String, Path, description = "Project id")),
    request_body = NewDepartment,
    responses((status = 200, description = "The new department", body = Department)))]
async fn create(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiJson(body): ApiJson<NewDepartment>,
) -> Result<Json<Department>, ApiError> {
    access.require(Role::Admin)?;
    let body = DepartmentUpdate {
        name: Some(body.name),
        description: body.description,
        routing: body.routing,
        members: body.members,
        status: body.status,
    };
    let mut tx = store::begin_write(&state.writer).await?;
    let checked = check(&mut tx, &access.project.id, &body, true).await?;
    let record = departments::insert(
        &mut *tx,
        &access.project.id,
        &checked.fields(),
        &access.caller.user.id,
    )
    .await?;
    commit(&state, tx, events::DEPARTMENT_CREATE, &record).await?;
    Ok(Json(record.to_wire()))
}

/// The departments shown to visitors (status 1), oldest first (public, for the widget).
#[utoipa::path(get, path = "/{pid}/departments", tag = "departments", security(()),
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The departments", body = Vec<Department>)))]
async fn list(
    State(state): State<AppState>,
    ProjectPath { project, .. }: ProjectPath,
) -> Result<Json<Vec<Department>>, ApiError> {
    let records = departments::list(&state.db, &project.id, VISIBLE).await?;
    Ok(Json(records.iter().map(|d| d.to_wire()).collect()))
}

/// Every department but those hidden from agents (status -1), oldest first (agents and up).
#[utoipa::path(get, path = "/{pid}/departments/allstatus", tag = "departments",
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The departments", body = Vec<Department>)))]
async fn all_statuses(
    State(state): State<AppState>,
    access: ProjectAccess,
) -> Result<Json<Vec<Department>>, ApiError> {
    access.require(Role::Agent)?;
    let records = departments::list(&state.db, &access.project.id, LISTED).await?;
    Ok(Json(records.iter().map(|d| d.to_wire()).collect()))
}

/// The `{id}` path segment.
#[derive(Deserialize)]
struct DepartmentPath {
    id: String,
}

impl DepartmentPath {
    fn parse(&self) -> Result<ObjectId, ApiError> {
        ObjectId::parse(&self.id).ok_or_else(|| {
            ApiError::BadRequest(format!("Invalid department id: {}", echo(&self.id)))
        })
    }
}

/// One department (public, as on Tiledesk).
#[utoipa::path(get, path = "/{pid}/departments/{id}", tag = "departments", security(()),
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Department id")),
    responses((status = 200, description = "The department", body = Department)))]
async fn show(
    State(state): State<AppState>,
    ProjectPath { project, .. }: ProjectPath,
    ApiPath(path): ApiPath<DepartmentPath>,
) -> Result<Json<Department>, ApiError> {
    let id = path.parse()?;
    let record = departments::find(&state.db, &project.id, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(record.to_wire()))
}

/// Changes a department (admins): name, description, routing, members (replaced) and status;
/// fires `department.update`.
#[utoipa::path(put, path = "/{pid}/departments/{id}", tag = "departments", operation_id = "updateDepartment",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Department id")),
    request_body = DepartmentUpdate,
    responses((status = 200, description = "The changed department", body = Department)))]
async fn update(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<DepartmentPath>,
    ApiJson(body): ApiJson<DepartmentUpdate>,
) -> Result<Json<Department>, ApiError> {
    access.require(Role::Admin)?;
    let id = path.parse()?;
    let mut tx = store::begin_write(&state.writer).await?;
    let checked = check(&mut tx, &access.project.id, &body, false).await?;
    let record = departments::update(&mut *tx, &access.project.id, id.as_str(), &checked.fields())
        .await?
        .ok_or(ApiError::NotFound)?;
    commit(&state, tx, events::DEPARTMENT_UPDATE, &record).await?;
    Ok(Json(record.to_wire()))
}

/// Deletes a department (admins); conversations started for it keep its id and name; fires
/// `department.delete`.
#[utoipa::path(delete, path = "/{pid}/departments/{id}", tag = "departments",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Department id")),
    responses((status = 200, description = "The deleted department", body = Department)))]
async fn delete(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<DepartmentPath>,
) -> Result<Json<Department>, ApiError> {
    access.require(Role::Admin)?;
    let id = path.parse()?;
    let mut tx = store::begin_write(&state.writer).await?;
    let record = departments::delete(&mut *tx, &access.project.id, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    commit(&state, tx, events::DEPARTMENT_DELETE, &record).await?;
    Ok(Json(record.to_wire()))
}
