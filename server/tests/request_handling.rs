//! Agents handling requests: subject, tags, attributes, participants, routing, closing and
//! reopening; each change is published live on `/<pid>/requests` (agents) and
//! `/<pid>/requests/<rid>` (the request's visitor too) and fired as its webhooks.

mod common;

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tiledesk_protocol::realtime::{request_topic, requests_topic};
use tiledesk_protocol::{Frame, Publication, PublishMethod, Request, RequestStatus};

use common::{data_dir, new_request_id, next_frame, send_frame, start, start_receiving, Receiver};

const WAIT: Duration = Duration::from_secs(5);
const QUIET: Duration = Duration::from_millis(700);

fn publication(frame: Option<Frame>) -> Publication {
    match frame {
        Some(Frame::Publish(publication)) => publication,
        other => panic!("expected a publish frame, got {other:?}"),
    }
}

/// The next publication on `socket`, as a request with its method.
async fn next_request(socket: &mut common::Socket) -> (PublishMethod, Request) {
    let publication = publication(next_frame(socket, WAIT).await);
    let request = serde_json::from_value(publication.message.clone())
        .unwrap_or_else(|e| panic!("{e}: {:?}", publication.message));
    (publication.method, request)
}

#[tokio::test]
async fn every_change_is_published_to_agents_and_to_the_requests_visitor() {
    let dir = data_dir();
    let server = start_receiving(dir.path(), &[]);
    let p = server.demo.project_id.clone();
    let receiver = Receiver::start(0).await;
    for event in [
        "request.update",
        "request.close",
        "request.reopen",
        "request.participants.update",
        "request.attributes.update",
    ] {
        server.subscribe(&p, event, &receiver.url).await;
    }
    let owner = server.owner();
    let (agent, agent_id) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, _) = server.guest(&p).await;
    let (other_guest, _) = server.guest(&p).await;
    let rid = new_request_id(&p);

    // The agent follows the project's requests; the visitor its own, before it exists.
    let mut desk = server.socket(&agent).await;
    send_frame(&mut desk, &Frame::subscribe(requests_topic(&p))).await;
    let first = publication(next_frame(&mut desk, WAIT).await);
    assert_eq!(first.message, json!([]), "no open request yet");
    let mut visitor = server.socket(&guest).await;
    send_frame(&mut visitor, &Frame::subscribe(request_topic(&p, &rid))).await;
    let first = publication(next_frame(&mut visitor, WAIT).await);
    assert_eq!(first.topic, request_topic(&p, &rid));
    assert_eq!(first.message, Value::Null, "not created yet");
    // Another visitor may not follow the project's requests, nor this request.
    let mut snoop = server.socket(&other_guest).await;
    send_frame(&mut snoop, &Frame::subscribe(requests_topic(&p))).await;
    send_frame(&mut snoop, &Frame::subscribe(request_topic(&p, &rid))).await;

    let messages = format!("/{p}/requests/{rid}/messages");
    let started = server
        .post(&messages, Some(&guest), json!({"text": "help"}))
        .await;
    assert_eq!(started.status, StatusCode::OK);
    for socket in [&mut desk, &mut visitor] {
        let (method, request) = next_request(socket).await;
        assert_eq!(method, PublishMethod::Create);
        assert_eq!(request.request_id, rid);
        assert_eq!(request.status, RequestStatus::UNASSIGNED);
    }

    // Subject and tags.
    let request = format!("/{p}/requests/{rid}");
    let patched = server
        .call(
            Method::PATCH,
            &request,
            Some(&agent),
            Some(json!({"subject": " Refund ", "tags": [{"tag": "billing", "color": "#f00"}]})),
        )
        .await;
    assert_eq!(patched.status, StatusCode::OK, "{:?}", patched.body);
    assert_eq!(patched.body["subject"], "Refund");
    assert_eq!(
        patched.body["tags"],
        json!([{"tag": "billing", "color": "#f00"}])
    );
    for socket in [&mut desk, &mut visitor] {
        let (method, request) = next_request(socket).await;
        assert_eq!(method, PublishMethod::Update);
        assert_eq!(request.subject.as_deref(), Some("Refund"));
    }

    // Attributes are merged.
    let attributes = format!("{request}/attributes");
    for body in [json!({"plan": "pro", "seats": 3}), json!({"seats": 5})] {
        let answer = server
            .call(Method::PATCH, &attributes, Some(&agent), Some(body))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    }
    let read = server.get(&request, Some(&agent)).await;
    assert_eq!(read.body["attributes"]["plan"], "pro");
    assert_eq!(read.body["attributes"]["seats"], 5);
    for socket in [&mut desk, &mut visitor] {
        next_request(socket).await;
        let (_, request) = next_request(socket).await;
        assert_eq!(request.attributes.unwrap()["seats"], 5);
    }

    // Participants: set, add, remove; the status follows (200 with an agent, 100 without).
    let participants = format!("{request}/participants");
    let set = server
        .put(&participants, Some(&agent), Some(json!([agent_id])))
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(set.body["status"], 200);
    let (_, live) = next_request(&mut visitor).await;
    assert_eq!(
        live.status,
        RequestStatus::ASSIGNED,
        "the visitor sees it assigned"
    );
    assert_eq!(live.participants, std::slice::from_ref(&agent_id));
    let owner_id = server
        .post(
            "/auth/signin",
            None,
            json!({"email": server.demo.email, "password": server.demo.password}),
        )
        .await
        .body["user"]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let added = server
        .post(&participants, Some(&agent), json!({"member": owner_id}))
        .await;
    assert_eq!(added.status, StatusCode::OK, "{:?}", added.body);
    assert_eq!(added.body["participants"], json!([agent_id, owner_id]));
    let removed = server
        .call(
            Method::DELETE,
            &format!("{participants}/{agent_id}"),
            Some(&agent),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{:?}", removed.body);
    assert_eq!(removed.body["participants"], json!([owner_id]));
    let emptied = server
        .put(&participants, Some(&agent), Some(json!([])))
        .await;
    assert_eq!(emptied.body["status"], 100);
    for _ in 0..2 {
        next_request(&mut visitor).await;
    }
    assert_eq!(next_request(&mut visitor).await.1.status, 100);

    // Hand over to a human: the next available agent of the project.
    let routed = server
        .put(&format!("{request}/agent"), Some(&agent), None)
        .await;
    assert_eq!(routed.status, StatusCode::OK, "{:?}", routed.body);
    assert_eq!(routed.body["status"], 200);
    assert_eq!(routed.body["participants"].as_array().unwrap().len(), 1);
    next_request(&mut visitor).await;

    // Closed by the agent: the visitor sees it live; reopened, it is assigned again.
    let closed = server
        .put(&format!("{request}/close"), Some(&owner), None)
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
    let (method, live) = next_request(&mut visitor).await;
    assert_eq!(method, PublishMethod::Update);
    assert_eq!(live.status, RequestStatus::CLOSED);
    let refused = server
        .put(&format!("{request}/agent"), Some(&agent), None)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    let reopened = server
        .put(&format!("{request}/reopen"), Some(&agent), None)
        .await;
    assert_eq!(reopened.status, StatusCode::OK, "{:?}", reopened.body);
    assert_eq!(reopened.body["status"], 200);
    assert!(reopened.body.get("closed_at").is_none());
    assert_eq!(next_request(&mut visitor).await.1.status, 200);
    let again = server
        .put(&format!("{request}/reopen"), Some(&agent), None)
        .await;
    assert_eq!(
        again.body["version"], reopened.body["version"],
        "open: unchanged"
    );

    // The agent's socket saw every change too; the snooping visitor nothing at all.
    let mut seen = 0;
    while let Some(frame) = next_frame(&mut desk, QUIET).await {
        let publication = publication(Some(frame));
        assert_eq!(publication.topic, requests_topic(&p));
        seen += 1;
    }
    assert_eq!(
        seen, 7,
        "4 participant changes, the routing, the close and the reopening"
    );
    assert!(next_frame(&mut snoop, QUIET).await.is_none());

    // A later subscriber to the project's requests starts from the open ones.
    let mut late = server.socket(&agent).await;
    send_frame(&mut late, &Frame::subscribe(requests_topic(&p))).await;
    let first = publication(next_frame(&mut late, WAIT).await);
    let open: Vec<Request> = serde_json::from_value(first.message).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].request_id, rid);

    // Webhooks, as Tiledesk names them.
    let hits = receiver.wait_until(WAIT, |hits| hits.len() >= 18).await;
    let count = |event: &str| {
        hits.iter()
            .filter(|h| h.body["hook"]["event"] == event)
            .count()
    };
    assert_eq!(count("request.attributes.update"), 2);
    assert_eq!(
        count("request.participants.update"),
        5,
        "4 changes and the routing"
    );
    assert_eq!(count("request.close"), 1);
    assert_eq!(count("request.reopen"), 1);
    assert_eq!(count("request.update"), 9, "every change but the close");
    tokio::time::sleep(QUIET).await;
    assert_eq!(receiver.hits().len(), 18, "nothing else");
}

