//! The authorization matrix: every route against no credentials, the guest who started the
//! request, another guest, an agent, an admin and the owner of another project.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use common::{data_dir, new_request_id, start_receiving};

/// Who calls, in the order of the expected statuses below.
const WHO: [&str; 6] = [
    "none",
    "guest",
    "other guest",
    "agent",
    "admin",
    "other project",
];

#[tokio::test]
async fn every_route_enforces_its_minimum_role_and_ownership() {
    let dir = data_dir();
    // Its webhook targets are a closed port of the loopback.
    let server = start_receiving(dir.path(), &["--rate-limit-per-minute", "100000"]);
    let p = server.demo.project_id.clone();
    let (guest, _) = server.guest(&p).await;
    let (other_guest, _) = server.guest(&p).await;
    let (agent, agent_id) = server.teammate(&p, "agent@example.com", "agent").await;
    let (admin, _) = server.teammate(&p, "admin@example.com", "admin").await;
    let (outsider, _) = server.user("outsider@example.com").await;
    let elsewhere = server
        .post("/projects", Some(&outsider), json!({"name": "Elsewhere"}))
        .await;
    assert_eq!(elsewhere.status, StatusCode::OK);

    let rid = new_request_id(&p);
    let started = server
        .post(
            &format!("/{p}/requests/{rid}/messages"),
            Some(&guest),
            json!({"text": "help"}),
        )
        .await;
    assert_eq!(started.status, StatusCode::OK);
    let first_message = started.body["_id"].as_str().unwrap().to_owned();
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    let uploaded = server.upload(&p, Some(&guest), "a.png", png).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{:?}", uploaded.body);
    let file = uploaded.body["filename"].as_str().unwrap().to_owned();
    let event = server
        .post(
            &format!("/{p}/events"),
            Some(&guest),
            json!({"name": "opened"}),
        )
        .await;
    let event_id = event.body["_id"].as_str().unwrap().to_owned();
    let subscription = server
        .subscribe(&p, "message.create", "http://127.0.0.1:9/hook")
        .await;
    let sub = subscription["_id"].as_str().unwrap().to_owned();
    let department = server
        .post(
            &format!("/{p}/departments"),
            Some(&server.owner()),
            json!({"name": "Sales"}),
        )
        .await;
    let dep = department.body["_id"].as_str().unwrap().to_owned();
    let routed = server
        .post(
            &format!("/{p}/departments"),
            Some(&server.owner()),
            json!({"name": "Routing", "routing": "assigned"}),
        )
        .await;
    let dep2 = routed.body["_id"].as_str().unwrap().to_owned();
    let lead = started.body["request"]["lead"]["_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let member = server
        .get(
            &format!("/{p}/project_users/users/{agent_id}"),
            Some(&server.owner()),
        )
        .await;
    let agent_member = member.body[0]["_id"].as_str().unwrap().to_owned();

    let callers: [Option<&str>; 6] = [
        None,
        Some(&guest),
        Some(&other_guest),
        Some(&agent),
        Some(&admin),
        Some(&outsider),
    ];
    let hook = json!({"event": "message.create", "target": "http://127.0.0.1:9/hook"});
    let invite = json!({"email": "agent@example.com", "role": "agent"});
    // (method, path, body, expected status for each caller of WHO)
    let matrix: Vec<(Method, String, Option<Value>, [u16; 6])> = vec![
        (
            Method::GET,
            format!("/{p}/widgets"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            "/projects".into(),
            Some(json!({"name": "Mine"})),
            [401, 403, 403, 200, 200, 200],
        ),
        (
            Method::GET,
            "/projects".into(),
            None,
            [401, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!(
                "/{p}/requests?participant={agent_id}&lead={lead}&status=100,200&sort=updatedAt"
            ),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/projects/{p}"),
            Some(json!({"widget": {"themeColor": "#ff0000"}})),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::PUT,
            format!("/projects/{p}"),
            Some(
                json!({"botsRules": [{"uid": "hi", "when": {"urlMatches": ".*"},
                                       "do": [{"message": {"text": "Hi!"}}]}]}),
            ),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/publicanalytics/waiting/current"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/{p}/departments"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::POST,
            format!("/{p}/departments"),
            Some(json!({"name": "Support"})),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::DELETE,
            format!("/{p}/departments/{dep}"),
            None,
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/requests"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/requests/me"),
            None,
            [401, 200, 200, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/requests/{rid}"),
            None,
            [401, 200, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/requests/{rid}/messages"),
            None,
            [401, 200, 403, 200, 200, 403],
        ),
        (
            Method::POST,
            format!("/{p}/requests/{rid}/messages"),
            Some(json!({"text": "hi"})),
            [401, 200, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/requests/{rid}/messages/status"),
            Some(json!({"status": 300, "until": first_message})),
            [401, 200, 403, 200, 200, 403],
        ),
        // Multipart only: a JSON body is 400, once the caller is known to be a member.
        (
            Method::POST,
            format!("/{p}/files/chat"),
            Some(json!({"file": "x"})),
            [401, 400, 400, 400, 400, 403],
        ),
        // Without credentials the unguessable path is enough; with them, only those who may see it.
        (
            Method::GET,
            format!("/files?path={file}"),
            None,
            [200, 200, 404, 200, 200, 404],
        ),
        (
            Method::GET,
            format!("/files/download?path={file}"),
            None,
            [200, 200, 404, 200, 200, 404],
        ),
        (
            Method::PATCH,
            format!("/{p}/requests/{rid}/rating"),
            Some(json!({"rating": 4})),
            [401, 200, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/requests/{rid}/close"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/requests/{rid}/closeg"),
            None,
            [401, 200, 403, 403, 403, 403],
        ),
        (
            Method::POST,
            format!("/{p}/events"),
            Some(json!({"name": "x"})),
            [401, 200, 200, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/events"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/events/{event_id}"),
            None,
            [401, 200, 404, 200, 200, 403],
        ),
        (
            Method::POST,
            format!("/{p}/subscriptions"),
            Some(hook.clone()),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/subscriptions"),
            None,
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/subscriptions/{sub}"),
            None,
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/subscriptions/{sub}"),
            Some(hook),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/subscriptions/history"),
            None,
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::DELETE,
            format!("/{p}/subscriptions/{sub}"),
            None,
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::POST,
            format!("/{p}/keys/generate"),
            None,
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::POST,
            format!("/{p}/project_users/invite"),
            Some(invite),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/projects/{p}"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/projects/{p}/isopen"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/projects/{p}/users/availables"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/{p}/project_users"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/project_users/users/{agent_id}"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/project_users/{agent_member}"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/project_users/"),
            Some(json!({"user_available": true})),
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/project_users/{agent_member}"),
            Some(json!({"user_available": true})),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/leads"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/leads/{lead}"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/leads/{lead}"),
            Some(json!({"fullname": "Ada"})),
            [401, 403, 403, 200, 200, 403],
        ),
        // The request was closed above: reopened first, then handled.
        (
            Method::PUT,
            format!("/{p}/requests/{rid}/reopen"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PATCH,
            format!("/{p}/requests/{rid}"),
            Some(json!({"subject": "Order"})),
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PATCH,
            format!("/{p}/requests/{rid}/attributes"),
            Some(json!({"plan": "pro"})),
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/requests/{rid}/participants"),
            Some(json!([])),
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::POST,
            format!("/{p}/requests/{rid}/participants"),
            Some(json!({"member": agent_id})),
            [401, 403, 403, 200, 200, 403],
        ),
        // The agent removes it; for the admin after it, it takes no part any more (404).
        (
            Method::DELETE,
            format!("/{p}/requests/{rid}/participants/{agent_id}"),
            None,
            [401, 403, 403, 200, 404, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/requests/{rid}/agent"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/requests/{rid}/assign"),
            Some(json!({})),
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::PUT,
            format!("/{p}/requests/{rid}/departments"),
            Some(json!({"departmentid": dep2})),
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/departments/allstatus"),
            None,
            [401, 403, 403, 200, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/departments/{dep2}"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::PUT,
            format!("/{p}/departments/{dep2}"),
            Some(json!({"description": "Routed"})),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::POST,
            format!("/{p}/labels"),
            Some(json!({"lang": "EN", "data": {"LABEL_PLACEHOLDER": "type"}})),
            [401, 403, 403, 403, 200, 403],
        ),
        (
            Method::GET,
            format!("/{p}/labels"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
        (
            Method::GET,
            format!("/{p}/labels/EN"),
            None,
            [200, 200, 200, 200, 200, 200],
        ),
    ];
    let mut failures = Vec::new();
    for (method, path, body, expected) in &matrix {
        for (index, caller) in callers.iter().enumerate() {
            let answer = server
                .call(method.clone(), path, *caller, body.clone())
                .await;
            if answer.status.as_u16() != expected[index] {
                failures.push(format!(
                    "{method} {path} as {}: expected {}, got {} {}",
                    WHO[index], expected[index], answer.status, answer.body
                ));
            }
            assert!(
                answer.body.is_object() || answer.body.is_array() || path.starts_with("/files"),
                "{method} {path}: JSON answer"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
