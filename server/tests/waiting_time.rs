//! The current waiting time (`GET /:project_id/publicanalytics/waiting/current`, public): the
//! average time the conversations of the last 4 hours waited for an agent's or bot's first answer.
//! (That older conversations are left out is tested on the store, whose cut-off time tests set.)

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::WaitingTime;

use common::{data_dir, new_request_id, start, TestServer};

/// The answer, read with the protocol's type.
async fn waiting(server: &TestServer, project: &str) -> Vec<WaitingTime> {
    let answer = server
        .get(&format!("/{project}/publicanalytics/waiting/current"), None)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
    serde_json::from_value(answer.body).expect("waiting times")
}

/// Posts `body` to conversation `rid` as `auth`.
async fn post(server: &TestServer, project: &str, rid: &str, auth: &str, body: serde_json::Value) {
    let answer = server
        .post(
            &format!("/{project}/requests/{rid}/messages"),
            Some(auth),
            body,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
}

#[tokio::test]
async fn the_waiting_time_averages_how_long_answered_conversations_waited() {
    let dir = data_dir();
    let server = start(dir.path());
    let p = server.demo.project_id.clone();
    let (agent, _) = server.teammate(&p, "agent@example.com", "agent").await;
    let (guest, _) = server.guest(&p).await;
    assert!(waiting(&server, &p).await.is_empty(), "no conversation yet");

    // A conversation the visitor writes to, with a note and a notice at once, is not answered.
    let first = new_request_id(&p);
    post(&server, &p, &first, &guest, json!({"text": "hello?"})).await;
    post(&server, &p, &first, &guest, json!({"text": "anyone?"})).await;
    let note = json!({"text": "VIP", "attributes": {"subtype": "private"}});
    post(&server, &p, &first, &agent, note).await;
    let notice = json!({"text": "Agent joined", "attributes": {"subtype": "info"}});
    post(&server, &p, &first, &agent, notice).await;
    assert!(waiting(&server, &p).await.is_empty(), "not answered yet");

    // Answered after 300 ms at least.
    tokio::time::sleep(Duration::from_millis(300)).await;
    post(
        &server,
        &p,
        &first,
        &agent,
        json!({"text": "Hi, how can I help?"}),
    )
    .await;
    post(&server, &p, &first, &agent, json!({"text": "Still there?"})).await;
    let once = waiting(&server, &p).await;
    assert_eq!(once.len(), 1, "{once:?}");
    assert_eq!(once[0].id, p);
    let first_wait = once[0].waiting_time_avg;
    assert!(
        (300.0..10_000.0).contains(&first_wait),
        "waited {first_wait} ms"
    );
    let raw = server
        .get(&format!("/{p}/publicanalytics/waiting/current"), None)
        .await;
    assert_eq!(
        raw.body,
        json!([{"_id": p.as_str(), "waiting_time_avg": first_wait}])
    );

    // A second one, answered (by the owner) after 600 ms at least: the average of both.
    let second = new_request_id(&p);
    post(&server, &p, &second, &guest, json!({"text": "me again"})).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    post(
        &server,
        &p,
        &second,
        &server.owner(),
        json!({"text": "Yes?"}),
    )
    .await;
    let average = waiting(&server, &p).await[0].waiting_time_avg;
    let second_wait = 2.0 * average - first_wait;
    assert!(
        (599.5..10_000.0).contains(&second_wait),
        "second waited {second_wait} ms (average {average})"
    );

    // One nobody answers changes nothing.
    let third = new_request_id(&p);
    post(&server, &p, &third, &guest, json!({"text": "and another"})).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    let unchanged = waiting(&server, &p).await[0].waiting_time_avg;
    assert!(
        (unchanged - average).abs() < 0.01,
        "{unchanged} vs {average}"
    );

    // Another project's conversations are its own.
    let (owner, _) = server.user("owner@example.com").await;
    let other = server
        .post("/projects", Some(&owner), json!({"name": "Other"}))
        .await;
    let other = other.body["_id"].as_str().unwrap().to_owned();
    assert!(waiting(&server, &other).await.is_empty());
}

#[tokio::test]
async fn unknown_projects_get_the_errors_of_the_other_public_routes() {
    let dir = data_dir();
    let server = start(dir.path());
    let unknown = server
        .get(
            "/5e2c35c8f0dbc10017bb3aac/publicanalytics/waiting/current",
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        unknown.body,
        json!({"error": "Project not found with id: 5e2c35c8f0dbc10017bb3aac"})
    );
    let widgets = server.get("/5e2c35c8f0dbc10017bb3aac/widgets", None).await;
    assert_eq!(widgets.body, unknown.body);
    let malformed = server
        .get("/not-an-id/publicanalytics/waiting/current", None)
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        malformed.body,
        json!({"error": "Invalid project id: not-an-id"})
    );
}
