//! One WebSocket connection: subscribe/unsubscribe frames, heartbeats, pings, typing notices, and
//! forwarding of publications (to each subscriber only what its role lets it see).

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::ws::{Message as WsMessage, Utf8Bytes, WebSocket};
use serde_json::Value;
use tiledesk_protocol::realtime::Typing;
use tiledesk_protocol::{Frame, Publication, PublishMethod};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{self, Instant};

use crate::auth::Caller;
use crate::clock;
use crate::domain::ids::ProjectId;
use crate::domain::role::Role;
use crate::domain::topic::{requests_name, EventsTopic, MessagesTopic, Topic};
use crate::realtime::hub::Event;
use crate::state::AppState;
use crate::store::messages::Audience;
use crate::store::users::UserRecord;
use crate::store::{members, messages, requests};

/// Messages carried by the first frame after a subscribe.
const MAX_INITIAL_MESSAGES: u32 = 300;
/// Open requests carried by the first frame of a project's requests topic.
const MAX_INITIAL_REQUESTS: u32 = 300;
/// Topics one connection may follow at once.
const MAX_SUBSCRIPTIONS: usize = 100;
/// Frames waiting to be written before publishers wait.
const OUTBOX_CAPACITY: usize = 64;
/// Shortest time between two typing notices of one connection on one topic with the same value.
const TYPING_INTERVAL: Duration = Duration::from_secs(1);

/// Numbers the connections, so a typing notice is not sent back to the one it came from.
static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);

/// What one connection keeps: its id, its subscriptions and its last typing notices.
struct Connection {
    id: u64,
    subscriptions: HashMap<String, JoinHandle<()>>,
    /// Per typing topic, the last value published and when.
    typing: HashMap<String, (bool, Instant)>,
}

impl Connection {
    /// Whether a typing notice `typing` on `topic` may go out now: always when the value changes,
    /// else once per [`TYPING_INTERVAL`]; records it when it may.
    fn may_type(&mut self, topic: &str, typing: bool) -> bool {
        let now = Instant::now();
        if let Some((last, at)) = self.typing.get(topic) {
            if *last == typing && now.duration_since(*at) < TYPING_INTERVAL {
                return false;
            }
        }
        if self.typing.len() >= MAX_SUBSCRIPTIONS && !self.typing.contains_key(topic) {
            self.typing
                .retain(|_, (_, at)| now.duration_since(*at) < TYPING_INTERVAL);
            if self.typing.len() >= MAX_SUBSCRIPTIONS {
                return false;
            }
        }
        self.typing.insert(topic.to_owned(), (typing, now));
        true
    }
}

/// Serves one connection until the client leaves, stays silent for two ping intervals, or fails.
pub async fn run(mut socket: WebSocket, state: AppState, caller: Caller) {
    let (outbox, mut outgoing) = mpsc::channel::<Utf8Bytes>(OUTBOX_CAPACITY);
    let mut connection = Connection {
        id: NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed),
        subscriptions: HashMap::new(),
        typing: HashMap::new(),
    };
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
                        let reply = handle_frame(&text, &state, &caller, &outbox, &mut connection);
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
    for task in connection.subscriptions.into_values() {
        task.abort();
    }
}

/// Acts on one client frame; returns the direct answer, if any.
fn handle_frame(
    text: &str,
    state: &AppState,
    caller: &Caller,
    outbox: &mpsc::Sender<Utf8Bytes>,
    connection: &mut Connection,
) -> Option<Utf8Bytes> {
    let subscriptions = &mut connection.subscriptions;
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
                Topic::Typing(topic) => {
                    tokio::spawn(follow_typing(state, user, topic, outbox, connection.id))
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
        Frame::Typing(payload) => {
            let Some(Topic::Typing(topic)) = Topic::parse(&payload.topic) else {
                tracing::debug!(topic = %payload.topic, "ignoring typing on a topic that is not a typing topic");
                return None;
            };
            if connection.may_type(&payload.topic, payload.typing) {
                let user = caller.user.clone();
                tokio::spawn(publish_typing(
                    state.clone(),
                    user,
                    topic,
                    payload.typing,
                    connection.id,
                ));
            }
            None
        }
        Frame::Publish(_) => None,
    }
}

/// Whether `user_id` may see the conversation of `topic`: its agents and up, or the member who
/// started it. The conversation's requester (empty while it does not exist, for agents), or `None`.
async fn conversation_access(
    state: &AppState,
    topic: &MessagesTopic,
    user_id: &str,
) -> Option<String> {
    let project = topic.project.as_str();
    let role = role_in(state, project, user_id).await?;
    let request = match requests::find(&state.db, project, topic.request.as_str()).await {
        Ok(request) => request,
        Err(error) => {
            tracing::error!(%error, "websocket typing");
            return None;
        }
    };
    match request {
        Some(request) if role.sees_all_requests() || request.requester_id == user_id => {
            Some(request.requester_id)
        }
        None if role.sees_all_requests() => Some(String::new()),
        _ => None,
    }
}

/// Publishes that `user` started or stopped typing in the conversation of `topic`, if it may see
/// it, to every other connection following the topic.
async fn publish_typing(
    state: AppState,
    user: UserRecord,
    topic: MessagesTopic,
    typing: bool,
    origin: u64,
) {
    let Some(requester) = conversation_access(&state, &topic, &user.id).await else {
        tracing::debug!("ignoring typing in a conversation the caller may not see");
        return;
    };
    let notice = Typing {
        writer_id: user.id.clone(),
        writer_fullname: user.full_name(),
        typing,
        created_at: clock::now_iso(),
    };
    let name = topic.typing_name();
    state.hub.publish(&name, || {
        let value = serde_json::to_value(&notice).unwrap_or_default();
        let mut event = Event::change(
            name.clone(),
            PublishMethod::Update,
            &user.id,
            value,
            &requester,
        );
        event.origin = Some(origin);
        event
    });
}

/// Follows a typing topic for `user_id` on connection `connection`: its agents and up, or the
/// member who started the conversation (anyone else is ignored). Nothing is stored, so there is no
/// first frame; each notice from another connection is sent.
async fn follow_typing(
    state: AppState,
    user_id: String,
    topic: MessagesTopic,
    outbox: mpsc::Sender<Utf8Bytes>,
    connection: u64,
) {
    if conversation_access(&state, &topic, &user_id)
        .await
        .is_none()
    {
        return;
    }
    let mut subscription = state.hub.subscribe(&topic.typing_name());
    while let Some(event) = subscription.next().await {
        if event.origin != Some(connection) && outbox.send(event.frame.clone()).await.is_err() {
            return;
        }
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
        // Only a CREATE can repeat the first frame: a change (a read receipt) always goes out.
        let repeated =
            event.method == PublishMethod::Create && already_sent.contains(&event.message_id);
        if foreign || (visitor && event.staff_only) || repeated {
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
