//! `/:project_id/requests`: listing (agents), the caller's own (`/me`), one request, closing,
//! reopening and rating; agents change its subject, tags and attributes, who takes part, and route it.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use tiledesk_protocol::{
    Assignment, DepartmentRoute, NewParticipant, Rating, Request, RequestPage, RequestPatch,
};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::conversation::{self, Closer};
use crate::domain::ids::{ObjectId, RequestId};
use crate::domain::role::Role;
use crate::error::{echo, ApiError};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ProjectAccess};
use crate::handling::{self, ParticipantsChange, RouteTo};
use crate::state::AppState;
use crate::store::requests::{self, PageQuery, SortField};

/// Page size when none is asked for.
const DEFAULT_LIMIT: u32 = 40;
/// Largest page size.
const MAX_LIMIT: u32 = 100;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mine))
        .routes(routes!(show, patch))
        .routes(routes!(close))
        .routes(routes!(close_as_guest))
        .routes(routes!(reopen))
        .routes(routes!(rate))
        .routes(routes!(merge_attributes))
        .routes(routes!(set_participants, add_participant))
        .routes(routes!(remove_participant))
        .routes(routes!(to_agent))
        .routes(routes!(assign))
        .routes(routes!(to_department))
}

/// The `{rid}` and `{id}` path segments of a participant.
#[derive(Deserialize)]
struct ParticipantPath {
    rid: String,
    id: String,
}

/// The `{rid}` path segment.
#[derive(Deserialize)]
pub struct RequestPath {
    rid: String,
}

impl RequestPath {
    /// The conversation id, or 400 when malformed.
    pub fn parse(&self) -> Result<RequestId, ApiError> {
        RequestId::parse(&self.rid)
            .ok_or_else(|| ApiError::BadRequest(format!("Invalid request id: {}", echo(&self.rid))))
    }
}

/// Paging and filtering of request listings.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page number, from 0.
    #[param(minimum = 0)]
    page: Option<u32>,
    /// Page size (default 40); values above 100 read as 100.
    limit: Option<u32>,
    /// One status or a comma-separated list (100 unassigned, 200 assigned, 1000 closed, …).
    status: Option<String>,
    /// `createdAt` (default) or `updatedAt`.
    sort: Option<String>,
    /// `1`/`asc` for ascending, `-1`/`desc` (default) for descending.
    direction: Option<String>,
    /// Only the requests this agent (a user id) takes part in.
    participant: Option<String>,
    /// Only the requests of this lead (its `_id`): a visitor's conversations.
    lead: Option<String>,
}

/// Reads a sort direction: ascending for `1`/`asc`, descending (the default) for `-1`/`desc`.
pub fn parse_direction(raw: Option<&str>) -> Result<bool, ApiError> {
    match raw.map(str::trim) {
        None | Some("") | Some("-1") | Some("desc") => Ok(false),
        Some("1") | Some("asc") => Ok(true),
        Some(other) => Err(ApiError::BadRequest(format!(
            "Invalid direction: {} (use 1 or -1).",
            echo(other)
        ))),
    }
}

async fn page(
    state: &AppState,
    access: &ProjectAccess,
    params: ListParams,
    requester: Option<&str>,
) -> Result<Json<RequestPage>, ApiError> {
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let offset = u64::from(params.page.unwrap_or(0)) * u64::from(limit);
    let statuses = match params.status.as_deref().map(str::trim) {
        None | Some("") => Vec::new(),
        Some(raw) => raw
            .split(',')
            .map(|status| status.trim().parse::<i32>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| ApiError::BadRequest(format!("Invalid status filter: {}", echo(raw))))?,
    };
    let sort = match params.sort.as_deref() {
        None | Some("") => SortField::CreatedAt,
        Some(raw) => SortField::parse(raw)
            .ok_or_else(|| ApiError::BadRequest(format!("Invalid sort field: {}", echo(raw))))?,
    };
    let participant = params
        .participant
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let lead = match params.lead.as_deref().map(str::trim) {
        None => None,
        Some(raw) => Some(
            ObjectId::parse(raw)
                .ok_or_else(|| ApiError::BadRequest(format!("Invalid lead id: {}", echo(raw))))?,
        ),
    };
    let (count, records) = requests::page(
        &state.db,
        &PageQuery {
            project: &access.project.id,
            statuses: &statuses,
            requester,
            participant,
            lead: lead.as_ref().map(ObjectId::as_str),
            sort,
            ascending: parse_direction(params.direction.as_deref())?,
            limit,
            offset,
        },
    )
    .await?;
    Ok(Json(RequestPage {
        per_page: limit,
        count,
        requests: records.iter().map(|r| r.to_wire()).collect(),
    }))
}

