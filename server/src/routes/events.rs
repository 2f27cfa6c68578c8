//! `/:project_id/events`: fire a custom event (members), list and read them (agents, or the firer).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use tiledesk_protocol::event::{emit_named, EMIT};
use tiledesk_protocol::{Event, EventPage, NewEvent};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::requests::parse_direction;
use crate::domain::event_name::EventName;
use crate::domain::ids::ObjectId;
use crate::domain::role::Role;
use crate::domain::topic::EventsTopic;
use crate::error::{echo, ApiError};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ProjectAccess};
use crate::realtime::hub;
use crate::state::AppState;
use crate::store::events::{self, NewEventRecord, SortField};
use crate::store::{self};
use crate::webhooks;

/// Events per page.
const PAGE_SIZE: u32 = 40;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show))
}

/// Fires a custom event: stores it, sends the `event.emit` and `event.emit.<name>` webhooks and
/// publishes it on `/<project_id>/events/<project_user_id>`.
#[utoipa::path(post, path = "/{pid}/events", tag = "events",
    params(("pid" = String, Path, description = "Project id")),
    request_body = NewEvent,
    responses((status = 200, description = "The stored event", body = Event)))]
async fn create(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiJson(body): ApiJson<NewEvent>,
) -> Result<Json<Event>, ApiError> {
    let name = EventName::parse(body.name.trim()).ok_or_else(|| {
        ApiError::field(
            "name",
            "A name of 1 to 100 letters, digits, `_`, `-`, `.` or `:` is required.",
        )
    })?;
    let attributes = match body.attributes {
        None | Some(Value::Null) => Value::Object(Default::default()),
        Some(Value::Object(map)) => Value::Object(map),
        Some(_) => {
            return Err(ApiError::field(
                "attributes",
                "Attributes must be an object.",
            ))
        }
    };
    let project = access.project.id.as_str();
    let mut tx = store::begin_write(&state.writer).await?;
    let record = events::insert(
        &mut *tx,
        &NewEventRecord {
            project,
            name: name.as_str(),
            attributes: &attributes,
            project_user: &access.member.id,
            created_by: &access.caller.user.id,
        },
    )
    .await?;
    let event = record.to_wire();
    let payload = serde_json::to_value(&event).map_err(ApiError::internal)?;
    let named = emit_named(name.as_str());
    let queued =
        webhooks::enqueue(&mut tx, &state.cache, project, &[EMIT, &named], &payload).await?;
    tx.commit().await?;
    if queued {
        state.webhooks.wake();
    }
    if let Some(project_user) = ObjectId::parse(&access.member.id) {
        let topic = EventsTopic {
            project: access.project_id.clone(),
            project_user,
        }
        .name();
        state.hub.publish(&topic, || {
            hub::Event::document(topic.clone(), &event.id, payload, &access.caller.user.id)
        });
    }
    Ok(Json(event))
}

/// Sorting and paging of the event list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ListParams {
    /// `createdAt` (default), `updatedAt` or `name`.
    #[serde(alias = "sort")]
    #[serde(rename = "sortField")]
    sort_field: Option<String>,
    /// `1` ascending or `-1` descending (default).
    direction: Option<String>,
    /// Page number, from 0; 40 events per page.
    #[param(minimum = 0)]
    page: Option<u32>,
}

/// Lists the project's events (agents and up), newest first by default.
#[utoipa::path(get, path = "/{pid}/events", tag = "events",
    params(("pid" = String, Path, description = "Project id"), ListParams),
    responses((status = 200, description = "A page of events", body = EventPage)))]
async fn list(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<EventPage>, ApiError> {
    access.require(Role::Agent)?;
    let sort = match params.sort_field.as_deref() {
        None | Some("") => SortField::CreatedAt,
        Some(raw) => SortField::parse(raw)
            .ok_or_else(|| ApiError::BadRequest(format!("Invalid sortField: {}", echo(raw))))?,
    };
    let ascending = parse_direction(params.direction.as_deref())?;
    let offset = u64::from(params.page.unwrap_or(0)) * u64::from(PAGE_SIZE);
    let (count, records) = events::page(
        &state.db,
        &access.project.id,
        sort,
        ascending,
        PAGE_SIZE,
        offset,
    )
    .await?;
    Ok(Json(EventPage {
        per_page: PAGE_SIZE,
        count,
        events: records.iter().map(|e| e.to_wire()).collect(),
    }))
}

/// The `{id}` path segment.
#[derive(Deserialize)]
struct EventPath {
    id: String,
}

/// One event: agents and up read any, other members those they fired.
#[utoipa::path(get, path = "/{pid}/events/{id}", tag = "events",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Event id")),
    responses((status = 200, description = "The event", body = Event)))]
async fn show(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<EventPath>,
) -> Result<Json<Event>, ApiError> {
    let id = ObjectId::parse(&path.id)
        .ok_or_else(|| ApiError::BadRequest(format!("Invalid event id: {}", echo(&path.id))))?;
    let record = events::find(&state.db, &access.project.id, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    if !access.role.sees_all_requests() && record.project_user_id != access.member.id {
        return Err(ApiError::NotFound);
    }
    Ok(Json(record.to_wire()))
}
