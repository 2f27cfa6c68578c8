//! Agents' private notes (`attributes.subtype: "private"`): agents get them everywhere, a visitor
//! never (REST, the first frame after subscribing, live publications), and webhooks keep them.

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::realtime::messages_topic;
use tiledesk_protocol::{Frame, Message};

use common::{data_dir, new_request_id, next_frame, send_frame, start_receiving, Receiver};

const WAIT: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(700);

fn texts(frame: Option<Frame>) -> Vec<String> {
    match frame {
        Some(Frame::Publish(publication)) => {
            publication.messages().into_iter().map(|m| m.text).collect()
        }
        other => panic!("expected a publish frame, got {other:?}"),
    }
}

#[tokio::test]
async fn private_notes_reach_agents_and_never_the_visitor() {
    let dir = data_dir();
    let server = start_receiving(dir.path(), &[]);
    let p = server.demo.project_id.clone();
    let receiver = Receiver::start(0).await;
    server.subscribe(&p, "message.create", &receiver.url).await;
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, _) = server.guest(&p).await;
    let rid = new_request_id(&p);
    let messages = format!("/{p}/requests/{rid}/messages");
    let topic = messages_topic(&p, &rid);

    // A note cannot start a conversation.
    let premature = server
        .post(
            &messages,
            Some(&agent),
            json!({"text": "note", "attributes": {"subtype": "private"}}),
        )
        .await;
    assert_eq!(premature.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(premature.body["errors"][0]["param"], "attributes");

    let first = server
        .post(&messages, Some(&guest), json!({"text": "my order is late"}))
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let mut visitor = server.socket(&guest).await;
    send_frame(&mut visitor, &Frame::subscribe(topic.clone())).await;
    assert_eq!(
        texts(next_frame(&mut visitor, WAIT).await),
        ["my order is late"]
    );
    let mut desk = server.socket(&agent).await;
    send_frame(&mut desk, &Frame::subscribe(topic.clone())).await;
    assert_eq!(
        texts(next_frame(&mut desk, WAIT).await),
        ["my order is late"]
    );

    let note = server
        .post(
            &messages,
            Some(&agent),
            json!({"text": "customer is angry, refund", "attributes": {"subtype": "private"}}),
        )
        .await;
    assert_eq!(note.status, StatusCode::OK, "{:?}", note.body);
    let note: Message = serde_json::from_value(note.body).unwrap();
    assert!(note.is_private());
    let reply = server
        .post(
            &messages,
            Some(&agent),
            json!({"text": "Sorry, refunding now"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);

    // Live: the agent gets both, the visitor only the reply.
    assert_eq!(
        texts(next_frame(&mut desk, WAIT).await),
        ["customer is angry, refund"]
    );
    assert_eq!(
        texts(next_frame(&mut desk, WAIT).await),
        ["Sorry, refunding now"]
    );
    assert_eq!(
        texts(next_frame(&mut visitor, WAIT).await),
        ["Sorry, refunding now"]
    );
    assert!(next_frame(&mut visitor, QUIET).await.is_none());

    // REST, paged or not.
    let read = |auth: String, query: &'static str| {
        let server = &server;
        let path = format!("{messages}{query}");
        async move {
            let answer = server.get(&path, Some(&auth)).await;
            assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
            serde_json::from_value::<Vec<Message>>(answer.body)
                .unwrap()
                .into_iter()
                .map(|m| m.text)
                .collect::<Vec<_>>()
        }
    };
    let all = [
        "my order is late",
        "customer is angry, refund",
        "Sorry, refunding now",
    ];
    assert_eq!(read(agent.clone(), "").await, all);
    assert_eq!(read(server.owner(), "?limit=2&page=0").await, all[..2]);
    assert_eq!(
        read(guest.clone(), "").await,
        ["my order is late", "Sorry, refunding now"]
    );
    assert_eq!(
        read(guest.clone(), "?limit=1&page=1").await,
        ["Sorry, refunding now"]
    );

    // The first frame of a later subscription.
    let mut again = server.socket(&guest).await;
    send_frame(&mut again, &Frame::subscribe(topic.clone())).await;
    assert_eq!(
        texts(next_frame(&mut again, WAIT).await),
        ["my order is late", "Sorry, refunding now"]
    );
    let mut desk_again = server.socket(&agent).await;
    send_frame(&mut desk_again, &Frame::subscribe(topic)).await;
    assert_eq!(texts(next_frame(&mut desk_again, WAIT).await), all);

    // The visitor's request list shows nothing of it either.
    let mine = server.get(&format!("/{p}/requests/me"), Some(&guest)).await;
    assert!(!mine.body.to_string().contains("angry"), "{:?}", mine.body);

    // Webhooks go to the project's own systems: they carry the note.
    let hits = receiver.wait_until(WAIT, |hits| hits.len() >= 3).await;
    assert!(hits
        .iter()
        .any(|h| h.body["payload"]["text"] == "customer is angry, refund"
            && h.body["payload"]["attributes"]["subtype"] == "private"));
}
