//! Typing notices over the WebSocket (to the others in a conversation, never back to the sender
//! nor to outsiders) and read receipts (`PUT …/messages/status`, published as UPDATEs).

mod common;

use std::time::Duration;

use futures_util::SinkExt;
use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::realtime::{messages_topic, typing_topic, Typing, TypingPayload};
use tiledesk_protocol::{Frame, Message, MessageStatus, PublishMethod};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use common::{data_dir, new_request_id, next_frame, send_frame, start, Socket, TestServer};

const WAIT: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(600);
/// Time a subscription takes to start (it checks access first, and sends no first frame).
const SETTLE: Duration = Duration::from_millis(300);

/// A conversation started by a guest, with an agent of the project: (project, request id,
/// guest token, guest id, agent token, agent id).
async fn conversation(server: &TestServer) -> (String, String, String, String, String, String) {
    let p = server.demo.project_id.clone();
    let (guest, guest_id) = server.guest(&p).await;
    let (agent, agent_id) = server.teammate(&p, "agent@example.com", "agent").await;
    let rid = new_request_id(&p);
    let first = server
        .post(
            &format!("/{p}/requests/{rid}/messages"),
            Some(&guest),
            json!({"text": "hello"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    (p, rid, guest, guest_id, agent, agent_id)
}

fn typing(topic: &str, typing: bool) -> Frame {
    Frame::Typing(TypingPayload {
        topic: topic.to_owned(),
        typing,
    })
}

/// The typing notice a frame carries (an UPDATE on `topic`).
fn notice(frame: Option<Frame>, topic: &str) -> Typing {
    match frame {
        Some(Frame::Publish(publication)) => {
            assert_eq!(publication.topic, topic);
            assert_eq!(publication.method, PublishMethod::Update);
            serde_json::from_value(publication.message).expect("a typing notice")
        }
        other => panic!("expected a typing publication, got {other:?}"),
    }
}

async fn subscribed(server: &TestServer, token: &str, topic: &str) -> Socket {
    let mut socket = server.socket(token).await;
    send_frame(&mut socket, &Frame::subscribe(topic)).await;
    socket
}

#[tokio::test]
async fn typing_reaches_the_other_side_and_never_the_sender() {
    let dir = data_dir();
    let server = start(dir.path());
    let (p, rid, guest, guest_id, agent, agent_id) = conversation(&server).await;
    let topic = typing_topic(&p, &rid);
    let mut visitor = subscribed(&server, &guest, &topic).await;
    let mut desk = subscribed(&server, &agent, &topic).await;
    tokio::time::sleep(SETTLE).await;
    assert!(
        next_frame(&mut visitor, QUIET).await.is_none(),
        "no first frame"
    );

    send_frame(&mut visitor, &typing(&topic, true)).await;
    let seen = notice(next_frame(&mut desk, WAIT).await, &topic);
    assert_eq!(seen.writer_id, guest_id);
    assert!(seen.typing);
    assert!(!seen.created_at.is_empty());
    assert!(
        next_frame(&mut visitor, QUIET).await.is_none(),
        "not echoed to the sender"
    );

    send_frame(&mut desk, &typing(&topic, true)).await;
    let seen = notice(next_frame(&mut visitor, WAIT).await, &topic);
    assert_eq!(seen.writer_id, agent_id);
    assert_eq!(seen.writer_fullname, "Ann Lee");
    assert!(next_frame(&mut desk, QUIET).await.is_none());

    // The same value again within a second is dropped; a change always goes out.
    send_frame(&mut desk, &typing(&topic, true)).await;
    send_frame(&mut desk, &typing(&topic, false)).await;
    let seen = notice(next_frame(&mut visitor, WAIT).await, &topic);
    assert!(!seen.typing, "the repeated `true` was throttled");
    assert!(next_frame(&mut visitor, QUIET).await.is_none());
}

#[tokio::test]
async fn another_guest_can_neither_follow_nor_type_in_someone_elses_conversation() {
    let dir = data_dir();
    let server = start(dir.path());
    let (p, rid, guest, _, agent, _) = conversation(&server).await;
    let (intruder, _) = server.guest(&p).await;
    let topic = typing_topic(&p, &rid);
    let mut visitor = subscribed(&server, &guest, &topic).await;
    let mut desk = subscribed(&server, &agent, &topic).await;
    let mut spy = subscribed(&server, &intruder, &topic).await;
    tokio::time::sleep(SETTLE).await;

    send_frame(&mut spy, &typing(&topic, true)).await;
    assert!(
        next_frame(&mut desk, QUIET).await.is_none(),
        "not published"
    );
    assert!(next_frame(&mut visitor, QUIET).await.is_none());

    send_frame(&mut visitor, &typing(&topic, true)).await;
    notice(next_frame(&mut desk, WAIT).await, &topic);
    assert!(
        next_frame(&mut spy, QUIET).await.is_none(),
        "the subscription was refused"
    );
}

#[tokio::test]
async fn malformed_typing_frames_leave_the_connection_working() {
    let dir = data_dir();
    let server = start(dir.path());
    let (p, rid, guest, _, agent, _) = conversation(&server).await;
    let topic = typing_topic(&p, &rid);
    let mut visitor = server.socket(&guest).await;
    let mut desk = subscribed(&server, &agent, &topic).await;
    tokio::time::sleep(SETTLE).await;
    for junk in [
        r#"{"action":"typing"}"#.to_owned(),
        r#"{"action":"typing","payload":{"topic":5,"typing":"yes"}}"#.to_owned(),
        r#"{"action":"typing","payload":{"topic":"/x/requests/y/typing","typing":true}}"#
            .to_owned(),
        json!({"action": "typing", "payload": {"topic": format!("/{p}/requests/{rid}/messages"), "typing": true}})
            .to_string(),
        "not json".to_owned(),
    ] {
        visitor
            .send(WsMessage::Text(junk.into()))
            .await
            .expect("sent");
    }
    assert!(next_frame(&mut desk, QUIET).await.is_none());
    send_frame(&mut visitor, &Frame::heartbeat("ping")).await;
    assert!(matches!(
        next_frame(&mut visitor, WAIT).await,
        Some(Frame::Heartbeat(_))
    ));
    send_frame(&mut visitor, &typing(&topic, true)).await;
    assert!(notice(next_frame(&mut desk, WAIT).await, &topic).typing);
}

/// The message published by an UPDATE frame on `topic`.
fn updated(frame: Option<Frame>, topic: &str) -> Message {
    match frame {
        Some(Frame::Publish(publication)) => {
            assert_eq!(publication.topic, topic);
            assert_eq!(publication.method, PublishMethod::Update, "{publication:?}");
            serde_json::from_value(publication.message).expect("a message")
        }
        other => panic!("expected an UPDATE publication, got {other:?}"),
    }
}

/// Posts `body` to the conversation as `token`: the stored message's id.
async fn post(server: &TestServer, path: &str, token: &str, body: serde_json::Value) -> String {
    let answer = server.post(path, Some(token), body).await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    answer.body["_id"].as_str().expect("an id").to_owned()
}

#[tokio::test]
async fn a_visitor_marks_the_agents_messages_seen_and_the_agent_is_told() {
    let dir = data_dir();
    let server = start(dir.path());
    let (p, rid, guest, _, agent, _) = conversation(&server).await;
    let messages = format!("/{p}/requests/{rid}/messages");
    let status = format!("{messages}/status");
    let reply = post(&server, &messages, &agent, json!({"text": "hi"})).await;
    let note = post(
        &server,
        &messages,
        &agent,
        json!({"text": "vip", "attributes": {"subtype": "private"}}),
    )
    .await;
    let last = post(
        &server,
        &messages,
        &agent,
        json!({"text": "how can I help?"}),
    )
    .await;
    let topic = messages_topic(&p, &rid);
    let mut desk = subscribed(&server, &agent, &topic).await;
    let mut visitor = subscribed(&server, &guest, &topic).await;
    for socket in [&mut desk, &mut visitor] {
        let Some(Frame::Publish(first)) = next_frame(socket, WAIT).await else {
            panic!("a first frame");
        };
        assert!(first
            .messages()
            .iter()
            .all(|m| m.status == MessageStatus::SENT));
    }

    let seen = server
        .put(
            &status,
            Some(&guest),
            Some(json!({"status": 300, "until": last})),
        )
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{:?}", seen.body);
    assert_eq!(seen.body, json!({"updated": 2}));
    for socket in [&mut desk, &mut visitor] {
        let first = updated(next_frame(socket, WAIT).await, &topic);
        let second = updated(next_frame(socket, WAIT).await, &topic);
        assert_eq!([first.id, second.id], [reply.clone(), last.clone()]);
        assert_eq!(second.status, MessageStatus::SEEN);
        assert!(next_frame(socket, QUIET).await.is_none(), "nothing else");
    }

    // Statuses never go down, and the agent's own receipt marks the visitor's message only.
    let delivered = server
        .put(
            &status,
            Some(&guest),
            Some(json!({"status": 150, "until": last})),
        )
        .await;
    assert_eq!(delivered.body, json!({"updated": 0}));
    let by_agent = server
        .put(
            &status,
            Some(&agent),
            Some(json!({"status": 150, "until": last})),
        )
        .await;
    assert_eq!(by_agent.body, json!({"updated": 1}));
    let visitors = updated(next_frame(&mut visitor, WAIT).await, &topic);
    assert_eq!(visitors.text, "hello");
    assert_eq!(visitors.status, MessageStatus::DELIVERED);
    let all = server.get(&messages, Some(&agent)).await;
    let statuses: Vec<(String, i32)> = serde_json::from_value::<Vec<Message>>(all.body)
        .unwrap()
        .into_iter()
        .map(|m| (m.id, m.status))
        .collect();
    let hello = statuses[0].0.clone();
    assert_eq!(
        statuses,
        [
            (hello, MessageStatus::DELIVERED),
            (reply, MessageStatus::SEEN),
            (note.clone(), MessageStatus::SENT),
            (last, MessageStatus::SEEN),
        ],
        "the private note was left alone"
    );

    // A visitor cannot name a private note.
    let hidden = server
        .put(
            &status,
            Some(&guest),
            Some(json!({"status": 300, "until": note})),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn receipts_are_checked() {
    let dir = data_dir();
    let server = start(dir.path());
    let (p, rid, guest, _, agent, _) = conversation(&server).await;
    let (intruder, _) = server.guest(&p).await;
    let messages = format!("/{p}/requests/{rid}/messages");
    let status = format!("{messages}/status");
    let reply = post(&server, &messages, &agent, json!({"text": "hi"})).await;

    let foreign = server
        .put(
            &status,
            Some(&intruder),
            Some(json!({"status": 300, "until": reply})),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN, "{:?}", foreign.body);
    for bad in [0, 100, 200, 250, 301, -100] {
        let answer = server
            .put(
                &status,
                Some(&guest),
                Some(json!({"status": bad, "until": reply})),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(answer.body["errors"][0]["param"], "status");
    }
    let shape = server
        .put(&status, Some(&guest), Some(json!({"status": "seen"})))
        .await;
    assert_eq!(shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = server
        .put(
            &status,
            Some(&guest),
            Some(json!({"status": 300, "until": "5e2c35c8f0dbc10017bb3aac"})),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body["msg"].is_string());

    // A message of another conversation is not in this one.
    let other = new_request_id(&p);
    let elsewhere = post(
        &server,
        &format!("/{p}/requests/{other}/messages"),
        &intruder,
        json!({"text": "mine"}),
    )
    .await;
    let misplaced = server
        .put(
            &status,
            Some(&agent),
            Some(json!({"status": 300, "until": elsewhere})),
        )
        .await;
    assert_eq!(misplaced.status, StatusCode::NOT_FOUND);
    let nowhere = server
        .put(
            &format!("/{p}/requests/{}/messages/status", new_request_id(&p)),
            Some(&agent),
            Some(json!({"status": 300, "until": reply})),
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    let anonymous = server
        .put(&status, None, Some(json!({"status": 300, "until": reply})))
        .await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
