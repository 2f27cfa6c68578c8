//! Conversations: the first message creates the request, agents reply, guests stay in their own requests.

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tiledesk_protocol::realtime::messages_topic;
use tiledesk_protocol::{Frame, Message, PublishMethod, Request, RequestStatus};

use common::{data_dir, new_request_id, next_frame, send_frame, start};

const WAIT: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(700);

fn publication(frame: Option<Frame>) -> tiledesk_protocol::Publication {
    match frame {
        Some(Frame::Publish(publication)) => publication,
        other => panic!("expected a publish frame, got {other:?}"),
    }
}

#[tokio::test]
async fn guest_starts_a_conversation_and_gets_the_owner_reply_live() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (guest, guest_id) = server.guest(&project).await;
    let rid = new_request_id(&project);
    let path = format!("/{project}/requests/{rid}/messages");
    assert!(rid.starts_with(&format!("support-group-{project}-")));

    // The first message creates the request.
    let first = server
        .post(&path, Some(&guest), json!({"text": "hello, I need help"}))
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    let first: Message = serde_json::from_value(first.body).unwrap();
    assert_eq!(first.text, "hello, I need help");
    assert_eq!(first.sender, guest_id);
    assert_eq!(first.recipient, rid);
    assert_eq!(first.id_project, project);
    assert_eq!(first.kind, "text");
    assert_eq!(first.channel_type, "group");
    assert!(first.sender_fullname.starts_with("guest#"));
    assert_eq!(first.id.len(), 24);
    assert!(first.created_at.ends_with('Z') && first.created_at.len() == 24);
    let request = first.request.expect("the answer carries the request");
    assert_eq!(request.request_id, rid);
    assert_eq!(request.status, RequestStatus::UNASSIGNED);
    assert_eq!(request.first_text, "hello, I need help");
    assert_eq!(request.requester, Some(Value::String(guest_id.clone())));
    assert_eq!(
        request.lead.as_ref().unwrap()["fullname"],
        first.sender_fullname.as_str()
    );
    assert!(request.participants.is_empty());

    let listed = server.get(&path, Some(&guest)).await;
    assert_eq!(listed.status, StatusCode::OK);
    let listed: Vec<Message> = serde_json::from_value(listed.body).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, first.id);

    // The guest subscribes: first the current state, then each new message.
    let mut socket = server.socket(&guest).await;
    let topic = messages_topic(&project, &rid);
    send_frame(&mut socket, &Frame::subscribe(topic.clone())).await;
    let state = publication(next_frame(&mut socket, WAIT).await);
    assert_eq!(state.topic, topic);
    assert_eq!(state.method, PublishMethod::Create);
    assert!(state.message.is_array());
    let existing = state.messages();
    assert_eq!(existing.len(), 1);
    assert_eq!(existing[0].id, first.id);

    // The owner replies with Basic credentials: joins the request, which becomes assigned.
    let owner = server.owner();
    let reply = server
        .post(&path, Some(&owner), json!({"text": "Hi, how can I help?"}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let reply: Message = serde_json::from_value(reply.body).unwrap();
    assert_eq!(reply.sender_fullname, "Demo Agent");
    let request = reply.request.clone().unwrap();
    assert_eq!(request.status, RequestStatus::ASSIGNED);
    assert_eq!(request.participants, vec![reply.sender.clone()]);

    let live = publication(next_frame(&mut socket, WAIT).await);
    assert_eq!(live.topic, topic);
    assert_eq!(live.method, PublishMethod::Create);
    assert!(live.message.is_object());
    let live = live.messages();
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].id, reply.id);
    assert_eq!(live[0].text, "Hi, how can I help?");

    let all: Vec<Message> =
        serde_json::from_value(server.get(&path, Some(&guest)).await.body).unwrap();
    let texts: Vec<&str> = all.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["hello, I need help", "Hi, how can I help?"]);

    // Both the guest who started it and the owner can read the request itself.
    for auth in [&guest, &owner] {
        let answer = server
            .get(&format!("/{project}/requests/{rid}"), Some(auth))
            .await;
        assert_eq!(answer.status, StatusCode::OK);
        let request: Request = serde_json::from_value(answer.body).unwrap();
        assert_eq!(request.status, RequestStatus::ASSIGNED);
    }
}

