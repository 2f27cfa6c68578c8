//! Changing a conversation: the first message creates the request and its lead (for the
//! department its `attributes.departmentId` names, routed as that department routes), agents join
//! it, retries are not stored twice, a message showing an upload shares it with the conversation; closing, rating and reopening. Each change queues its
//! webhooks in its own transaction and is published on the request's topics once committed.

use std::sync::Arc;

use serde_json::{json, Value};
use sqlx::{Sqlite, SqliteConnection, Transaction};
use tiledesk_protocol::{NewMessage, PublishMethod, Rating, RequestStatus};

use crate::cache::Cache;
use crate::domain::account::{parse_name, Email};
use crate::domain::ids::{ObjectId, ProjectId, RequestId};
use crate::domain::role::Role;
use crate::domain::topic::{requests_name, MessagesTopic};
use crate::domain::upload::UploadPath;
use crate::error::ApiError;
use crate::extract::ProjectAccess;
use crate::realtime::hub::Event;
use crate::routing::{self, Target};
use crate::state::AppState;
use crate::store::departments::{self, DepartmentRecord};
use crate::store::leads::{self, Contact};
use crate::store::messages::{self, MessageRecord, NewMessageRecord};
use crate::store::projects::ProjectRecord;
use crate::store::requests::{self, NewRequest, RequestRecord};
use crate::store::uploads;
use crate::store::users::UserRecord;
use crate::store::{self};
use crate::webhooks::{self, events};

/// Longest accepted message `type`.
const MAX_KIND_LEN: usize = 64;
/// Longest accepted client message id.
const MAX_CLIENT_ID_LEN: usize = 200;
/// Longest accepted message text, in characters (400 Ki, within the 500 KB body limit).
pub const MAX_TEXT_CHARS: usize = 400 * 1024;
/// Longest accepted rating message, in characters.
const MAX_RATING_MESSAGE_CHARS: usize = 2_000;
/// The attribute that makes a message an info (`info`, `info/support`) or `private` message.
const SUBTYPE: &str = "subtype";
/// The only subtype a visitor may send, and only on an intent or a button's action: the Tiledesk
/// widget's intent message (`tiledesk_hiddenMessage`, `startConversation(text)`: a `/`-prefixed
/// text that starts a bot flow) and an action button's label without `show_echo` (with
/// `attributes.action`) are `info` messages; any other `info` text from a visitor would read as a
/// system notice.
const VISITOR_SUBTYPE: &str = "info";

/// Whether a visitor may post `text` with `attributes`: no `subtype`, or `info` on an intent (a
/// `/`-prefixed text) or a button's action (`attributes.action`).
pub fn visitor_may_post(text: &str, attributes: Option<&Value>) -> bool {
    let Some(subtype) = attributes.and_then(|a| a.get(SUBTYPE)) else {
        return true;
    };
    let action = attributes
        .and_then(|a| a.get("action"))
        .and_then(Value::as_str)
        .is_some_and(|action| !action.trim().is_empty());
    let intent = text.trim_start().starts_with('/') || action;
    subtype.is_null() || (intent && subtype == VISITOR_SUBTYPE)
}

/// A stored message and its conversation after a post.
pub struct Posted {
    pub message: MessageRecord,
    pub request: RequestRecord,
    /// Whether the post created the conversation (CREATE) or changed it (UPDATE: an agent joined).
    pub request_change: Option<PublishMethod>,
}

