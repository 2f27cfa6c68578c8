//! The WebSocket: handshake authentication, heartbeats, dropping silent clients and the memory
//! an idle one costs.

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use tiledesk_protocol::realtime::messages_topic;
use tiledesk_protocol::Frame;
use tokio_tungstenite::tungstenite;

use common::{data_dir, new_request_id, next_frame, send_frame, start, start_with};

#[tokio::test]
async fn handshakes_without_a_valid_token_are_refused_with_401() {
    let dir = data_dir();
    let server = start(dir.path());
    for query in ["", "?token=JWT%20not-a-token", "?token=garbage"] {
        let url = format!("ws://{}/{query}", server.addr);
        match tokio_tungstenite::connect_async(url).await {
            Err(tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{query}");
            }
            other => panic!("{query}: expected a refused handshake, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn heartbeat_pings_get_pongs_and_tokens_without_prefix_work() {
    let dir = data_dir();
    let server = start(dir.path());
    let (token, _) = server.guest(&server.demo.project_id).await;

    let mut socket = server.socket(&token).await;
    send_frame(&mut socket, &Frame::heartbeat("ping")).await;
    assert_eq!(
        next_frame(&mut socket, Duration::from_secs(5)).await,
        Some(Frame::heartbeat("pong"))
    );

    // Unreadable frames are ignored and the connection stays usable.
    use futures_util::SinkExt;
    socket
        .send(tungstenite::Message::Text("not json".into()))
        .await
        .unwrap();
    let bare = token.strip_prefix("JWT ").unwrap();
    let url = format!("ws://{}/?token={bare}", server.addr);
    let (mut second, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    send_frame(&mut second, &Frame::heartbeat("ping")).await;
    assert_eq!(
        next_frame(&mut second, Duration::from_secs(5)).await,
        Some(Frame::heartbeat("pong"))
    );
    send_frame(&mut socket, &Frame::heartbeat("ping")).await;
    assert_eq!(
        next_frame(&mut socket, Duration::from_secs(5)).await,
        Some(Frame::heartbeat("pong"))
    );
}

#[tokio::test]
async fn silent_clients_are_dropped_and_answering_ones_kept() {
    let dir = data_dir();
    // The HTTP timeouts are shorter than the sockets live: the heartbeat alone decides.
    let server = start_with(
        dir.path(),
        &[
            "--ws-ping-secs",
            "1",
            "--header-timeout-secs",
            "1",
            "--idle-timeout-secs",
            "1",
        ],
    );
    let project = server.demo.project_id.clone();
    let (token, _) = server.guest(&project).await;

    // This client never reads, so never answers the server's pings.
    let mut silent = server.socket(&token).await;
    // This one reads all along; tungstenite answers pings while reading.
    let mut lively = server.socket(&token).await;
    let topic = messages_topic(&project, &new_request_id(&project));
    send_frame(&mut lively, &Frame::subscribe(topic)).await;
    assert!(next_frame(&mut lively, Duration::from_secs(5))
        .await
        .is_some());
    assert!(next_frame(&mut lively, Duration::from_millis(3500))
        .await
        .is_none());

    tokio::time::sleep(Duration::from_millis(500)).await;
    // The silent one has been closed by now: reading reaches the end of the stream.
    let ended = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(message) = silent.next().await {
            match message {
                Ok(tungstenite::Message::Close(_)) | Err(_) => return true,
                Ok(_) => continue,
            }
        }
        true
    })
    .await
    .unwrap_or(false);
    assert!(ended, "the silent client is still connected");

    send_frame(&mut lively, &Frame::heartbeat("ping")).await;
    assert_eq!(
        next_frame(&mut lively, Duration::from_secs(5)).await,
        Some(Frame::heartbeat("pong"))
    );
}

/// The resident memory of process `pid`, in KiB.
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn idle_websockets_cost_little_memory() {
    let dir = data_dir();
    let server = start(dir.path());
    let (token, _) = server.guest(&server.demo.project_id).await;
    let mut sockets = Vec::new();
    for _ in 0..20 {
        sockets.push(server.socket(&token).await);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = resident_kib(server.pid());
    for _ in 0..200 {
        let mut socket = server.socket(&token).await;
        send_frame(&mut socket, &Frame::heartbeat("ping")).await;
        assert!(next_frame(&mut socket, Duration::from_secs(5))
            .await
            .is_some());
        sockets.push(socket);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let per_socket = (resident_kib(server.pid()) - before) / 200;
    // tungstenite's default 128 KiB read and write buffers made this about 140 KiB.
    assert!(per_socket < 48, "{per_socket} KiB per idle WebSocket");
}