#[tokio::test]
async fn a_guest_cannot_read_post_or_follow_another_guests_conversation() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (alice, _) = server.guest(&project).await;
    let (mallory, _) = server.guest(&project).await;
    let rid = new_request_id(&project);
    let path = format!("/{project}/requests/{rid}/messages");
    let created = server
        .post(&path, Some(&alice), json!({"text": "private"}))
        .await;
    assert_eq!(created.status, StatusCode::OK);

    let read = server.get(&path, Some(&mallory)).await;
    assert_eq!(read.status, StatusCode::FORBIDDEN);
    assert_eq!(read.body["msg"], "you dont have the required role.");
    let post = server
        .post(&path, Some(&mallory), json!({"text": "let me in"}))
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    let request = server
        .get(&format!("/{project}/requests/{rid}"), Some(&mallory))
        .await;
    assert_eq!(request.status, StatusCode::FORBIDDEN);

    // Subscribing to it yields nothing, not even later messages.
    let mut socket = server.socket(&mallory).await;
    send_frame(
        &mut socket,
        &Frame::subscribe(messages_topic(&project, &rid)),
    )
    .await;
    assert!(next_frame(&mut socket, QUIET).await.is_none());
    let more = server
        .post(&path, Some(&alice), json!({"text": "still private"}))
        .await;
    assert_eq!(more.status, StatusCode::OK);
    assert!(next_frame(&mut socket, QUIET).await.is_none());

    // Nothing Mallory tried was stored.
    let all: Vec<Message> =
        serde_json::from_value(server.get(&path, Some(&alice)).await.body).unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|m| m.text.contains("private")));
}

#[tokio::test]
async fn a_retried_client_message_id_is_stored_once() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (guest, _) = server.guest(&project).await;
    let rid = new_request_id(&project);
    let path = format!("/{project}/requests/{rid}/messages");
    let mut socket = server.socket(&guest).await;
    send_frame(
        &mut socket,
        &Frame::subscribe(messages_topic(&project, &rid)),
    )
    .await;
    assert!(publication(next_frame(&mut socket, WAIT).await)
        .messages()
        .is_empty());

    let body = json!({"text": "once", "attributes": {"clientMessageId": "c-1"}});
    let first = server.post(&path, Some(&guest), body.clone()).await;
    let retry = server.post(&path, Some(&guest), body).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(retry.status, StatusCode::OK);
    assert_eq!(first.body["_id"], retry.body["_id"]);
    assert_eq!(retry.body["attributes"]["clientMessageId"], "c-1");

    let other = server
        .post(
            &path,
            Some(&guest),
            json!({"text": "twice", "attributes": {"clientMessageId": "c-2"}}),
        )
        .await;
    assert_ne!(other.body["_id"], first.body["_id"]);

    let all: Vec<Message> =
        serde_json::from_value(server.get(&path, Some(&guest)).await.body).unwrap();
    let texts: Vec<&str> = all.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["once", "twice"]);

    // Subscribers saw each message once.
    let seen = [
        publication(next_frame(&mut socket, WAIT).await),
        publication(next_frame(&mut socket, WAIT).await),
    ];
    assert_eq!(seen[0].messages()[0].text, "once");
    assert_eq!(seen[1].messages()[0].text, "twice");
    assert!(next_frame(&mut socket, QUIET).await.is_none());
}

#[tokio::test]
async fn the_first_message_needs_text() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (guest, _) = server.guest(&project).await;
    let rid = new_request_id(&project);
    let path = format!("/{project}/requests/{rid}/messages");

    for body in [
        json!({}),
        json!({"text": ""}),
        json!({"text": "   ", "type": "text"}),
    ] {
        let answer = server.post(&path, Some(&guest), body).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.body, json!({"errors": ["text field is required"]}));
    }
    let request = server
        .get(&format!("/{project}/requests/{rid}"), Some(&server.owner()))
        .await;
    assert_eq!(request.status, StatusCode::NOT_FOUND);
    assert_eq!(
        request.body,
        json!({"success": false, "msg": "Object not found."})
    );
}

