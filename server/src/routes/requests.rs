//! `GET /:project_id/requests` (agents) and `GET /:project_id/requests/:request_id`.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tiledesk_protocol::{Request, RequestPage};

use crate::domain::ids::RequestId;
use crate::domain::role::Role;
use crate::error::{echo, ApiError};
use crate::extract::{ApiPath, ApiQuery, ProjectAccess};
use crate::state::AppState;
use crate::store::requests::{self, PageQuery};

/// Page size when none is asked for.
const DEFAULT_LIMIT: u32 = 40;
/// Largest page size.
const MAX_LIMIT: u32 = 100;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/{pid}/requests", get(list))
        .route("/{pid}/requests/{rid}", get(show))
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

#[derive(Deserialize)]
struct ListParams {
    page: Option<u32>,
    limit: Option<u32>,
    /// One status or a comma-separated list.
    status: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<RequestPage>, ApiError> {
    access.require(Role::Agent)?;
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
    let (count, records) = requests::page(
        &state.db,
        &PageQuery {
            project: &access.project.id,
            statuses: &statuses,
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
