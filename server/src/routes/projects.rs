//! `/projects`: create a project (signed-up users), read it (agents), change its name, widget
//! settings, operating hours and bot rules (admins); whether it is open and who is available (public).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use tiledesk_protocol::{
    AvailableAgent, IsOpen, NewProject, Project, ProjectMembership, ProjectUpdate,
};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::domain::bot_rules::BotRules;
use crate::domain::ids::{ObjectId, ProjectId};
use crate::domain::operating_hours::OperatingHours;
use crate::domain::role::Role;
use crate::error::{echo, ApiError, FieldError};
use crate::extract::{ApiJson, ApiQuery, ProjectAccess, ProjectPath};
use crate::state::AppState;
use crate::store::projects::ProjectChange;
use crate::store::users::UserKind;
use crate::store::{departments, members, projects};

/// Longest accepted project or department name, in characters.
const MAX_NAME_CHARS: usize = 200;
/// Largest accepted widget settings object, serialized, in bytes.
const MAX_WIDGET_BYTES: usize = 64 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(show, update))
        .routes(routes!(is_open))
        .routes(routes!(availables))
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
    // The owner starts available, as on Tiledesk.
    members::add(&mut *tx, &project.id, &caller.user.id, Role::Owner, true).await?;
    tx.commit().await?;
    Ok(Json(project.to_wire()))
}

/// The caller's projects: its memberships as agent and up, oldest first, each with its project
/// (an empty list for visitors).
#[utoipa::path(get, path = "/projects", tag = "projects",
    responses((status = 200, description = "The caller's memberships", body = Vec<ProjectMembership>)))]
async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ProjectMembership>>, ApiError> {
    let memberships = members::of_user(&state.db, &caller.user.id).await?;
    let mut listed = Vec::with_capacity(memberships.len());
    for member in memberships {
        let Some(id) = ProjectId::parse(&member.project_id) else {
            continue;
        };
        let Some(project) = state.cache.project(&state.db, &id).await? else {
            continue;
        };
        listed.push(ProjectMembership {
            id: member.id,
            id_project: project.to_wire(),
            id_user: member.user_id,
            role: member.role.as_str().to_owned(),
            user_available: member.user_available,
            created_at: member.created_at,
            updated_at: member.updated_at,
        });
    }
    Ok(Json(listed))
}

/// The project (agents and up).
#[utoipa::path(get, path = "/projects/{pid}", tag = "projects",
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The project", body = Project)))]
async fn show(access: ProjectAccess) -> Result<Json<Project>, ApiError> {
    access.require(Role::Agent)?;
    Ok(Json(access.project.to_wire()))
}

/// Whether the project is open now (public): always, unless its operating hours are active and
/// now is outside them in their time zone.
#[utoipa::path(get, path = "/projects/{pid}/isopen", tag = "projects", security(()),
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "Whether the project is open", body = IsOpen)))]
async fn is_open(ProjectPath { project, .. }: ProjectPath) -> Json<IsOpen> {
    Json(IsOpen {
        isopen: project.is_open(),
    })
}

/// Filters of the available agents.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AvailablesParams {
    /// Only the members of this department (all agents when it lists none).
    department: Option<String>,
    /// `true` ignores the operating hours.
    raw: Option<bool>,
}

/// The agents available now (public): agents and up whose availability is on, none outside the
/// operating hours (unless `raw`); emails are not shown.
#[utoipa::path(get, path = "/projects/{pid}/users/availables", tag = "projects", security(()),
    params(("pid" = String, Path, description = "Project id"), AvailablesParams),
    responses((status = 200, description = "The available agents", body = Vec<AvailableAgent>)))]
async fn availables(
    State(state): State<AppState>,
    ProjectPath { project, .. }: ProjectPath,
    ApiQuery(params): ApiQuery<AvailablesParams>,
) -> Result<Json<Vec<AvailableAgent>>, ApiError> {
    let department = match params.department.as_deref() {
        None => None,
        Some(raw) => {
            let id = ObjectId::parse(raw).ok_or_else(|| {
                ApiError::BadRequest(format!("Invalid department id: {}", echo(raw)))
            })?;
            let found = departments::find(&state.db, &project.id, id.as_str())
                .await?
                .ok_or(ApiError::NotFound)?;
            Some(found)
        }
    };
    if !params.raw.unwrap_or(false) && !project.is_open() {
        return Ok(Json(Vec::new()));
    }
    let among = department
        .as_ref()
        .map(|d| d.members())
        .filter(|members| !members.is_empty());
    let agents = members::available_agents(&state.db, &project.id, among.as_deref()).await?;
    Ok(Json(agents.iter().map(|a| a.to_available()).collect()))
}

/// Renames the project, replaces its widget settings, its operating hours and/or its bot rules
/// (admins); `GET /{pid}/widgets` shows the settings as `project.widget`. `operatingHours` is
/// Tiledesk's JSON text (or the object itself) of weekly slots and `tzname`; with
/// `activeOperatingHours` the project is open only within them (`GET /projects/{pid}/isopen`, and
/// no agent is available outside them). `botsRules` replaces the proactive rules that
/// `GET /{pid}/widgets` gives as `botsRules`: at most 50, each with a unique `uid` (1 to 100
/// characters), a `when.urlMatches` pattern (1 to 1000 characters), a `when.triggerEvery` of 0
/// hours or more and an action in `do` with a `message` whose `text` is 1 to 400 Ki characters.
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
    let hours = match &body.operating_hours {
        None => Some(None),
        Some(raw) => OperatingHours::parse(raw)
            .map(Some)
            .map_err(|msg| errors.push(FieldError::field("operatingHours", msg)))
            .ok(),
    };
    let rules = match &body.bots_rules {
        None => Some(None),
        Some(rules) => BotRules::parse(rules)
            .map(Some)
            .map_err(|msg| errors.push(FieldError::field("botsRules", msg)))
            .ok(),
    };
    let has_hours = matches!(hours, Some(Some(_))) || access.project.operating_hours.is_some();
    if body.active_operating_hours == Some(true) && !has_hours {
        errors.push(FieldError::field(
            "activeOperatingHours",
            "Set operatingHours before making them active.",
        ));
    }
    let (Some(name), true, Some(hours), Some(rules), true) =
        (name, widget_ok, hours, rules, errors.is_empty())
    else {
        return Err(ApiError::Validation(errors));
    };
    let change = ProjectChange {
        name,
        widget: body.widget.as_ref(),
        active_operating_hours: body.active_operating_hours,
        operating_hours: hours.as_ref(),
        bots_rules: rules.as_ref(),
    };
    let project = projects::update(&state.writer, &access.project.id, &change).await?;
    state.cache.forget_project(&project.id);
    Ok(Json(project.to_wire()))
}
