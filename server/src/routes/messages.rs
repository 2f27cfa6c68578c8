//! `/:project_id/requests/:request_id/messages`: read a conversation (oldest first, paged), post to
//! it, and mark the other side's messages delivered or seen.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tiledesk_protocol::{Message, MessageStatus, NewMessage, StatusUpdate, StatusUpdated};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::requests::RequestPath;
use crate::conversation;
use crate::domain::topic::MessagesTopic;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, ProjectAccess};
use crate::realtime::hub::Event;
use crate::state::AppState;
use crate::store::messages::{Audience, Side};
use crate::store::{self, messages, requests};

/// Largest page of messages.
const MAX_LIMIT: u32 = 1000;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(mark))
}

/// Paging of a long conversation; without `limit`, every message.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PageParams {
    /// Page number, from 0 (the oldest messages).
    #[param(minimum = 0)]
    page: Option<u32>,
    /// Page size, 1 to 1000.
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
}

/// The messages of a conversation, oldest first; an unknown conversation has none. Below agent,
/// only conversations the caller started, and without agents' private notes.
#[utoipa::path(get, path = "/{pid}/requests/{rid}/messages", tag = "messages",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id"), PageParams),
    responses((status = 200, description = "Messages, oldest first", body = Vec<Message>)))]
async fn list(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiQuery(params): ApiQuery<PageParams>,
) -> Result<Json<Vec<Message>>, ApiError> {
    let request_id = path.parse()?;
    let limit = params.limit.unwrap_or(u32::MAX);
    if params.limit.is_some() && !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "Invalid limit: {limit} (use 1 to {MAX_LIMIT})."
        )));
    }
    let offset = u64::from(params.page.unwrap_or(0)) * u64::from(limit);
    let project = access.project.id.as_str();
    let Some(request) = requests::find(&state.db, project, request_id.as_str()).await? else {
        return Ok(Json(Vec::new()));
    };
    if !access.can_see(&request) {
        return Err(ApiError::Forbidden);
    }
    let audience = if access.role.sees_all_requests() {
        Audience::Staff
    } else {
        Audience::Visitor
    };
    let records = messages::list(
        &state.db,
        project,
        request_id.as_str(),
        audience,
        limit,
        offset,
    )
    .await?;
    Ok(Json(records.iter().map(|m| m.to_wire()).collect()))
}

/// Posts a message; the first one creates the request, for the project's department that its
/// `attributes.departmentId` names (unknown ids are ignored). A repeated `attributes.clientMessageId`
/// returns the message stored the first time. Below agent, `senderFullname` is the caller's own
/// name whatever the body says, and any `attributes.subtype` but `info` is refused with 422.
/// Agents' private notes (`attributes.subtype` `private`) reach agents only, and cannot start a
/// conversation (422).
/// The answer is the message with its `request`.
#[utoipa::path(post, path = "/{pid}/requests/{rid}/messages", tag = "messages",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body = NewMessage,
    responses((status = 200, description = "The stored message with its request", body = Message)))]
async fn create(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<NewMessage>,
) -> Result<Json<Message>, ApiError> {
    let request_id = path.parse()?;
    let posted = conversation::post(&state, &access, &request_id, body).await?;
    let mut message = posted.message.to_wire();
    message.request = Some(Box::new(posted.request.to_wire()));
    Ok(Json(message))
}

/// Marks the other side's messages, up to and including `until` (a message `_id`), as delivered
/// (`status` 150) or seen (300): a visitor marks the agents' and bots' messages (never private
/// notes), an agent and up the visitor's. Statuses only go up; each message that changed is
/// published (UPDATE) on the messages topic. Any other status is 422; an `until` that is not a
/// message of this conversation (or a private note, for a visitor) is 404; below agent, only
/// conversations the caller started (else 403). The answer counts the changed messages.
#[utoipa::path(put, path = "/{pid}/requests/{rid}/messages/status", tag = "messages",
    params(("pid" = String, Path, description = "Project id"), ("rid" = String, Path, description = "Request id")),
    request_body = StatusUpdate,
    responses((status = 200, description = "How many messages changed status", body = StatusUpdated)))]
async fn mark(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
    ApiJson(body): ApiJson<StatusUpdate>,
) -> Result<Json<StatusUpdated>, ApiError> {
    let request_id = path.parse()?;
    if ![MessageStatus::DELIVERED, MessageStatus::SEEN].contains(&body.status) {
        return Err(ApiError::field(
            "status",
            format!(
                "Invalid status: {} (use {} delivered or {} seen).",
                body.status,
                MessageStatus::DELIVERED,
                MessageStatus::SEEN
            ),
        ));
    }
    let project = access.project.id.as_str();
    let request = requests::find(&state.db, project, request_id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    if !access.can_see(&request) {
        return Err(ApiError::Forbidden);
    }
    let (audience, side) = if access.role.sees_all_requests() {
        (Audience::Staff, Side::Requester)
    } else {
        (Audience::Visitor, Side::Staff)
    };
    let mut tx = store::begin_write(&state.writer).await?;
    let until = messages::find(
        &mut *tx,
        project,
        request_id.as_str(),
        &body.until,
        audience,
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    let changed = messages::raise_status(
        &mut *tx,
        project,
        request_id.as_str(),
        &request.requester_id,
        side,
        until.seq,
        body.status,
    )
    .await?;
    tx.commit().await?;
    let topic = MessagesTopic::new(access.project_id.clone(), request_id).name();
    for message in &changed {
        state.hub.publish(&topic, || {
            Event::updated(topic.clone(), &message.to_wire(), &request.requester_id)
        });
    }
    Ok(Json(StatusUpdated {
        updated: changed.len() as u64,
    }))
}
