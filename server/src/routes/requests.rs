//! `/:project_id/requests`: listing (agents), the caller's own (`/me`), one request, closing and rating.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tiledesk_protocol::{Rating, Request, RequestPage};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::conversation::{self, Closer};
use crate::domain::ids::RequestId;
use crate::domain::role::Role;
use crate::error::{echo, ApiError};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ProjectAccess};
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
        .routes(routes!(show))
        .routes(routes!(close))
        .routes(routes!(close_as_guest))
        .routes(routes!(rate))
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
    let (count, records) = requests::page(
        &state.db,
        &PageQuery {
            project: &access.project.id,
            statuses: &statuses,
            requester,
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
