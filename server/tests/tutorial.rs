//! The seed tutorial "Sending and receiving messages with Tiledesk APIs", step by step with its
//! documented request bodies, against a local webhook receiver.

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use common::{data_dir, start_receiving, wait_for_history, Receiver};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn the_tutorial_works_end_to_end() {
    let dir = data_dir();
    let server = start_receiving(dir.path(), &[]);
    let project = server.demo.project_id.clone();
    let receiver = Receiver::start(0).await;

    // Anonymous end-user authentication.
    let signin = server
        .post(
            "/auth/signinAnonymously",
            None,
            json!({"id_project": project, "firstname": "John"}),
        )
        .await;
    assert_eq!(signin.status, StatusCode::OK, "{:?}", signin.body);
    assert_eq!(signin.body["success"], true);
    let token = signin.body["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("JWT "));
    let user = &signin.body["user"];
    assert_eq!(user["firstname"], "John");
    assert_eq!(user["fullName"], "John");
    assert_eq!(user["_id"], user["id"]);
    let guest_id = user["_id"].as_str().unwrap().to_owned();

    // The first message to a new support-group-<uuid> request creates it.
    let rid = format!("support-group-{}", uuid::Uuid::new_v4());
    let messages = format!("/{project}/requests/{rid}/messages");
    let first = server
        .post(
            &messages,
            Some(&token),
            json!({"text": "hello my name is John and I need help"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["sender"], guest_id.as_str());
    assert_eq!(first.body["request"]["request_id"], rid.as_str());

    // A message.create subscription pointing to our receiver, made with Basic credentials.
    let subscription = server
        .subscribe(&project, "message.create", &receiver.url)
        .await;
    let secret = subscription["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    assert!(uuid::Uuid::parse_str(&secret).is_ok(), "{secret}");
    for key in ["_id", "createdBy", "createdAt", "updatedAt", "__v"] {
        assert!(
            subscription.get(key).is_some(),
            "{key} missing: {subscription}"
        );
    }
    assert_eq!(subscription["target"], receiver.url.as_str());
    assert_eq!(subscription["event"], "message.create");
    assert_eq!(subscription["id_project"], project.as_str());

    // An agent of the project replies.
    let (agent, agent_id) = server.teammate(&project, "rosy@example.com", "agent").await;
    let reply = server
        .post(
            &messages,
            Some(&agent),
            json!({"text": "Hi I'm Rosy. How can help you?"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);

    // The receiver gets the documented notification with the subscription's secret.
    let hits = receiver.wait_until(WAIT, |hits| !hits.is_empty()).await;
    assert_eq!(hits.len(), 1, "only the reply came after subscribing");
    let hit = &hits[0];
    assert_eq!(hit.header("x-hook-secret"), Some(secret.as_str()));
    assert_eq!(hit.header("user-agent"), Some("tiledesk-webhooks"));
    assert!(hit
        .header("content-type")
        .is_some_and(|v| v.starts_with("application/json")));
    let body = &hit.body;
    assert!(body["timestamp"]
        .as_i64()
        .is_some_and(|ms| ms > 1_600_000_000_000));
    let payload = &body["payload"];
    assert_eq!(payload["_id"], reply.body["_id"]);
    assert_eq!(payload["type"], "text");
    assert_eq!(payload["status"], 100, "stored as sent");
    assert_eq!(payload["sender"], agent_id.as_str());
    assert_eq!(payload["senderFullname"], "Ann Lee");
    assert_eq!(payload["recipient"], rid.as_str());
    assert_eq!(payload["text"], "Hi I'm Rosy. How can help you?");
    assert_eq!(payload["id_project"], project.as_str());
    assert_eq!(payload["createdBy"], agent_id.as_str());
    assert_eq!(payload["__v"], 0);
    for key in ["createdAt", "updatedAt"] {
        assert!(payload[key].is_string(), "{key}");
    }
    assert_eq!(payload["request"]["request_id"], rid.as_str());
    assert_eq!(
        payload["request"]["status"], 200,
        "the agent's reply assigned it"
    );
    let hook = &body["hook"];
    assert_eq!(hook["_id"], subscription["_id"]);
    assert_eq!(hook["event"], "message.create");
    assert_eq!(hook["target"], receiver.url.as_str());
    assert_eq!(hook["id_project"], project.as_str());
    assert!(
        hook.get("secret").is_none(),
        "the hook never carries the secret"
    );

    // The history shows the attempt with the documented fields.
    let history = wait_for_history(&server, &project, 1).await;
    let entry = &history[0];
    assert_eq!(entry["event"], "message.create");
    assert_eq!(entry["target"], receiver.url.as_str());
    assert_eq!(entry["err"], Value::Null);
    assert_eq!(entry["id_project"], project.as_str());
    assert_eq!(entry["body"], "\"request caught\"");
    let response: Value = serde_json::from_str(entry["response"].as_str().unwrap()).unwrap();
    assert_eq!(response["statusCode"], 200);
    for key in ["_id", "createdAt", "updatedAt", "__v"] {
        assert!(entry.get(key).is_some(), "{key} missing: {entry}");
    }
}
