//! Posting to a conversation: the first message creates the request, agents join it, retries are not stored twice.

use serde_json::{json, Value};
use tiledesk_protocol::{NewMessage, RequestStatus};

use crate::clock;
use crate::domain::ids::{ObjectId, RequestId};
use crate::domain::topic::MessagesTopic;
use crate::error::ApiError;
use crate::extract::ProjectAccess;
use crate::realtime::hub::Event;
use crate::state::AppState;
use crate::store::messages::{self, MessageRecord, NewMessageRecord};
use crate::store::requests::{self, NewRequest, RequestRecord};
use crate::store::users::UserRecord;
use crate::store::{self};

/// Longest accepted message `type`.
const MAX_KIND_LEN: usize = 64;
/// Longest accepted client message id.
const MAX_CLIENT_ID_LEN: usize = 200;

/// A stored message and its conversation after a post.
pub struct Posted {
    pub message: MessageRecord,
    pub request: RequestRecord,
}

/// Stores `body` in conversation `request_id` of the caller's project and publishes it.
///
/// A client id (`attributes.clientMessageId`) seen before in the conversation returns the stored
/// message instead. A guest may only post to a conversation it started (or start a new one).
pub async fn post(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
    body: NewMessage,
) -> Result<Posted, ApiError> {
    let user = &access.caller.user;
    let project = access.project.id.as_str();
    let kind = match body.kind.as_deref().map(str::trim) {
        None | Some("") => "text",
        Some(kind) if kind.len() <= MAX_KIND_LEN => kind,
        Some(_) => return Err(ApiError::field("type", "Invalid message type.")),
    };
    let client_id = body.client_id();
    if client_id.is_some_and(|id| id.is_empty() || id.len() > MAX_CLIENT_ID_LEN) {
        return Err(ApiError::field("attributes", "Invalid clientMessageId."));
    }
    let text = body.text.as_deref().unwrap_or_default();
    let has_text = !text.trim().is_empty();
    let sender_fullname = body
        .sender_fullname
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map_or_else(|| user.full_name(), str::to_owned);

    let mut tx = store::begin_write(&state.db).await?;
    let request = match requests::find(&mut *tx, project, request_id.as_str()).await? {
        Some(request) => {
            if !access.can_see(&request) {
                return Err(ApiError::Forbidden);
            }
            if let Some(client_id) = client_id {
                let earlier =
                    messages::find_by_client_id(&mut *tx, project, request_id.as_str(), client_id)
                        .await?;
                if let Some(message) = earlier {
                    return Ok(Posted { message, request });
                }
            }
            if !has_text && kind == "text" {
                return Err(ApiError::TextRequired);
            }
            join_if_agent(&mut tx, access, request).await?
        }
        None => {
            if !has_text {
                return Err(ApiError::TextRequired);
            }
            let lead = lead(user, &sender_fullname, project, body.attributes.as_ref());
            requests::insert(
                &mut *tx,
                &NewRequest {
                    project,
                    request_id: request_id.as_str(),
                    first_text: text,
                    requester: &user.id,
                    lead: &lead,
                    attributes: body.attributes.as_ref(),
                },
            )
            .await?
        }
    };
    let message = messages::insert(
        &mut *tx,
        &NewMessageRecord {
            project,
            request_id: request_id.as_str(),
            sender: &user.id,
            sender_fullname: &sender_fullname,
            kind,
            text,
            attributes: body.attributes.as_ref(),
            metadata: body.metadata.as_ref(),
            client_id,
        },
    )
    .await?;
    tx.commit().await?;

    let topic = MessagesTopic::new(access.project_id.clone(), request_id.clone()).name();
    let event = Event::created(topic.clone(), &message.to_wire(), &request.requester_id);
    state.hub.publish(&topic, event);
    Ok(Posted { message, request })
}

/// An agent (or higher) answering someone else's conversation becomes a participant, and an
/// unassigned conversation becomes assigned.
async fn join_if_agent(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    access: &ProjectAccess,
    request: RequestRecord,
) -> Result<RequestRecord, ApiError> {
    let user_id = &access.caller.user.id;
    if !access.role.sees_all_requests() || request.requester_id == *user_id {
        return Ok(request);
    }
    let mut participants = request.participants();
    let joined = !participants.contains(user_id);
    if joined {
        participants.push(user_id.clone());
    }
    let status = if request.status == RequestStatus::UNASSIGNED {
        RequestStatus::ASSIGNED
    } else {
        request.status
    };
    if !joined && status == request.status {
        return Ok(request);
    }
    Ok(requests::assign(&mut **tx, &request, &participants, status).await?)
}

/// The lead (contact) of a new conversation: who started it.
fn lead(user: &UserRecord, fullname: &str, project: &str, attributes: Option<&Value>) -> Value {
    let email = user.email.clone().or_else(|| {
        attributes
            .and_then(|a| a.get("userEmail"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let now = clock::now_iso();
    json!({
        "_id": ObjectId::generate().as_str(),
        "lead_id": user.id,
        "fullname": fullname,
        "email": email,
        "attributes": attributes.cloned().unwrap_or_else(|| json!({})),
        "id_project": project,
        "createdBy": user.id,
        "createdAt": now,
        "updatedAt": now,
    })
}