/// Stores `body` in conversation `request_id` of the caller's project and publishes it.
///
/// A client id (`attributes.clientMessageId`) seen before in the conversation returns the stored
/// message instead. Below agent, a member may only post to a conversation it started (or start a
/// new one), signs with its own name (the one it gave, `attributes.userFullname`, else its user's;
/// `senderFullname` is ignored) and may set no `attributes.subtype` but `info` on an intent or an
/// action (422):
/// only agents and the system write notices and `private` messages.
pub async fn post(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
    body: NewMessage,
) -> Result<Posted, ApiError> {
    let user = &access.caller.user;
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
    if !staff && !visitor_may_post(text, body.attributes.as_ref()) {
        return Err(ApiError::field(
            "attributes",
            "Only agents may set attributes.subtype (info notices, info/support, private): \
             a visitor's message is an ordinary message, or an info intent (a text starting with /) or action.",
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
        project: access.project.clone(),
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
    if !fresh {
        return Ok(posted);
    }
    if let Some(method) = posted.request_change {
        publish_request(state, &posted.request, method);
    }
    let Posted {
        message, request, ..
    } = &posted;
    let topic = MessagesTopic::new(access.project_id.clone(), request_id.clone()).name();
    state.hub.publish(&topic, || {
        Event::created(topic.clone(), &message.to_wire(), &request.requester_id)
    });
    Ok(posted)
}

/// Publishes `request`, created or changed, on its project's requests topic (agents) and on its
/// own topic (its agents and the member who started it).
pub fn publish_request(state: &AppState, request: &RequestRecord, method: PublishMethod) {
    let (Some(project), Some(request_id)) = (
        ProjectId::parse(&request.project_id),
        RequestId::parse(&request.request_id),
    ) else {
        return;
    };
    let own = MessagesTopic::new(project.clone(), request_id).request_name();
    let wire = serde_json::to_value(request.to_wire()).unwrap_or_default();
    for topic in [requests_name(&project), own] {
        state.hub.publish(&topic, || {
            Event::change(
                topic.clone(),
                method,
                &request.id,
                wire.clone(),
                &request.requester_id,
            )
        });
    }
}

/// A post, checked and owned, ready for the writer.
struct Checked {
    project: ProjectRecord,
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
    let project = post.project.id.as_str();
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
                        let posted = Posted {
                            message,
                            request: request.clone(),
                            request_change: None,
                        };
                        return Ok((posted, false, false));
                    }
                }
                return Err(ApiError::TextRequired);
            }
        }
        None if !post.has_text => return Err(ApiError::TextRequired),
        None if messages::is_private(post.attributes.as_ref()) => {
            return Err(ApiError::field(
                "attributes",
                "A private note cannot start a conversation: post it to an existing one.",
            ))
        }
        None => {}
    }
    let mut queued = false;
    let mut request_change = None;
    let request = match existing {
        Some(request) => request,
        None => {
            request_change = Some(PublishMethod::Create);
            let (request, lead_queued) = start_request(&mut *conn, cache, post).await?;
            queued |= lead_queued;
            queued |= request_event(&mut *conn, cache, &[events::REQUEST_CREATE], &request).await?;
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
        let posted = Posted {
            message,
            request,
            request_change: None,
        };
        return Ok((posted, false, false));
    };
    // A message showing an upload (`metadata.src`) lets the conversation's visitor read it; only
    // its uploader, or an agent, can share it so.
    let src = post
        .metadata
        .as_ref()
        .and_then(|m| m.get("src"))
        .and_then(Value::as_str);
    if let Some(path) = src.and_then(UploadPath::from_src) {
        let staff = post.role.sees_all_requests();
        uploads::link(
            &mut *conn,
            project,
            request_id.as_str(),
            path.as_str(),
            &user.id,
            staff,
        )
        .await?;
    }
    let (request, updated) = join_if_agent(&mut *conn, post.role, &user.id, request).await?;
    if let Some(updated) = &updated {
        let events = [events::REQUEST_UPDATE, events::REQUEST_PARTICIPANTS_UPDATE];
        queued |= request_event(&mut *conn, cache, &events, updated).await?;
        request_change.get_or_insert(PublishMethod::Update);
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
    let posted = Posted {
        message,
        request,
        request_change,
    };
    Ok((posted, true, queued))
}

/// Makes the conversation a post starts: its lead (new or known, with `lead.create` queued for a
/// new one), its department, the agent it is routed to; whether webhooks were queued.
async fn start_request(
    conn: &mut SqliteConnection,
    cache: &Cache,
    post: &Checked,
) -> Result<(RequestRecord, bool), ApiError> {
    let project = post.project.id.as_str();
    let user = &post.user;
    let attributes = post.attributes.as_ref();
    let attribute = |key: &str| attributes.and_then(|a| a.get(key)).and_then(Value::as_str);
    let email = user.email.clone().or_else(|| {
        attribute("userEmail")
            .and_then(|raw| Email::parse(raw).ok())
            .map(|e| e.as_str().to_owned())
    });
    let fullname = given_name(attributes).unwrap_or_else(|| post.sender_fullname.clone());
    let empty = json!({});
    let (lead, new_lead) = leads::ensure(
        &mut *conn,
        &Contact {
            project,
            user: &user.id,
            fullname: Some(&fullname),
            email: email.as_deref(),
            attributes: attributes.filter(|a| a.is_object()).unwrap_or(&empty),
        },
    )
    .await?;
    let lead_value = lead.to_value();
    let mut queued = false;
    if new_lead {
        queued |= webhooks::enqueue(
            &mut *conn,
            cache,
            project,
            &[events::LEAD_CREATE],
            &lead_value,
        )
        .await?;
    }
    let department = department(&mut *conn, project, attributes).await?;
    let agent = match &department {
        Some(department) => {
            routing::next_agent(&mut *conn, &post.project, Target::Department(department)).await?
        }
        None => None,
    };
    let participants: Vec<String> = agent.into_iter().map(|a| a.user_id).collect();
    let request = requests::insert(
        &mut *conn,
        &NewRequest {
            project,
            request_id: post.request_id.as_str(),
            first_text: &post.text,
            requester: &user.id,
            lead: &lead_value,
            lead_id: &lead.id,
            attributes,
            department: department.as_ref().map(department_ref).as_ref(),
            participants: &participants,
        },
    )
    .await?;
    Ok((request, queued))
}

/// `{"_id":…,"name":…}`: how a request names its department.
pub fn department_ref(department: &DepartmentRecord) -> Value {
    json!({ "_id": department.id, "name": department.name })
}

/// Queues the `events` webhooks of `request`.
async fn request_event(
    tx: &mut SqliteConnection,
    cache: &Cache,
    events: &[&str],
    request: &RequestRecord,
) -> Result<bool, ApiError> {
    let payload = serde_json::to_value(request.to_wire()).map_err(ApiError::internal)?;
    Ok(webhooks::enqueue(tx, cache, &request.project_id, events, &payload).await?)
}

/// Starts the write transaction of a change to request `request_id` of the caller's project: the
/// transaction and the request (404 when unknown).
pub async fn begin_change(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
) -> Result<(Transaction<'static, Sqlite>, RequestRecord), ApiError> {
    let mut tx = store::begin_write(&state.writer).await?;
    let request = requests::find(&mut *tx, &access.project.id, request_id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok((tx, request))
}

/// Queues the `events` webhooks of the changed `request`, commits, wakes the webhook worker and
/// publishes the change.
pub async fn finish_change(
    state: &AppState,
    mut tx: Transaction<'static, Sqlite>,
    request: &RequestRecord,
    events: &[&str],
) -> Result<(), ApiError> {
    let queued = request_event(&mut tx, &state.cache, events, request).await?;
    tx.commit().await?;
    if queued {
        state.webhooks.wake();
    }
    publish_request(state, request, PublishMethod::Update);
    Ok(())
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
    let (tx, request) = begin_change(state, access, request_id).await?;
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
    let mut tx = tx;
    let closed = requests::close(&mut *tx, &request).await?;
    finish_change(state, tx, &closed, &[events::REQUEST_CLOSE]).await?;
    Ok(closed)
}

/// Reopens a closed conversation (agents and up): assigned again when it has participants, else
/// unassigned; an open one is left as it is.
pub async fn reopen(
    state: &AppState,
    access: &ProjectAccess,
    request_id: &RequestId,
) -> Result<RequestRecord, ApiError> {
    access.require(Role::Agent)?;
    let (mut tx, request) = begin_change(state, access, request_id).await?;
    if request.status != RequestStatus::CLOSED {
        return Ok(request);
    }
    let reopened = requests::reopen(&mut *tx, &request).await?;
    let events = [events::REQUEST_UPDATE, events::REQUEST_REOPEN];
    finish_change(state, tx, &reopened, &events).await?;
    Ok(reopened)
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
    let (mut tx, request) = begin_change(state, access, request_id).await?;
    if !access.can_see(&request) {
        return Err(ApiError::Forbidden);
    }
    let rated = requests::rate(&mut *tx, &request, rating.rating, message).await?;
    finish_change(state, tx, &rated, &[events::REQUEST_UPDATE]).await?;
    Ok(rated)
}

/// The project's department that `attributes.departmentId` names, if any.
async fn department(
    conn: &mut SqliteConnection,
    project: &str,
    attributes: Option<&Value>,
) -> Result<Option<DepartmentRecord>, ApiError> {
    let Some(id) = attributes
        .and_then(|a| a.get("departmentId"))
        .and_then(Value::as_str)
        .and_then(ObjectId::parse)
    else {
        return Ok(None);
    };
    Ok(departments::find(conn, project, id.as_str()).await?)
}

/// The name a visitor gave itself (`attributes.userFullname`, as the widget's pre-chat form sends it).
fn given_name(attributes: Option<&Value>) -> Option<String> {
    attributes
        .and_then(|a| a.get("userFullname"))
        .and_then(Value::as_str)
        .and_then(|name| parse_name(name).ok())
        .filter(|name| !name.is_empty())
}