/// Lists the project's requests (agents and up), newest first by default.
#[utoipa::path(get, path = "/{pid}/requests", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ListParams),
    responses((status = 200, description = "A page of requests", body = RequestPage)))]
async fn list(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<RequestPage>, ApiError> {
    access.require(Role::Agent)?;
    page(&state, &access, params, None).await
}

/// Lists the requests the caller started (any member, guests included).
#[utoipa::path(get, path = "/{pid}/requests/me", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ListParams),
    responses((status = 200, description = "A page of the caller's requests", body = RequestPage)))]
async fn mine(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<RequestPage>, ApiError> {
    let me = access.caller.user.id.clone();
    page(&state, &access, params, Some(&me)).await
}

/// One request: agents and up see any, other members only those they started.
#[utoipa::path(get, path = "/{pid}/requests/{rid}", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    responses((status = 200, description = "The request", body = Request)))]
async fn show(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
) -> Result<Json<Request>, ApiError> {
    let request_id = path.parse()?;
    let request = requests::find(&state.db, &access.project.id, request_id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    if !access.can_see(&request) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(request.to_wire()))
}

/// Closes a request (status 1000): admins, or agents taking part in it.
#[utoipa::path(put, path = "/{pid}/requests/{rid}/close", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    responses((status = 200, description = "The closed request", body = Request)))]
async fn close(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = path.parse()?;
    let closed = conversation::close(&state, &access, &request_id, Closer::Staff).await?;
    Ok(Json(closed.to_wire()))
}

/// Closes a request the caller started (status 1000).
#[utoipa::path(put, path = "/{pid}/requests/{rid}/closeg", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    responses((status = 200, description = "The closed request", body = Request)))]
async fn close_as_guest(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
) -> Result<Json<Request>, ApiError> {
    let request_id = path.parse()?;
    let closed = conversation::close(&state, &access, &request_id, Closer::Requester).await?;
    Ok(Json(closed.to_wire()))
}

/// Rates a request (1 to 5): who started it, or agents and up.
#[utoipa::path(patch, path = "/{pid}/requests/{rid}/rating", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body = Rating,
    responses((status = 200, description = "The rated request", body = Request)))]
async fn rate(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<Rating>,
) -> Result<Json<Request>, ApiError> {
    let request_id = path.parse()?;
    let rated = conversation::rate(&state, &access, &request_id, &body).await?;
    Ok(Json(rated.to_wire()))
}

/// Reopens a closed request (agents and up): assigned (200) when it has participants, else
/// unassigned (100); fires `request.update` and `request.reopen`.
#[utoipa::path(put, path = "/{pid}/requests/{rid}/reopen", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    responses((status = 200, description = "The reopened request", body = Request)))]
async fn reopen(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
) -> Result<Json<Request>, ApiError> {
    let request_id = path.parse()?;
    let reopened = conversation::reopen(&state, &access, &request_id).await?;
    Ok(Json(reopened.to_wire()))
}

/// Changes the subject (an empty one removes it) and/or replaces the tags (agents and up).
#[utoipa::path(patch, path = "/{pid}/requests/{rid}", tag = "requests", operation_id = "patchRequest",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body = RequestPatch,
    responses((status = 200, description = "The changed request", body = Request)))]
async fn patch(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<RequestPatch>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = path.parse()?;
    let patched = handling::patch(&state, &access, &request_id, &body).await?;
    Ok(Json(patched.to_wire()))
}

