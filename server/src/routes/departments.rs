//! `/:project_id/departments`: listed publicly for the widget, created and deleted by admins.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tiledesk_protocol::{Department, NewDepartment};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::projects::parse_name;
use crate::domain::ids::ObjectId;
use crate::domain::role::Role;
use crate::error::{echo, ApiError};
use crate::extract::{ApiJson, ApiPath, ProjectAccess, ProjectPath};
use crate::state::AppState;
use crate::store::departments;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(delete))
}

/// Adds a department to the project (admins).
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
    let name = parse_name(&body.name).ok_or_else(|| {
        ApiError::field(
            "name",
            "A department name of 1 to 200 characters is required.",
        )
    })?;
    let record = departments::insert(
        &state.writer,
        &access.project.id,
        name,
        &access.caller.user.id,
    )
    .await?;
    Ok(Json(record.to_wire()))
}

/// The project's departments, oldest first (public, for the widget).
#[utoipa::path(get, path = "/{pid}/departments", tag = "departments", security(()),
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The departments", body = Vec<Department>)))]
async fn list(
    State(state): State<AppState>,
    ProjectPath { project, .. }: ProjectPath,
) -> Result<Json<Vec<Department>>, ApiError> {
    let records = departments::list(&state.db, &project.id).await?;
    Ok(Json(records.iter().map(|d| d.to_wire()).collect()))
}

/// The `{id}` path segment.
#[derive(Deserialize)]
struct DepartmentPath {
    id: String,
}

/// Deletes a department (admins); conversations started for it keep its id and name.
#[utoipa::path(delete, path = "/{pid}/departments/{id}", tag = "departments",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Department id")),
    responses((status = 200, description = "The deleted department", body = Department)))]
async fn delete(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<DepartmentPath>,
) -> Result<Json<Department>, ApiError> {
    access.require(Role::Admin)?;
    let id = ObjectId::parse(&path.id).ok_or_else(|| {
        ApiError::BadRequest(format!("Invalid department id: {}", echo(&path.id)))
    })?;
    let record = departments::delete(&state.writer, &access.project.id, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(record.to_wire()))
}
