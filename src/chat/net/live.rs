//! Live updates of one conversation (its messages and their receipts, the other side's typing, and
//! its closing by an agent or a bot): the server WebSocket when it accepts the visitor, polling
//! when it does not (a real Tiledesk server), reconnecting with back-off and catching up after
//! every gap. The visitor's own typing goes out on the socket while there is one.

use futures::channel::mpsc::UnboundedReceiver;
use futures::future::{select, Either};
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::{futures::WebSocket, Message as SocketMessage, State};
use gloo_timers::future::TimeoutFuture;
use tiledesk_protocol::realtime::{messages_topic, request_topic, typing_topic, Typing};
use tiledesk_protocol::{Frame, Message, Request, RequestStatus};

use super::api;
use crate::core::live_policy::{
    polls_before_retry, socket_url, HEARTBEAT_INTERVAL_MS, POLL_INTERVAL_MS,
    SOCKET_OPEN_TIMEOUT_MS, STILL_WANTED_CHECK_MS,
};

/// Where and as whom to follow a conversation.
#[derive(Debug, Clone)]
pub struct Follow {
    pub api_base: String,
    pub token: String,
    pub project_id: String,
    pub request_id: String,
}

/// What following a conversation brings.
pub enum Update {
    /// A batch of messages: the whole history first, the state after each (re)connection, then
    /// each new one.
    Messages(Vec<Message>),
    /// The conversation was closed (by an agent, a bot, or the visitor elsewhere).
    Closed,
    /// Someone started or stopped typing (the server tells only of others).
    Typing(Typing),
}

/// Follows the conversation for as long as `still_wanted` says so, handing every update to
/// `deliver` and sending the frames that arrive on `outgoing` (dropped while there is no socket).
pub async fn follow(
    target: Follow,
    still_wanted: impl Fn() -> bool,
    deliver: impl Fn(Update),
    mut outgoing: UnboundedReceiver<Frame>,
) {
    // The whole conversation once (the socket's first frame carries only its newest 300 messages).
    if !catch_up(&target, &deliver).await {
        return;
    }
    let mut failures = 0;
    while still_wanted() {
        match socket_url(&target.api_base, &target.token) {
            Some(url)
                if run_socket(&url, &target, &still_wanted, &deliver, &mut outgoing).await =>
            {
                failures = 0
            }
            _ => failures += 1,
        }
        for _ in 0..polls_before_retry(failures) {
            if !still_wanted() {
                return;
            }
            if !catch_up(&target, &deliver).await {
                // The token is no longer accepted: following stops until the visitor signs in again.
                return;
            }
            if closed(&target).await {
                deliver(Update::Closed);
            }
            // Typing is news only while it happens: without a socket it is not sent at all.
            while outgoing.try_recv().is_ok() {}
            TimeoutFuture::new(POLL_INTERVAL_MS).await;
        }
    }
}

/// Whether the conversation is closed, as the visitor's own requests (`GET /:pid/requests/me`) say.
async fn closed(target: &Follow) -> bool {
    api::my_conversations(&target.api_base, &target.token, &target.project_id)
        .await
        .is_ok_and(|page| {
            page.requests
                .iter()
                .any(|r| r.request_id == target.request_id && r.status == RequestStatus::CLOSED)
        })
}

/// Fetches the whole conversation over REST and delivers it; `false` once the token is refused.
async fn catch_up(target: &Follow, deliver: &impl Fn(Update)) -> bool {
    match api::messages(
        &target.api_base,
        &target.token,
        &target.project_id,
        &target.request_id,
    )
    .await
    {
        Ok(messages) => deliver(Update::Messages(messages)),
        Err(api::ApiError::Unauthorized) => return false,
        Err(_) => {}
    }
    true
}

/// Runs one socket session until it drops or its conversation is no longer wanted (the socket is
/// closed then); `false` if the socket never opened.
async fn run_socket(
    url: &str,
    target: &Follow,
    still_wanted: &impl Fn() -> bool,
    deliver: &impl Fn(Update),
    outgoing_frames: &mut UnboundedReceiver<Frame>,
) -> bool {
    let Ok(socket) = WebSocket::open(url) else {
        return false;
    };
    let mut waited = 0;
    while matches!(socket.state(), State::Connecting) && waited < SOCKET_OPEN_TIMEOUT_MS {
        TimeoutFuture::new(100).await;
        waited += 100;
    }
    if !matches!(socket.state(), State::Open) {
        let _ = socket.close(None, None);
        return false;
    }
    let (mut outgoing, mut incoming) = socket.split();
    let request = request_topic(&target.project_id, &target.request_id);
    let typing = typing_topic(&target.project_id, &target.request_id);
    for topic in [
        messages_topic(&target.project_id, &target.request_id),
        request.clone(),
        typing.clone(),
    ] {
        if send(&mut outgoing, &Frame::subscribe(topic)).await.is_err() {
            return true;
        }
    }
    let mut idle_ms = 0;
    while still_wanted() {
        let wait = select(
            outgoing_frames.next(),
            TimeoutFuture::new(STILL_WANTED_CHECK_MS),
        );
        match select(incoming.next(), wait).await {
            Either::Left((Some(Ok(SocketMessage::Text(text))), _)) => {
                idle_ms = 0;
                match serde_json::from_str::<Frame>(&text) {
                    Ok(Frame::Publish(publication)) if publication.topic == typing => {
                        if let Ok(typing) = serde_json::from_value(publication.message) {
                            deliver(Update::Typing(typing));
                        }
                    }
                    Ok(Frame::Publish(publication)) if publication.topic == request => {
                        let status = serde_json::from_value::<Request>(publication.message)
                            .map(|request| request.status);
                        if status.is_ok_and(|status| status == RequestStatus::CLOSED) {
                            deliver(Update::Closed);
                        }
                    }
                    Ok(Frame::Publish(publication)) => {
                        deliver(Update::Messages(publication.messages()))
                    }
                    _ => {}
                }
            }
            Either::Left((Some(Ok(SocketMessage::Bytes(_))), _)) => idle_ms = 0,
            Either::Left(_) => break,
            Either::Right((Either::Left((Some(frame), _)), _)) => {
                if send(&mut outgoing, &frame).await.is_err() {
                    break;
                }
            }
            Either::Right((Either::Left((None, _)), _)) => break,
            Either::Right((Either::Right(_), _)) => {
                idle_ms += STILL_WANTED_CHECK_MS;
                if idle_ms < HEARTBEAT_INTERVAL_MS {
                    continue;
                }
                idle_ms = 0;
                if send(&mut outgoing, &Frame::heartbeat("ping"))
                    .await
                    .is_err()
                {
                    break;
                }
            }
        }
    }
    // Dropping both halves closes the socket.
    true
}

async fn send(
    outgoing: &mut futures::stream::SplitSink<WebSocket, SocketMessage>,
    frame: &Frame,
) -> Result<(), gloo_net::websocket::WebSocketError> {
    let text = serde_json::to_string(frame).unwrap_or_default();
    outgoing.send(SocketMessage::Text(text)).await
}
