//! `/:project_id/requests/:request_id/messages`: read a conversation and post to it.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use tiledesk_protocol::{Message, NewMessage};

use super::requests::RequestPath;
use crate::conversation;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ProjectAccess};
use crate::state::AppState;
use crate::store::{messages, requests};

pub fn routes() -> Router<AppState> {
    Router::new().route("/{pid}/requests/{rid}/messages", get(list).post(create))
}

/// Every message, oldest first; an unknown conversation has none. Below agent, only own conversations.
async fn list(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<RequestPath>,
) -> Result<Json<Vec<Message>>, ApiError> {
    let request_id = path.parse()?;
    let project = access.project.id.as_str();
    let Some(request) = requests::find(&state.db, project, request_id.as_str()).await? else {
        return Ok(Json(Vec::new()));
    };
    if !access.can_see(&request) {
        return Err(ApiError::Forbidden);
    }
    let records = messages::list(&state.db, project, request_id.as_str()).await?;
    Ok(Json(records.iter().map(|m| m.to_wire()).collect()))
}

/// Posts a message; the answer is the message with its `request`.
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
