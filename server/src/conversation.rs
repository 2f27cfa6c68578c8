//! Changing a conversation: the first message creates the request (for the department its
//! `attributes.departmentId` names), agents join it, retries are not stored twice; closing and
//! rating. Each change queues its webhooks in its own transaction.

use std::sync::Arc;

use serde_json::{json, Value};
use sqlx::SqliteConnection;
use tiledesk_protocol::{NewMessage, Rating, RequestStatus};

use crate::cache::Cache;
use crate::clock;
use crate::domain::account::parse_name;
use crate::domain::ids::{ObjectId, RequestId};
use crate::domain::role::Role;
use crate::domain::topic::MessagesTopic;
use crate::error::ApiError;
use crate::extract::ProjectAccess;
use crate::realtime::hub::Event;
use crate::state::AppState;
use crate::store::departments;
use crate::store::messages::{self, MessageRecord, NewMessageRecord};
use crate::store::requests::{self, NewRequest, RequestRecord};
use crate::store::users::UserRecord;
use crate::store::{self};
use crate::webhooks::{self, events};

/// Longest accepted message `type`.
const MAX_KIND_LEN: usize = 64;
/// Longest accepted client message id.
const MAX_CLIENT_ID_LEN: usize = 200;
/// Longest accepted message text, in characters (400 Ki, within the 500 KB body limit).
const MAX_TEXT_CHARS: usize = 400 * 1024;
/// Longest accepted rating message, in characters.
const MAX_RATING_MESSAGE_CHARS: usize = 2_000;
/// The attribute that makes a message an info (`info`, `info/support`) or `private` message.
const SUBTYPE: &str = "subtype";
/// The only subtype a visitor may send: the Tiledesk widget's intent message (`tiledesk_hiddenMessage`,
/// `startConversation(text)`: a `/`-prefixed text that starts a bot flow) is an `info` message.
const VISITOR_SUBTYPE: &str = "info";

/// A stored message and its conversation after a post.
pub struct Posted {
    pub message: MessageRecord,
    pub request: RequestRecord,
}

/// Stores `body` in conversation `request_id` of the caller's project and publishes it.
///
/// A client id (`attributes.clientMessageId`) seen before in the conversation returns the stored
/// message instead. Below agent, a member may only post to a conversation it started (or start a
/// new one), signs with its own name (the one it gave, `attributes.userFullname`, else its user's;
/// `senderFullname` is ignored) and may set no `attributes.subtype` but `info` (422): only agents
/// and the system write `info/support` and `private` messages.
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
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::field(
            "text",
            format!("The text is longer than {MAX_TEXT_CHARS} characters."),
        ));
    }
    let has_text = !text.trim().is_empty();
    let staff = access.role.sees_all_requests();
    let subtype = body.attributes.as_ref().and_then(|a| a.get(SUBTYPE));
    let visitor_subtype = |subtype: &Value| subtype.is_null() || subtype == VISITOR_SUBTYPE;
    if !staff && subtype.is_some_and(|subtype| !visitor_subtype(subtype)) {
        return Err(ApiError::field(
            "attributes",
            "Only agents may set attributes.subtype info/support or private: \
             a visitor's message is an ordinary message (or an info intent message).",
        ));
    }
    // Agents may sign as anyone (a bot, "System"); a visitor's messages carry the visitor's own name.
    let claimed = body
        .sender_fullname
        .as_deref()
        .map(str::trim)
        .filter(|name| staff && !name.is_empty());
    let sender_fullname = match claimed {
        Some(name) => name.to_owned(),
        None if staff => user.full_name(),
        None => given_name(body.attributes.as_ref()).unwrap_or_else(|| user.full_name()),
    };

    let checked = Checked {
        project: project.to_owned(),
        user: user.clone(),
        role: access.role,
        request_id: request_id.clone(),
        kind: kind.to_owned(),
        client_id: client_id.map(str::to_owned),
        text: text.to_owned(),
        has_text,
        sender_fullname,
        attributes: body.attributes,
        metadata: body.metadata,
    };
    let cache = Arc::clone(&state.cache);
    let (posted, fresh, queued) = state
        .commits
        .run(Box::new(move |conn| {
            Box::pin(async move { store_post(conn, &cache, &checked).await })
        }))
        .await?;
    if queued {
        state.webhooks.wake();
    }
    let Posted { message, request } = &posted;
    if !fresh {
        return Ok(posted);
    }
    let topic = MessagesTopic::new(access.project_id.clone(), request_id.clone()).name();
    state.hub.publish(&topic, || {
        Event::created(topic.clone(), &message.to_wire(), &request.requester_id)
    });
    Ok(posted)
}

