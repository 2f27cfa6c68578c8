//! Custom events: firing (any member), listing and reading (agents, or the firer), and the
//! WebSocket topic `/<project_id>/events/<project_user_id>`.

mod common;

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::realtime::events_topic;
use tiledesk_protocol::{Event, EventPage, Frame};

use common::{data_dir, next_frame, send_frame, start};

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn members_fire_events_and_agents_list_and_read_them() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let owner = server.owner();
    let (guest, guest_id) = server.guest(&project).await;
    let (other, _) = server.guest(&project).await;
    let base = format!("/{project}/events");

    let mut fired = Vec::new();
    for name in ["b_event", "a_event", "c_event"] {
        let answer = server
            .post(
                &base,
                Some(&guest),
                json!({"name": name, "attributes": {"n": name}}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        let event: Event = serde_json::from_value(answer.body).unwrap();
        assert_eq!(event.name, name);
        assert_eq!(event.id_project, project);
        assert_eq!(event.created_by, guest_id);
        assert_eq!(event.attributes["n"], name);
        assert_eq!(event.project_user.len(), 24);
        fired.push(event);
    }

    let page: EventPage =
        serde_json::from_value(server.get(&base, Some(&owner)).await.body).unwrap();
    assert_eq!(page.per_page, 40);
    assert_eq!(page.count, 3);
    let names = |page: &EventPage| {
        page.events
            .iter()
            .map(|e| e.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&page),
        ["c_event", "a_event", "b_event"],
        "newest first by default"
    );
    let by_name: EventPage = serde_json::from_value(
        server
            .get(&format!("{base}?sortField=name&direction=1"), Some(&owner))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(names(&by_name), ["a_event", "b_event", "c_event"]);
    let empty: EventPage = serde_json::from_value(
        server
            .get(&format!("{base}?page=1"), Some(&owner))
            .await
            .body,
    )
    .unwrap();
    assert!(empty.events.is_empty());
    assert_eq!(
        server.get(&base, Some(&guest)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        server
            .get(&format!("{base}?sortField=secret"), Some(&owner))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    let one = format!("{base}/{}", fired[0].id);
    assert_eq!(server.get(&one, Some(&owner)).await.status, StatusCode::OK);
    assert_eq!(server.get(&one, Some(&guest)).await.status, StatusCode::OK);
    assert_eq!(
        server.get(&one, Some(&other)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get(&format!("{base}/5e2c35c8f0dbc10017bb3aac"), Some(&owner))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server
            .get(&format!("{base}/nope"), Some(&owner))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    for bad in [
        json!({}),
        json!({"name": ""}),
        json!({"name": "a b"}),
        json!({"name": "x", "attributes": [1]}),
    ] {
        let answer = server.post(&base, Some(&guest), bad.clone()).await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

#[tokio::test]
async fn events_are_published_to_the_firer_and_agents_only() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (guest, _) = server.guest(&project).await;
    let (other, _) = server.guest(&project).await;
    let (agent, _) = server
        .teammate(&project, "agent@example.com", "agent")
        .await;
    let base = format!("/{project}/events");
    let first = server
        .post(&base, Some(&guest), json!({"name": "hello"}))
        .await;
    let project_user = first.body["project_user"].as_str().unwrap().to_owned();
    let topic = events_topic(&project, &project_user);

    let mut own = server.socket(&guest).await;
    let mut foreign = server.socket(&other).await;
    let mut staff = server.socket(&agent).await;
    for socket in [&mut own, &mut foreign, &mut staff] {
        send_frame(socket, &Frame::subscribe(topic.clone())).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let second = server
        .post(
            &base,
            Some(&guest),
            json!({"name": "clicked", "attributes": {"button": "buy"}}),
        )
        .await;
    assert_eq!(second.status, StatusCode::OK);
    for socket in [&mut own, &mut staff] {
        let Some(Frame::Publish(publication)) = next_frame(socket, WAIT).await else {
            panic!("expected the event");
        };
        assert_eq!(publication.topic, topic);
        assert_eq!(publication.message["_id"], second.body["_id"]);
        assert_eq!(publication.message["attributes"]["button"], "buy");
    }
    assert!(next_frame(&mut foreign, Duration::from_millis(500))
        .await
        .is_none());
}
