//! One WebSocket connection: subscribe/unsubscribe frames, heartbeats, pings, and forwarding of publications.

use std::collections::{HashMap, HashSet};

use axum::body::Bytes;
use axum::extract::ws::{Message as WsMessage, Utf8Bytes, WebSocket};
use serde_json::Value;
use tiledesk_protocol::{Frame, Publication, PublishMethod};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{self, Instant};

use crate::auth::Caller;
use crate::domain::topic::{EventsTopic, MessagesTopic, Topic};
use crate::state::AppState;
use crate::store::{members, messages, requests};

/// Messages carried by the first frame after a subscribe.
const MAX_INITIAL_MESSAGES: u32 = 300;
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
        Frame::Publish(_) => None,
    }
}

/// Follows a messages topic for `user_id`: checks access, sends the current messages, then each new one.
/// Members below agent only get conversations they started; anyone else is silently ignored.
async fn follow(
    state: AppState,
    user_id: String,
    topic: MessagesTopic,
    outbox: mpsc::Sender<Utf8Bytes>,
) {
    let name = topic.name();
    let project = topic.project.as_str();
    let request_id = topic.request.as_str();
    let role = match members::role_of(&state.db, project, &user_id).await {
        Ok(Some(role)) => role,
        Ok(None) => return,
        Err(error) => {
            tracing::error!(%error, "websocket subscription");
            return;
        }
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
            messages::latest(&state.db, project, request_id, MAX_INITIAL_MESSAGES).await
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
    let first = Frame::Publish(Publication {
        topic: name,
        method: PublishMethod::Create,
        message: Value::Array(
            current
                .iter()
                .filter_map(|m| serde_json::to_value(m.to_wire()).ok())
                .collect(),
        ),
    });
    let Ok(first) = serde_json::to_string(&first) else {
        return;
    };
    if outbox.send(first.into()).await.is_err() {
        return;
    }
    while let Some(event) = subscription.next().await {
        let foreign = only_requester
            .as_ref()
            .is_some_and(|owner| *owner != event.requester_id);
        if foreign || already_sent.contains(&event.message_id) {
            continue;
        }
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