/// A post, checked and owned, ready for the writer.
struct Checked {
    project: String,
    user: UserRecord,
    role: Role,
    request_id: RequestId,
    kind: String,
    client_id: Option<String>,
    text: String,
    has_text: bool,
    sender_fullname: String,
    attributes: Option<Value>,
    metadata: Option<Value>,
}

/// Stores a checked post inside the writer's transaction: the message and its conversation,
/// whether it is new (not a retry) and whether webhooks were queued.
async fn store_post(
    conn: &mut SqliteConnection,
    cache: &Cache,
    post: &Checked,
) -> Result<(Posted, bool, bool), ApiError> {
    let project = post.project.as_str();
    let user = &post.user;
    let request_id = &post.request_id;
    let (kind, text, client_id) = (
        post.kind.as_str(),
        post.text.as_str(),
        post.client_id.as_deref(),
    );
    let existing = requests::find(&mut *conn, project, request_id.as_str()).await?;
    match &existing {
        Some(request) => {
            if !post.role.sees_all_requests() && request.requester_id != user.id {
                return Err(ApiError::Forbidden);
            }
            if !post.has_text && kind == "text" {
                // Only the retry of a stored message may come without text.
                if let Some(client_id) = client_id {
                    let earlier = messages::find_by_client_id(
                        &mut *conn,
                        project,
                        request_id.as_str(),
                        client_id,
                    )
                    .await?;
                    if let Some(message) = earlier {
                        let request = request.clone();
                        return Ok((Posted { message, request }, false, false));
                    }
                }
                return Err(ApiError::TextRequired);
            }
        }
        None if !post.has_text => return Err(ApiError::TextRequired),
        None => {}
    }
    let mut queued = false;
    let request = match existing {
        Some(request) => request,
        None => {
            let lead = lead(
                user,
                &post.sender_fullname,
                project,
                post.attributes.as_ref(),
            );
            let department = department(&mut *conn, project, post.attributes.as_ref()).await?;
            let request = requests::insert(
                &mut *conn,
                &NewRequest {
                    project,
                    request_id: request_id.as_str(),
                    first_text: text,
                    requester: &user.id,
                    lead: &lead,
                    attributes: post.attributes.as_ref(),
                    department: department.as_ref(),
                },
            )
            .await?;
            queued |= request_event(&mut *conn, cache, events::REQUEST_CREATE, &request).await?;
            queued |= webhooks::enqueue(&mut *conn, cache, project, &[events::LEAD_CREATE], &lead)
                .await?;
            request
        }
    };
    let inserted = messages::insert(
        &mut *conn,
        &NewMessageRecord {
            project,
            request_id: request_id.as_str(),
            sender: &user.id,
            sender_fullname: &post.sender_fullname,
            kind,
            text,
            attributes: post.attributes.as_ref(),
            metadata: post.metadata.as_ref(),
            client_id,
        },
    )
    .await?;
    let Some(message) = inserted else {
        // A retry: the message with this client id is already stored.
        let earlier = match client_id {
            Some(client_id) => {
                messages::find_by_client_id(&mut *conn, project, request_id.as_str(), client_id)
                    .await?
            }
            None => None,
        };
        let message = earlier.ok_or_else(|| ApiError::internal("a message insert was ignored"))?;
        return Ok((Posted { message, request }, false, false));
    };
    let (request, updated) = join_if_agent(&mut *conn, post.role, &user.id, request).await?;
    if let Some(updated) = &updated {
        queued |= request_event(&mut *conn, cache, events::REQUEST_UPDATE, updated).await?;
    }
    let mut payload = message.to_wire();
    payload.request = Some(Box::new(request.to_wire()));
    let payload = serde_json::to_value(&payload).map_err(ApiError::internal)?;
    queued |= webhooks::enqueue(
        &mut *conn,
        cache,
        project,
        &[events::MESSAGE_CREATE],
        &payload,
    )
    .await?;
    Ok((Posted { message, request }, true, queued))
}

/// Queues the `event` webhooks of `request`.
async fn request_event(
    tx: &mut SqliteConnection,
    cache: &Cache,
    event: &str,
    request: &RequestRecord,
) -> Result<bool, ApiError> {
    let payload = serde_json::to_value(request.to_wire()).map_err(ApiError::internal)?;
    Ok(webhooks::enqueue(tx, cache, &request.project_id, &[event], &payload).await?)
}

