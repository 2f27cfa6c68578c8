//! `/projects`: create a project (signed-up users) and change its name or widget settings (admins).

use axum::extract::State;
use axum::Json;
use serde_json::Value;
use tiledesk_protocol::{NewProject, Project, ProjectUpdate};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError};
use crate::extract::{ApiJson, ProjectAccess};
use crate::state::AppState;
use crate::store::users::UserKind;
use crate::store::{members, projects};

/// Longest accepted project or department name, in characters.
const MAX_NAME_CHARS: usize = 200;
/// Largest accepted widget settings object, serialized, in bytes.
const MAX_WIDGET_BYTES: usize = 64 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update))
}

/// A name of 1 to 200 characters without control characters, trimmed.
pub(super) fn parse_name(raw: &str) -> Option<&str> {
    let name = raw.trim();
    let valid = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.chars().any(char::is_control);
    valid.then_some(name)
}

const BAD_NAME: &str = "A project name of 1 to 200 characters is required.";

/// Creates a project; the signed-up caller becomes its owner.
#[utoipa::path(post, path = "/projects", tag = "projects",
    request_body = NewProject,
    responses((status = 200, description = "The new project", body = Project)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewProject>,
) -> Result<Json<Project>, ApiError> {
    if caller.user.kind != UserKind::Registered {
        return Err(ApiError::Forbidden);
    }
    let name = parse_name(&body.name).ok_or_else(|| ApiError::field("name", BAD_NAME))?;
    let mut tx = state.writer.begin().await?;
    let project = projects::insert(&mut *tx, name, &caller.user.id).await?;
    members::add(&mut *tx, &project.id, &caller.user.id, Role::Owner).await?;
    tx.commit().await?;
    Ok(Json(project.to_wire()))
}

/// Renames the project and/or replaces its widget settings (admins); `GET /{pid}/widgets` shows
/// the settings as `project.widget`.
#[utoipa::path(put, path = "/projects/{pid}", tag = "projects", operation_id = "updateProject",
    params(("pid" = String, Path, description = "Project id")),
    request_body = ProjectUpdate,
    responses((status = 200, description = "The changed project", body = Project)))]
async fn update(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiJson(body): ApiJson<ProjectUpdate>,
) -> Result<Json<Project>, ApiError> {
    access.require(Role::Admin)?;
    let mut errors = Vec::new();
    let name = match body.name.as_deref() {
        None => Some(None),
        Some(raw) => parse_name(raw).map(Some),
    };
    if name.is_none() {
        errors.push(FieldError::field("name", BAD_NAME));
    }
    let widget_ok = match &body.widget {
        None => true,
        Some(widget @ Value::Object(_)) => widget.to_string().len() <= MAX_WIDGET_BYTES,
        Some(_) => false,
    };
    if !widget_ok {
        errors.push(FieldError::field(
            "widget",
            "The widget settings must be a JSON object of at most 64 KB.",
        ));
    }
    let (Some(name), true) = (name, widget_ok) else {
        return Err(ApiError::Validation(errors));
    };
    let project = projects::update(
        &state.writer,
        &access.project.id,
        name,
        body.widget.as_ref(),
    )
    .await?;
    state.cache.forget_project(&project.id);
    Ok(Json(project.to_wire()))
}
