//! The data folder: first-start demo credentials, and everything surviving a restart.

mod common;

use reqwest::StatusCode;
use serde_json::json;
use tiledesk_protocol::Message;

use common::{data_dir, new_request_id, read_demo, start};

#[tokio::test]
async fn first_start_writes_demo_json_and_prints_it() {
    let dir = data_dir();
    let data = dir.path().join("nested/data");
    let server = start(&data);
    let demo = read_demo(&data);
    assert_eq!(demo.project_id.len(), 24);
    assert!(demo.password.len() >= 12);
    assert_eq!(
        server.banner,
        [
            format!("demo project_id: {}", demo.project_id),
            format!("demo email: {}", demo.email),
            format!("demo password: {}", demo.password),
        ]
    );

    // The demo owner signs in with them, and the demo project is public for the widget.
    let signin = server
        .post(
            "/auth/signin",
            None,
            json!({"email": demo.email, "password": demo.password}),
        )
        .await;
    assert_eq!(signin.status, StatusCode::OK);
    let widgets = server
        .get(&format!("/{}/widgets", demo.project_id), None)
        .await;
    assert_eq!(widgets.status, StatusCode::OK);
    assert_eq!(widgets.body["project"]["_id"], demo.project_id.as_str());
    assert_eq!(widgets.body["project"]["name"], "Demo project");
    assert!(widgets.body["project"]["settings"].is_object());
    assert_eq!(widgets.body["user_available"][0]["firstname"], "Demo");
    assert_eq!(widgets.body["departments"], json!([]));
    assert_eq!(widgets.body["ip"], "127.0.0.1");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in ["demo.json", "jwt-secret"] {
            let mode = std::fs::metadata(data.join(file))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{file}");
        }
    }
}

#[tokio::test]
async fn a_restart_keeps_users_conversations_tokens_and_credentials() {
    let dir = data_dir();
    let first = start(dir.path());
    let project = first.demo.project_id.clone();
    let (guest, guest_id) = first.guest(&project).await;
    let rid = new_request_id(&project);
    let path = format!("/{project}/requests/{rid}/messages");
    for text in ["before restart", "still here?"] {
        let answer = first.post(&path, Some(&guest), json!({"text": text})).await;
        assert_eq!(answer.status, StatusCode::OK);
    }
    let (user, _) = first.user("kept@example.com").await;
    let demo = first.demo.clone();
    let first_banner = first.banner.clone();
    drop(first); // killed: a crash, not a clean shutdown

    let second = start(dir.path());
    assert_eq!(second.demo, demo, "demo.json is unchanged");
    assert_eq!(
        second.banner, first_banner,
        "the same credentials are printed again"
    );

    // The guest's token is still valid (same secret), and its messages are there.
    let listed = second.get(&path, Some(&guest)).await;
    assert_eq!(listed.status, StatusCode::OK);
    let listed: Vec<Message> = serde_json::from_value(listed.body).unwrap();
    let texts: Vec<&str> = listed.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(texts, ["before restart", "still here?"]);
    assert!(listed.iter().all(|m| m.sender == guest_id));

    // The owner's Basic credentials from demo.json and the signed-up user still work.
    let requests = second
        .get(&format!("/{project}/requests"), Some(&second.owner()))
        .await;
    assert_eq!(requests.status, StatusCode::OK);
    assert_eq!(requests.body["count"], 1);
    let signin = second
        .post(
            "/auth/signin",
            None,
            json!({"email": "kept@example.com", "password": "a long password"}),
        )
        .await;
    assert_eq!(signin.status, StatusCode::OK);
    let mine = second
        .post("/projects", Some(&user), json!({"name": "After restart"}))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_the_server_cleanly_even_with_an_open_websocket() {
    let dir = data_dir();
    let server = start(dir.path());
    let project = server.demo.project_id.clone();
    let (guest, _) = server.guest(&project).await;
    let path = format!("/{project}/requests/{}/messages", new_request_id(&project));
    let sent = server
        .post(&path, Some(&guest), json!({"text": "kept"}))
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    let _socket = server.socket(&guest).await;

    let status = tokio::task::spawn_blocking(move || server.terminate())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");

    let again = start(dir.path());
    let listed = again.get(&path, Some(&guest)).await;
    assert_eq!(listed.body[0]["text"], "kept");
}

/// The permission bits of `path`.
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_folder_and_every_file_in_it_are_private_even_when_they_were_not() {
    use std::os::unix::fs::PermissionsExt;
    let dir = data_dir();
    let data = dir.path().join("data");
    let files = [
        "tiledesk.db",
        "tiledesk.db-wal",
        "tiledesk.db-shm",
        "jwt-secret",
        "demo.json",
    ];
    let server = start(&data);
    // A write, so the write-ahead log and its index exist.
    server.guest(&server.demo.project_id).await;
    assert_eq!(mode(&data), 0o700, "the data folder");
    for file in files {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    server.terminate();

    // A folder loosened by hand (or made by an older version) is tightened at start-up.
    let loose = |path: &std::path::Path, bits: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(bits)).unwrap();
    };
    loose(&data, 0o755);
    for file in ["tiledesk.db", "jwt-secret", "demo.json"] {
        loose(&data.join(file), 0o644);
    }
    let again = start(&data);
    again.guest(&again.demo.project_id).await;
    assert_eq!(mode(&data), 0o700, "the data folder");
    for file in files {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
}
