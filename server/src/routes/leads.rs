//! `/:project_id/leads` (agents): the visitors' contact records, paged, and changing one; a
//! changed lead shows on its requests at once.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use tiledesk_protocol::{Lead, LeadPage, LeadUpdate, PublishMethod};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::conversation::publish_request;
use crate::domain::account::{parse_name, Email};
use crate::domain::ids::ObjectId;
use crate::domain::role::Role;
use crate::error::{echo, ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ProjectAccess};
use crate::state::AppState;
use crate::store::leads::{self, LeadChange};
use crate::store::{self, requests};
use crate::webhooks::{self, events};

/// Page size when none is asked for.
const DEFAULT_LIMIT: u32 = 40;
/// Largest page size.
const MAX_LIMIT: u32 = 100;
/// Largest attributes object, serialized, in bytes.
const MAX_ATTRIBUTES_BYTES: usize = 64 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show, update))
}

/// Paging of the lead list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// Page number, from 0.
    #[param(minimum = 0)]
    page: Option<u32>,
    /// Page size (default 40); values above 100 read as 100.
    limit: Option<u32>,
}

/// The project's leads, newest first (agents and up).
#[utoipa::path(get, path = "/{pid}/leads", tag = "leads",
    params(("pid" = String, Path, description = "Project id"), ListParams),
    responses((status = 200, description = "A page of leads", body = LeadPage)))]
async fn list(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<LeadPage>, ApiError> {
    access.require(Role::Agent)?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let offset = u64::from(params.page.unwrap_or(0)) * u64::from(limit);
    let (count, records) = leads::page(&state.db, &access.project.id, limit, offset).await?;
    Ok(Json(LeadPage {
        per_page: limit,
        count,
        leads: records.iter().map(|l| l.to_wire()).collect(),
    }))
}

/// The `{id}` path segment.
#[derive(Deserialize)]
struct LeadPath {
    id: String,
}

impl LeadPath {
    fn parse(&self) -> Result<ObjectId, ApiError> {
        ObjectId::parse(&self.id)
            .ok_or_else(|| ApiError::BadRequest(format!("Invalid lead id: {}", echo(&self.id))))
    }
}

/// One lead (agents and up).
#[utoipa::path(get, path = "/{pid}/leads/{id}", tag = "leads",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Lead id")),
    responses((status = 200, description = "The lead", body = Lead)))]
async fn show(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<LeadPath>,
) -> Result<Json<Lead>, ApiError> {
    access.require(Role::Agent)?;
    let id = path.parse()?;
    let record = leads::find(&state.db, &access.project.id, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(record.to_wire()))
}

/// Changes a lead's full name, email (empty removes it) and/or attributes (replaced) (agents and
/// up); its requests show the change (published on their topics); fires `lead.update`.
#[utoipa::path(put, path = "/{pid}/leads/{id}", tag = "leads", operation_id = "updateLead",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Lead id")),
    request_body = LeadUpdate,
    responses((status = 200, description = "The changed lead", body = Lead)))]
async fn update(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<LeadPath>,
    ApiJson(body): ApiJson<LeadUpdate>,
) -> Result<Json<Lead>, ApiError> {
    access.require(Role::Agent)?;
    let id = path.parse()?;
    let mut errors = Vec::new();
    let fullname = match body.fullname.as_deref().map(parse_name) {
        None => None,
        Some(Ok(name)) => Some(name),
        Some(Err(msg)) => {
            errors.push(FieldError::field("fullname", msg));
            None
        }
    };
    let email = match body.email.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => match Email::parse(raw) {
            Ok(email) => Some(Some(email)),
            Err(msg) => {
                errors.push(FieldError::field("email", msg));
                None
            }
        },
    };
    let attributes_ok = match &body.attributes {
        None => true,
        Some(value @ Value::Object(_)) => value.to_string().len() <= MAX_ATTRIBUTES_BYTES,
        Some(_) => false,
    };
    if !attributes_ok {
        errors.push(FieldError::field(
            "attributes",
            "The attributes must be an object of at most 64 KB.",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let change = LeadChange {
        fullname: fullname.as_deref(),
        email: email.as_ref().map(|e| e.as_ref().map(Email::as_str)),
        attributes: body.attributes.as_ref(),
    };
    let mut tx = store::begin_write(&state.writer).await?;
    let lead = leads::update(&mut *tx, &access.project.id, id.as_str(), &change)
        .await?
        .ok_or(ApiError::NotFound)?;
    let document = lead.to_value();
    let changed = requests::set_lead(&mut *tx, &lead.id, &document).await?;
    let queued = webhooks::enqueue(
        &mut tx,
        &state.cache,
        &access.project.id,
        &[events::LEAD_UPDATE],
        &document,
    )
    .await?;
    tx.commit().await?;
    if queued {
        state.webhooks.wake();
    }
    for request in &changed {
        publish_request(&state, request, PublishMethod::Update);
    }
    Ok(Json(lead.to_wire()))
}