#[tokio::test]
async fn handling_needs_an_agent_and_valid_input() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let (agent, agent_id) = server.teammate(&p, "agent@example.com", "agent").await;
    let (user, user_id) = server.teammate(&p, "user@example.com", "user").await;
    let (guest, guest_id) = server.guest(&p).await;
    let rid = new_request_id(&p);
    let started = server
        .post(
            &format!("/{p}/requests/{rid}/messages"),
            Some(&guest),
            json!({"text": "help"}),
        )
        .await;
    assert_eq!(started.status, StatusCode::OK);
    let request = format!("/{p}/requests/{rid}");

    // Below agent, even the visitor who started it: 403; without credentials 401.
    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (
            Method::PATCH,
            request.clone(),
            Some(json!({"subject": "x"})),
        ),
        (
            Method::PATCH,
            format!("{request}/attributes"),
            Some(json!({"a": 1})),
        ),
        (
            Method::PUT,
            format!("{request}/participants"),
            Some(json!([])),
        ),
        (
            Method::POST,
            format!("{request}/participants"),
            Some(json!({"member": "x"})),
        ),
        (Method::DELETE, format!("{request}/participants/x"), None),
        (Method::PUT, format!("{request}/agent"), None),
        (Method::PUT, format!("{request}/assign"), Some(json!({}))),
        (
            Method::PUT,
            format!("{request}/departments"),
            Some(json!({"departmentid": "0123456789abcdef01234567"})),
        ),
        (Method::PUT, format!("{request}/reopen"), None),
    ];
    for (method, path, body) in &attempts {
        for (auth, status) in [
            (None, StatusCode::UNAUTHORIZED),
            (Some(guest.as_str()), StatusCode::FORBIDDEN),
            (Some(user.as_str()), StatusCode::FORBIDDEN),
        ] {
            let answer = server.call(method.clone(), path, auth, body.clone()).await;
            assert_eq!(answer.status, status, "{method} {path}: {:?}", answer.body);
            assert!(answer.body.is_object());
        }
    }

    // Bad input: 422 with the field, 400 for malformed JSON or ids, 404 for unknown requests.
    let bad: Vec<(Method, String, Value, &str)> = vec![
        (
            Method::PATCH,
            request.clone(),
            json!({"tags": [{"tag": ""}]}),
            "tags",
        ),
        (Method::PATCH, request.clone(), json!({"tags": "vip"}), ""),
        (
            Method::PATCH,
            request.clone(),
            json!({"subject": "x".repeat(1001)}),
            "subject",
        ),
        (
            Method::PATCH,
            format!("{request}/attributes"),
            json!([1, 2]),
            "attributes",
        ),
        (
            Method::PUT,
            format!("{request}/participants"),
            json!([guest_id]),
            "participants",
        ),
        (
            Method::PUT,
            format!("{request}/participants"),
            json!([user_id]),
            "participants",
        ),
        (
            Method::PUT,
            format!("{request}/participants"),
            json!({"member": "x"}),
            "",
        ),
        (
            Method::POST,
            format!("{request}/participants"),
            json!({"member": guest_id}),
            "member",
        ),
        (
            Method::POST,
            format!("{request}/participants"),
            json!({}),
            "",
        ),
        (
            Method::PUT,
            format!("{request}/assign"),
            json!({"member": user_id}),
            "member",
        ),
        (
            Method::PUT,
            format!("{request}/assign"),
            json!({"departmentid": "nope"}),
            "departmentid",
        ),
        (
            Method::PUT,
            format!("{request}/departments"),
            json!({"departmentid": "0123456789abcdef01234567"}),
            "departmentid",
        ),
        (Method::PUT, format!("{request}/departments"), json!({}), ""),
    ];
    for (method, path, body, param) in bad {
        let answer = server
            .call(method.clone(), &path, Some(&agent), Some(body.clone()))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{method} {path} {body}: {:?}",
            answer.body
        );
        if !param.is_empty() {
            assert_eq!(answer.body["errors"][0]["param"], param, "{path} {body}");
        }
    }
    let not_a_participant = server
        .call(
            Method::DELETE,
            &format!("{request}/participants/someone"),
            Some(&agent),
            None,
        )
        .await;
    assert_eq!(not_a_participant.status, StatusCode::NOT_FOUND);
    let unknown = new_request_id(&p);
    let missing = server
        .put(
            &format!("/{p}/requests/{unknown}/agent"),
            Some(&agent),
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let malformed = server
        .client
        .patch(server.url(&request))
        .header("Authorization", &agent)
        .header("Content-Type", "application/json")
        .body("{\"subject\":")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    let bad_id = server
        .put(&format!("/{p}/requests/a%20b/reopen"), Some(&agent), None)
        .await;
    assert_eq!(bad_id.status, StatusCode::BAD_REQUEST);

    // Assign to a given agent works whatever the status, and the subject can be removed.
    let assigned = server
        .put(
            &format!("{request}/assign"),
            Some(&agent),
            Some(json!({"member": agent_id})),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    assert_eq!(assigned.body["participants"], json!([agent_id]));
    assert_eq!(assigned.body["status"], 200);
    // Routing an assigned request with assign (no member) leaves it as it is, as Tiledesk does.
    let kept = server
        .put(&format!("{request}/assign"), Some(&agent), Some(json!({})))
        .await;
    assert_eq!(kept.body["participants"], json!([agent_id]));
    for subject in ["Hello", ""] {
        let answer = server
            .call(
                Method::PATCH,
                &request,
                Some(&agent),
                Some(json!({"subject": subject})),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let read = server.get(&request, Some(&agent)).await;
    assert!(read.body.get("subject").is_none(), "{:?}", read.body);
}