/// An agent (or higher) answering someone else's conversation becomes a participant, and an
/// unassigned conversation becomes assigned: the request, and whether it changed.
async fn join_if_agent(
    conn: &mut SqliteConnection,
    role: Role,
    user_id: &str,
    request: RequestRecord,
) -> Result<(RequestRecord, Option<RequestRecord>), ApiError> {
    if !role.sees_all_requests() || request.requester_id == user_id {
        return Ok((request, None));
    }
    let mut participants = request.participants();
    let joined = !participants.iter().any(|p| p == user_id);
    if joined {
        participants.push(user_id.to_owned());
    }
    let status = if request.status == RequestStatus::UNASSIGNED {
        RequestStatus::ASSIGNED
    } else {
        request.status
    };
    if !joined && status == request.status {
        return Ok((request, None));
    }
    let updated = requests::assign(&mut *conn, &request, &participants, status).await?;
    Ok((updated.clone(), Some(updated)))
}

/// Who may close a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closer {
    /// `PUT …/close`: an admin, or an agent taking part in it.
    Staff,
    /// `PUT …/closeg`: the member who started it.
    Requester,
}

/// Closes conversation `request_id` (status 1000, `closed_at`); closing a closed one changes nothing.
pub async fn close(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
    closer: Closer,
) -> Result<RequestRecord, ApiError> {
    let project = access.project.id.as_str();
    let mut tx = store::begin_write(&state.writer).await?;
    let request = requests::find(&mut *tx, project, request_id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    let allowed = match closer {
        Closer::Staff => {
            access.role >= Role::Admin
                || (access.role.sees_all_requests()
                    && request.participants().contains(&access.caller.user.id))
        }
        Closer::Requester => access.started(&request),
    };
    if !allowed {
        return Err(ApiError::Forbidden);
    }
    if request.status == RequestStatus::CLOSED {
        return Ok(request);
    }
    let closed = requests::close(&mut *tx, &request).await?;
    let queued = request_event(&mut tx, &state.cache, events::REQUEST_CLOSE, &closed).await?;
    tx.commit().await?;
    if queued {
        state.webhooks.wake();
    }
    Ok(closed)
}

/// Saves the rating of conversation `request_id`: by who started it, or by an agent and up.
pub async fn rate(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
    rating: &Rating,
) -> Result<RequestRecord, ApiError> {
    if !(1..=5).contains(&rating.rating) {
        return Err(ApiError::field("rating", "The rating must be 1 to 5."));
    }
    let message = rating.rating_message.as_deref();
    if message.is_some_and(|text| text.chars().count() > MAX_RATING_MESSAGE_CHARS) {
        return Err(ApiError::field(
            "rating_message",
            "The rating message is too long.",
        ));
    }
    let project = access.project.id.as_str();
    let mut tx = store::begin_write(&state.writer).await?;
    let request = requests::find(&mut *tx, project, request_id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    if !access.can_see(&request) {
        return Err(ApiError::Forbidden);
    }
    let rated = requests::rate(&mut *tx, &request, rating.rating, message).await?;
    let queued = request_event(&mut tx, &state.cache, events::REQUEST_UPDATE, &rated).await?;
    tx.commit().await?;
    if queued {
        state.webhooks.wake();
    }
    Ok(rated)
}

/// `{"_id":…,"name":…}` of the project's department that `attributes.departmentId` names, if any.
async fn department(
    conn: &mut SqliteConnection,
    project: &str,
    attributes: Option<&Value>,
) -> Result<Option<Value>, ApiError> {
    let Some(id) = attributes
        .and_then(|a| a.get("departmentId"))
        .and_then(Value::as_str)
        .and_then(ObjectId::parse)
    else {
        return Ok(None);
    };
    let found = departments::find(conn, project, id.as_str()).await?;
    Ok(found.map(|d| json!({ "_id": d.id, "name": d.name })))
}

/// The name a visitor gave itself (`attributes.userFullname`, as the widget's pre-chat form sends it).
fn given_name(attributes: Option<&Value>) -> Option<String> {
    attributes
        .and_then(|a| a.get("userFullname"))
        .and_then(Value::as_str)
        .and_then(|name| parse_name(name).ok())
        .filter(|name| !name.is_empty())
}

/// The lead (contact) of a new conversation: who started it, with the name it gave itself
/// (`given_name`) else `fullname`.
fn lead(user: &UserRecord, fullname: &str, project: &str, attributes: Option<&Value>) -> Value {
    let attribute = |key: &str| attributes.and_then(|a| a.get(key)).and_then(Value::as_str);
    let email = user
        .email
        .clone()
        .or_else(|| attribute("userEmail").map(str::to_owned));
    let fullname = given_name(attributes).unwrap_or_else(|| fullname.to_owned());
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
