//! Durability: the server is killed (SIGKILL) while clients post; every acknowledged message is
//! there after the restart.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::Message;

use common::{data_dir, new_request_id, start_with};

const ARGS: [&str; 2] = ["--rate-limit-per-minute", "1000000"];

#[tokio::test]
async fn every_acknowledged_message_survives_a_sigkill() {
    let dir = data_dir();
    let server = start_with(dir.path(), &ARGS);
    let project = server.demo.project_id.clone();
    let acknowledged: Arc<Mutex<Vec<(String, String, String)>>> = Arc::default();
    let mut clients = Vec::new();
    for _ in 0..8 {
        let (guest, _) = server.guest(&project).await;
        let rid = new_request_id(&project);
        let url = server.url(&format!("/{project}/requests/{rid}/messages"));
        let (client, acknowledged) = (server.client.clone(), acknowledged.clone());
        clients.push(tokio::spawn(async move {
            for n in 0.. {
                let sent = client
                    .post(&url)
                    .header("Authorization", &guest)
                    .json(&json!({"text": format!("message {n}")}))
                    .timeout(Duration::from_secs(5))
                    .send()
                    .await;
                let Ok(response) = sent else { return };
                if response.status() != StatusCode::OK {
                    return;
                }
                let Ok(message) = response.json::<Message>().await else {
                    return;
                };
                acknowledged
                    .lock()
                    .unwrap()
                    .push((guest.clone(), rid.clone(), message.id));
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // Killed while the clients are mid-request: they stop at their first failed post.
    server.kill();
    for client in clients {
        let _ = client.await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() > 20,
        "the clients posted: {}",
        acknowledged.len()
    );

    let server = start_with(dir.path(), &ARGS);
    let mut by_request = std::collections::HashMap::<String, (String, Vec<String>)>::new();
    for (token, rid, id) in &acknowledged {
        by_request
            .entry(rid.clone())
            .or_insert_with(|| (token.clone(), Vec::new()))
            .1
            .push(id.clone());
    }
    for (rid, (token, ids)) in by_request {
        let stored = server
            .get(&format!("/{project}/requests/{rid}/messages"), Some(&token))
            .await;
        assert_eq!(stored.status, StatusCode::OK);
        let stored: Vec<Message> = serde_json::from_value(stored.body).unwrap();
        let stored: Vec<&str> = stored.iter().map(|m| m.id.as_str()).collect();
        for id in &ids {
            assert!(
                stored.contains(&id.as_str()),
                "acknowledged message {id} is lost"
            );
        }
    }
}
