//! One WebSocket connection: subscribe/unsubscribe frames, heartbeats, pings, and forwarding of
//! publications (to each subscriber only what its role lets it see).

use std::collections::{HashMap, HashSet};

use axum::body::Bytes;
use axum::extract::ws::{Message as WsMessage, Utf8Bytes, WebSocket};
use serde_json::Value;
use tiledesk_protocol::{Frame, Publication, PublishMethod};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{self, Instant};

use crate::auth::Caller;
use crate::domain::ids::ProjectId;
use crate::domain::role::Role;
use crate::domain::topic::{requests_name, EventsTopic, MessagesTopic, Topic};
use crate::state::AppState;
use crate::store::messages::Audience;
use crate::store::{members, messages, requests};

/// Messages carried by the first frame after a subscribe.
const MAX_INITIAL_MESSAGES: u32 = 300;
/// Open requests carried by the first frame of a project's requests topic.
const MAX_INITIAL_REQUESTS: u32 = 300;
/// Topics one connection may follow at once.
const MAX_SUBSCRIPTIONS: usize = 100;
/// Frames waiting to be written before publishers wait.
const OUTBOX_CAPACITY: usize = 64;

/// Serves one connection until the client leaves, stays silent for two ping intervals, or fails.
pub async fn run(mut socket: WebSocket, state: AppState, caller: Caller) {
    let (outbox, mut outgoing) = mpsc::channel::<Utf8Bytes>(OUTBOX_CAPACITY);
    let mut subscriptions: HashMap<String, JoinHandle<()>> = HashMap::new();
    let interval = state.ws_ping;
    let mut ticker = time::interval_at(Instant::now() + interval, interval);
    let mut last_heard = Instant::now();
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(Ok(message)) = incoming else { break };
                last_heard = Instant::now();
                match message {
                    WsMessage::Text(text) => {
                        let reply = handle_frame(&text, &state, &caller, &outbox, &mut subscriptions);
                        if let Some(reply) = reply {
                            if socket.send(WsMessage::Text(reply)).await.is_err() {
                                break;
                            }
                        }
                    }
                    WsMessage::Close(_) => break,
                    WsMessage::Binary(_) | WsMessage::Ping(_) | WsMessage::Pong(_) => {}
                }
            }
            Some(frame) = outgoing.recv() => {
                if socket.send(WsMessage::Text(frame)).await.is_err() {
                    break;
                }
            }
            _ = ticker.tick() => {
                if last_heard.elapsed() >= interval * 2 {
                    tracing::info!(user = %caller.user.id, "dropping a silent websocket client");
                    break;
                }
                if socket.send(WsMessage::Ping(Bytes::new())).await.is_err() {
                    break;
                }
            }
        }
    }
    for task in subscriptions.into_values() {
        task.abort();
    }
}

/// Acts on one client frame; returns the direct answer, if any.
fn handle_frame(
    text: &str,
    state: &AppState,
    caller: &Caller,
    outbox: &mpsc::Sender<Utf8Bytes>,
    subscriptions: &mut HashMap<String, JoinHandle<()>>,
) -> Option<Utf8Bytes> {
    let frame: Frame = match serde_json::from_str(text) {
        Ok(frame) => frame,
        Err(error) => {
            tracing::debug!(%error, "ignoring an unreadable websocket frame");
            return None;
        }
    };
    match frame {
        Frame::Heartbeat(_) => serde_json::to_string(&Frame::heartbeat("pong"))
            .ok()
            .map(Utf8Bytes::from),
        Frame::Subscribe(payload) => {
            subscriptions.retain(|_, task| !task.is_finished());
            let Some(topic) = Topic::parse(&payload.topic) else {
                tracing::debug!(topic = %payload.topic, "ignoring a subscription to an unknown topic");
                return None;
            };
            if subscriptions.contains_key(&payload.topic)
                || subscriptions.len() >= MAX_SUBSCRIPTIONS
            {
                return None;
            }
            let (state, user, outbox) = (state.clone(), caller.user.id.clone(), outbox.clone());
            let task = match topic {
                Topic::Messages(topic) => tokio::spawn(follow(state, user, topic, outbox)),
                Topic::Events(topic) => tokio::spawn(follow_events(state, user, topic, outbox)),
                Topic::Request(topic) => tokio::spawn(follow_request(state, user, topic, outbox)),
                Topic::Requests(project) => {
                    tokio::spawn(follow_requests(state, user, project, outbox))
                }
            };
            subscriptions.insert(payload.topic, task);
            None
        }
        Frame::Unsubscribe(payload) => {
            if let Some(task) = subscriptions.remove(&payload.topic) {
                task.abort();
            }
            None
        }
        Frame::Publish(_) | Frame::Typing(_) => None,
    }
}

/// The role of `user_id` in `project`, if a member (errors are logged).
async fn role_in(state: &AppState, project: &str, user_id: &str) -> Option<Role> {
    match members::role_of(&state.db, project, user_id).await {
        Ok(role) => role,
        Err(error) => {
            tracing::error!(%error, "websocket subscription");
            None
        }
    }
}

/// Sends the first frame of a subscription, carrying `message`: whether the client still listens.
async fn send_first(outbox: &mpsc::Sender<Utf8Bytes>, topic: String, message: Value) -> bool {
    let first = Frame::Publish(Publication {
        topic,
        method: PublishMethod::Create,
        message,
    });
    match serde_json::to_string(&first) {
        Ok(first) => outbox.send(first.into()).await.is_ok(),
        Err(_) => false,
    }
}