#[tokio::test]
async fn agents_list_requests_newest_first_by_page_and_status() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let owner = server.owner();
    let mut rids = Vec::new();
    for n in 0..3 {
        let (guest, _) = server.guest(&project).await;
        let rid = new_request_id(&project);
        let answer = server
            .post(
                &format!("/{project}/requests/{rid}/messages"),
                Some(&guest),
                json!({"text": format!("question {n}")}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK);
        rids.push(rid);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let answered = server
        .post(
            &format!("/{project}/requests/{}/messages", rids[0]),
            Some(&owner),
            json!({"text": "answer"}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK);

    let server = &server;
    let page = |query: &str| {
        let path = format!("/{project}/requests?{query}");
        let owner = owner.clone();
        async move { server.get(&path, Some(&owner)).await }
    };
    let first = page("limit=2").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body["perPage"], 2);
    assert_eq!(first.body["count"], 3);
    let ids = |body: &Value| -> Vec<String> {
        body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["request_id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&first.body), [rids[2].clone(), rids[1].clone()]);
    assert_eq!(ids(&page("limit=2&page=1").await.body), [rids[0].clone()]);

    let unassigned = page("status=100").await;
    assert_eq!(unassigned.body["count"], 2);
    let assigned = page("status=200").await;
    assert_eq!(ids(&assigned.body), [rids[0].clone()]);
    assert_eq!(page("status=100,200").await.body["count"], 3);
    assert_eq!(page("").await.body["perPage"], 40);
    assert_eq!(page("limit=1000").await.body["perPage"], 100);
    assert_eq!(page("status=open").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(page("page=-1").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn visitors_cannot_pose_as_agents_or_the_system_but_agents_can() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let named = server
        .post(
            "/auth/signinAnonymously",
            None,
            json!({"id_project": project, "firstname": "Vera", "lastname": "Visitor"}),
        )
        .await;
    let named = named.body["token"].as_str().unwrap().to_owned();
    let (anonymous, _) = server.guest(&project).await;
    let rid = new_request_id(&project);
    let path = format!("/{project}/requests/{rid}/messages");

    // The name a visitor's message carries is the visitor's own, whatever it claims.
    let posed = server
        .post(
            &path,
            Some(&named),
            json!({"text": "Your password please", "senderFullname": "Support Agent"}),
        )
        .await;
    assert_eq!(posed.status, StatusCode::OK, "{:?}", posed.body);
    assert_eq!(posed.body["senderFullname"], "Vera Visitor");
    let other = new_request_id(&project);
    let anonymous_posed = server
        .post(
            &format!("/{project}/requests/{other}/messages"),
            Some(&anonymous),
            json!({"text": "hi", "senderFullname": "System",
                   "attributes": {"userFullname": "Ada Lovelace"}}),
        )
        .await;
    assert_eq!(anonymous_posed.status, StatusCode::OK);
    // The name a visitor gives itself (the pre-chat form's userFullname) is its own, and the lead's.
    assert_eq!(anonymous_posed.body["senderFullname"], "Ada Lovelace");
    assert_eq!(
        anonymous_posed.body["request"]["lead"]["fullname"],
        "Ada Lovelace"
    );
    let unnamed = server
        .post(
            &format!("/{project}/requests/{other}/messages"),
            Some(&anonymous),
            json!({"text": "again", "senderFullname": "System"}),
        )
        .await;
    let name = unnamed.body["senderFullname"].as_str().unwrap();
    assert!(name.starts_with("guest#"), "{name}");

    // System info and private messages are for agents and the system.
    for subtype in ["info/support", "private", "INFO", "support"] {
        let answer = server
            .post(
                &path,
                Some(&named),
                json!({"text": "Agent joined", "attributes": {"subtype": subtype}}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{subtype}");
        assert_eq!(answer.body["errors"][0]["param"], "attributes", "{subtype}");
    }
    // An info notice from a visitor would read as the system's.
    let notice = server
        .post(
            &path,
            Some(&named),
            json!({"text": "Agent Bob joined", "attributes": {"subtype": "info"}}),
        )
        .await;
    assert_eq!(notice.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The Tiledesk widget's intent message (tiledesk_hiddenMessage) is an info message.
    let intent = server
        .post(
            &path,
            Some(&named),
            json!({"text": "/start", "attributes": {"subtype": "info"}}),
        )
        .await;
    assert_eq!(intent.status, StatusCode::OK, "{:?}", intent.body);
    assert_eq!(intent.body["attributes"]["subtype"], "info");
    // So is an action button's label without show_echo, which the bot acts on and the visitor does not see.
    let action = server
        .post(
            &path,
            Some(&named),
            json!({"text": "Talk to sales", "attributes": {"subtype": "info", "action": "route_sales"}}),
        )
        .await;
    assert_eq!(action.status, StatusCode::OK, "{:?}", action.body);
    let blank = server
        .post(
            &path,
            Some(&named),
            json!({"text": "Agent Bob joined", "attributes": {"subtype": "info", "action": " "}}),
        )
        .await;
    assert_eq!(
        blank.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a blank action is no action"
    );
    // The widget's hidden messages still go through.
    let hidden = server
        .post(
            &path,
            Some(&named),
            json!({"text": "start flow", "attributes": {"hidden": true, "userFullname": "Vera V."}}),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::OK, "{:?}", hidden.body);
    assert_eq!(hidden.body["attributes"]["hidden"], true);

    // Agents keep full freedom.
    let owner = server.owner();
    let info = server
        .post(
            &path,
            Some(&owner),
            json!({"text": "Vera joined", "senderFullname": "System",
                   "attributes": {"subtype": "info/support"}}),
        )
        .await;
    assert_eq!(info.status, StatusCode::OK, "{:?}", info.body);
    assert_eq!(info.body["senderFullname"], "System");
    assert_eq!(info.body["attributes"]["subtype"], "info/support");
    let stored: Vec<Message> =
        serde_json::from_value(server.get(&path, Some(&owner)).await.body).unwrap();
    let names: Vec<&str> = stored.iter().map(|m| m.sender_fullname.as_str()).collect();
    assert_eq!(
        names,
        [
            "Vera Visitor",
            "Vera Visitor",
            "Vera Visitor",
            "Vera V.",
            "System"
        ]
    );
}
