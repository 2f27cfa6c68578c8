//! The console's one WebSocket: the topics it wants (subscribed again after each reconnection),
//! heartbeats, typing frames, and every publication handed to the console.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use futures::channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use futures::future::{select, Either};
use futures::{SinkExt, StreamExt};
use gloo_net::websocket::{futures::WebSocket, Message as SocketMessage, State};
use gloo_timers::future::TimeoutFuture;
use tiledesk_protocol::{Frame, Publication, TypingPayload};
use wasm_bindgen_futures::spawn_local;

/// Milliseconds between heartbeats on a quiet socket.
const HEARTBEAT_MS: u32 = 20_000;
/// Milliseconds a socket has to open.
const OPEN_TIMEOUT_MS: u32 = 5_000;
/// Longest wait before reconnecting, in milliseconds.
const MAX_BACKOFF_MS: u32 = 10_000;

/// What the socket brings.
pub enum LiveEvent {
    /// (Re)connected and subscribed: what happened meanwhile arrives as first frames.
    Connected,
    Disconnected,
    Publication(Publication),
}

/// A running connection.
#[derive(Clone)]
pub struct Live {
    frames: UnboundedSender<Frame>,
    topics: Rc<RefCell<BTreeSet<String>>>,
    running: Rc<Cell<bool>>,
}

impl Live {
    /// Connects with `token` (`JWT …`) and keeps connecting until stopped.
    pub fn start(token: String, deliver: impl Fn(LiveEvent) + 'static) -> Live {
        let (frames, outgoing) = unbounded();
        let live = Live {
            frames,
            topics: Rc::default(),
            running: Rc::new(Cell::new(true)),
        };
        spawn_local(run(live.clone(), token, outgoing, deliver));
        live
    }

    /// Follows `topic` (again after every reconnection).
    pub fn subscribe(&self, topic: String) {
        if self.topics.borrow_mut().insert(topic.clone()) {
            let _ = self.frames.unbounded_send(Frame::subscribe(topic));
        }
    }

    /// Stops following `topic`.
    pub fn unsubscribe(&self, topic: &str) {
        if self.topics.borrow_mut().remove(topic) {
            let payload = tiledesk_protocol::realtime::TopicPayload {
                topic: topic.to_owned(),
            };
            let _ = self.frames.unbounded_send(Frame::Unsubscribe(payload));
        }
    }

    /// Whether `topic` is followed.
    pub fn follows(&self, topic: &str) -> bool {
        self.topics.borrow().contains(topic)
    }

    /// Tells the others on `topic` (a typing topic) whether the agent types.
    pub fn typing(&self, topic: String, typing: bool) {
        let _ = self
            .frames
            .unbounded_send(Frame::Typing(TypingPayload { topic, typing }));
    }

    /// Closes the connection for good.
    pub fn stop(&self) {
        self.running.set(false);
        self.frames.close_channel();
    }
}

fn socket_url(token: &str) -> String {
    let base = super::api::base();
    let ws = base
        .strip_prefix("https://")
        .map(|rest| format!("wss://{rest}"))
        .or_else(|| {
            base.strip_prefix("http://")
                .map(|rest| format!("ws://{rest}"))
        })
        .unwrap_or(base);
    format!("{ws}?token={}", js_sys::encode_uri_component(token))
}

async fn run(
    live: Live,
    token: String,
    mut outgoing: UnboundedReceiver<Frame>,
    deliver: impl Fn(LiveEvent),
) {
    let mut backoff = 500;
    while live.running.get() {
        if session(&live, &token, &mut outgoing, &deliver).await {
            backoff = 500;
        }
        if !live.running.get() {
            break;
        }
        deliver(LiveEvent::Disconnected);
        TimeoutFuture::new(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF_MS);
    }
}

/// One connection, until it drops: whether it opened.
async fn session(
    live: &Live,
    token: &str,
    outgoing: &mut UnboundedReceiver<Frame>,
    deliver: &impl Fn(LiveEvent),
) -> bool {
    let Ok(socket) = WebSocket::open(&socket_url(token)) else {
        return false;
    };
    let mut waited = 0;
    while matches!(socket.state(), State::Connecting) && waited < OPEN_TIMEOUT_MS {
        TimeoutFuture::new(50).await;
        waited += 50;
    }
    if !matches!(socket.state(), State::Open) {
        let _ = socket.close(None, None);
        return false;
    }
    // Frames queued while disconnected are stale: the topics are subscribed again below.
    while outgoing.try_recv().is_ok() {}
    let (mut sink, mut incoming) = socket.split();
    let topics: Vec<String> = live.topics.borrow().iter().cloned().collect();
    for topic in topics {
        if send(&mut sink, &Frame::subscribe(topic)).await.is_err() {
            return true;
        }
    }
    deliver(LiveEvent::Connected);
    let mut quiet_ms = 0;
    while live.running.get() {
        let next = select(incoming.next(), outgoing.next());
        match select(next, TimeoutFuture::new(1000)).await {
            Either::Left((Either::Left((Some(Ok(SocketMessage::Text(text))), _)), _)) => {
                if let Ok(Frame::Publish(publication)) = serde_json::from_str(&text) {
                    deliver(LiveEvent::Publication(publication));
                }
            }
            Either::Left((Either::Left((Some(Ok(_)), _)), _)) => {}
            Either::Left((Either::Left((_, _)), _)) => break,
            Either::Left((Either::Right((Some(frame), _)), _)) => {
                quiet_ms = 0;
                if send(&mut sink, &frame).await.is_err() {
                    break;
                }
            }
            Either::Left((Either::Right((None, _)), _)) => break,
            Either::Right(_) => {
                quiet_ms += 1000;
                if quiet_ms >= HEARTBEAT_MS {
                    quiet_ms = 0;
                    if send(&mut sink, &Frame::heartbeat("ping")).await.is_err() {
                        break;
                    }
                }
            }
        }
    }
    true
}

async fn send(
    sink: &mut futures::stream::SplitSink<WebSocket, SocketMessage>,
    frame: &Frame,
) -> Result<(), gloo_net::websocket::WebSocketError> {
    let text = serde_json::to_string(frame).unwrap_or_default();
    sink.send(SocketMessage::Text(text)).await
}