/// Merges the body's keys into the request's attributes (agents and up); fires `request.update`
/// and `request.attributes.update`.
#[utoipa::path(patch, path = "/{pid}/requests/{rid}/attributes", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body(content = Object, description = "The attributes to set"),
    responses((status = 200, description = "The changed request", body = Request)))]
async fn merge_attributes(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = path.parse()?;
    let changed = handling::merge_attributes(&state, &access, &request_id, body).await?;
    Ok(Json(changed.to_wire()))
}

/// Replaces the participants with these user ids of agents (agents and up): with some an open
/// request is assigned (200), with none unassigned (100); fires `request.update` and
/// `request.participants.update`.
#[utoipa::path(put, path = "/{pid}/requests/{rid}/participants", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body = Vec<String>,
    responses((status = 200, description = "The changed request", body = Request)))]
async fn set_participants(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<Vec<String>>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = path.parse()?;
    let change = ParticipantsChange::Set(&body);
    let changed = handling::change_participants(&state, &access, &request_id, change).await?;
    Ok(Json(changed.to_wire()))
}

/// Adds an agent (`member`, a user id) to the participants (agents and up).
#[utoipa::path(post, path = "/{pid}/requests/{rid}/participants", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body = NewParticipant,
    responses((status = 200, description = "The changed request", body = Request)))]
async fn add_participant(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<NewParticipant>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = path.parse()?;
    let change = ParticipantsChange::Add(&body.member);
    let changed = handling::change_participants(&state, &access, &request_id, change).await?;
    Ok(Json(changed.to_wire()))
}

/// Removes a participant (agents and up); 404 when it takes no part.
#[utoipa::path(delete, path = "/{pid}/requests/{rid}/participants/{id}", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id"),
        ("id" = String, Path, description = "User id of the participant")),
    responses((status = 200, description = "The changed request", body = Request)))]
async fn remove_participant(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<ParticipantPath>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = RequestPath { rid: path.rid }.parse()?;
    let change = ParticipantsChange::Remove(&path.id);
    let changed = handling::change_participants(&state, &access, &request_id, change).await?;
    Ok(Json(changed.to_wire()))
}

/// Hands the request over to a human (agents and up): to the next available agent of its
/// department (as the department routes: none when it pools requests) or, without one, of the
/// project; unassigned (100) when nobody is available or the project is closed. 409 when closed.
#[utoipa::path(put, path = "/{pid}/requests/{rid}/agent", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    responses((status = 200, description = "The routed request", body = Request)))]
async fn to_agent(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = path.parse()?;
    let routed = handling::route(&state, &access, &request_id, RouteTo::Agent).await?;
    Ok(Json(routed.to_wire()))
}

/// Assigns the request (agents and up): to the agent `member` (a user id), else, while it is
/// unassigned, routes it to `departmentid` (else its own department, else the project) as a new
/// request would be; an assigned request is left as it is. 409 when closed.
#[utoipa::path(put, path = "/{pid}/requests/{rid}/assign", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body = Assignment,
    responses((status = 200, description = "The assigned request", body = Request)))]
async fn assign(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<Assignment>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = path.parse()?;
    let routed = handling::route(&state, &access, &request_id, RouteTo::Assign(&body)).await?;
    Ok(Json(routed.to_wire()))
}

/// Moves the request to a department and routes it as the department routes (agents and up);
/// fires `request.department.update` too. 409 when closed.
#[utoipa::path(put, path = "/{pid}/requests/{rid}/departments", tag = "requests",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body = DepartmentRoute,
    responses((status = 200, description = "The routed request", body = Request)))]
async fn to_department(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<DepartmentRoute>,
) -> Result<Json<Request>, ApiError> {
    access.require(Role::Agent)?;
    let request_id = path.parse()?;
    let to = RouteTo::Department(&body.departmentid);
    let routed = handling::route(&state, &access, &request_id, to).await?;
    Ok(Json(routed.to_wire()))
}