/// Follows a messages topic for `user_id`: checks access, sends the current messages, then each new one.
/// Members below agent only get conversations they started, and never agents' private notes;
/// anyone else is silently ignored.
async fn follow(
    state: AppState,
    user_id: String,
    topic: MessagesTopic,
    outbox: mpsc::Sender<Utf8Bytes>,
) {
    let name = topic.name();
    let project = topic.project.as_str();
    let request_id = topic.request.as_str();
    let Some(role) = role_in(&state, project, &user_id).await else {
        return;
    };
    let audience = if role.sees_all_requests() {
        Audience::Staff
    } else {
        Audience::Visitor
    };
    let only_requester = (!role.sees_all_requests()).then_some(user_id);
    // Subscribe before reading the current state, so nothing published in between is lost.
    let mut subscription = state.hub.subscribe(&name);
    let current = match requests::find(&state.db, project, request_id).await {
        Ok(Some(request)) => {
            if only_requester
                .as_ref()
                .is_some_and(|owner| *owner != request.requester_id)
            {
                return;
            }
            messages::latest(
                &state.db,
                project,
                request_id,
                audience,
                MAX_INITIAL_MESSAGES,
            )
            .await
        }
        Ok(None) => Ok(Vec::new()),
        Err(error) => Err(error),
    };
    let current = match current {
        Ok(current) => current,
        Err(error) => {
            tracing::error!(%error, "websocket subscription");
            return;
        }
    };
    let already_sent: HashSet<String> = current.iter().map(|m| m.id.clone()).collect();
    let current = current
        .iter()
        .filter_map(|m| serde_json::to_value(m.to_wire()).ok())
        .collect();
    if !send_first(&outbox, name, Value::Array(current)).await {
        return;
    }
    let visitor = only_requester.is_some();
    while let Some(event) = subscription.next().await {
        let foreign = only_requester
            .as_ref()
            .is_some_and(|owner| *owner != event.requester_id);
        if foreign || (visitor && event.staff_only) || already_sent.contains(&event.message_id) {
            continue;
        }
        if outbox.send(event.frame.clone()).await.is_err() {
            return;
        }
    }
}

/// Follows one request's topic for `user_id`: its agents and up, or the member who started it.
/// The first frame is the request (`null` while it does not exist), then each change.
async fn follow_request(
    state: AppState,
    user_id: String,
    topic: MessagesTopic,
    outbox: mpsc::Sender<Utf8Bytes>,
) {
    let project = topic.project.as_str();
    let Some(role) = role_in(&state, project, &user_id).await else {
        return;
    };
    let only_requester = (!role.sees_all_requests()).then_some(user_id);
    let name = topic.request_name();
    let mut subscription = state.hub.subscribe(&name);
    let current = match requests::find(&state.db, project, topic.request.as_str()).await {
        Ok(current) => current,
        Err(error) => {
            tracing::error!(%error, "websocket subscription");
            return;
        }
    };
    let owner = |requester: &str| only_requester.as_deref().is_none_or(|me| me == requester);
    if current.as_ref().is_some_and(|r| !owner(&r.requester_id)) {
        return;
    }
    let current = current
        .and_then(|r| serde_json::to_value(r.to_wire()).ok())
        .unwrap_or(Value::Null);
    if !send_first(&outbox, name, current).await {
        return;
    }
    while let Some(event) = subscription.next().await {
        if owner(&event.requester_id) && outbox.send(event.frame.clone()).await.is_err() {
            return;
        }
    }
}

/// Follows every request of a project for `user_id`, an agent or up (anyone else is ignored):
/// the open requests, last changed first, then each new request and change.
async fn follow_requests(
    state: AppState,
    user_id: String,
    project: ProjectId,
    outbox: mpsc::Sender<Utf8Bytes>,
) {
    let staff = role_in(&state, project.as_str(), &user_id)
        .await
        .is_some_and(Role::sees_all_requests);
    if !staff {
        return;
    }
    let name = requests_name(&project);
    let mut subscription = state.hub.subscribe(&name);
    let current = match requests::open(&state.db, project.as_str(), MAX_INITIAL_REQUESTS).await {
        Ok(current) => current,
        Err(error) => {
            tracing::error!(%error, "websocket subscription");
            return;
        }
    };
    let current = current
        .iter()
        .filter_map(|r| serde_json::to_value(r.to_wire()).ok())
        .collect();
    if !send_first(&outbox, name, Value::Array(current)).await {
        return;
    }
    while let Some(event) = subscription.next().await {
        if outbox.send(event.frame.clone()).await.is_err() {
            return;
        }
    }
}

/// Follows the custom events of one project member for `user_id`: the member themselves, or an
/// agent and up of the project. Only events fired from now on are sent.
async fn follow_events(
    state: AppState,
    user_id: String,
    topic: EventsTopic,
    outbox: mpsc::Sender<Utf8Bytes>,
) {
    let member = match members::find(&state.db, topic.project.as_str(), &user_id).await {
        Ok(Some(member)) => member,
        Ok(None) => return,
        Err(error) => {
            tracing::error!(%error, "websocket subscription");
            return;
        }
    };
    if !member.role.sees_all_requests() && member.id != topic.project_user.as_str() {
        return;
    }
    let mut subscription = state.hub.subscribe(&topic.name());
    while let Some(event) = subscription.next().await {
        if outbox.send(event.frame.clone()).await.is_err() {
            return;
        }
    }
}
