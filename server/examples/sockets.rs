//! Idle WebSockets benchmark: many visitors connected and subscribed at once, the server's memory
//! holding them, and how fast a post still reaches its visitor's socket.
//!
//! Starts the `tiledesk-local` built next to this example over a temp data folder, signs in
//! `--visitors` guests, opens one WebSocket each subscribed to its own conversation's messages,
//! reads the server's resident memory, then has `--posts` visitors post in turn and times each
//! post until its frame arrives. Writes a JSON report and prints a summary. Each side needs a file
//! descriptor per socket (`ulimit -n` above the visitor count).
//!
//! `cargo run --release -p tiledesk-local --example sockets -- --visitors 10000 --out sockets.json`

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use common::{guest_token, spawn_server, summary};
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tiledesk_protocol::realtime::{messages_topic, Frame};
use tiledesk_protocol::request::support_group_id;
use tokio_tungstenite::tungstenite::Message;

/// Options of the benchmark.
#[derive(Parser)]
struct Options {
    /// Visitors connected at once, each with one subscribed WebSocket.
    #[arg(long, default_value_t = 10_000)]
    visitors: usize,
    /// Posts timed from the request until its frame arrives.
    #[arg(long, default_value_t = 200)]
    posts: usize,
    /// Where to write the JSON report.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The resident memory of process `pid`, in bytes (Linux).
fn rss_bytes(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .ok_or_else(|| anyhow::anyhow!("no VmRSS for {pid}"))?;
    Ok(kib * 1024)
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// One connected visitor: its token, its conversation and its subscribed socket.
struct Visitor {
    token: String,
    request: String,
    socket: Socket,
}

/// Signs a guest in, opens its socket and subscribes it to its conversation's messages.
async fn visitor(http: &reqwest::Client, base: &str, project: &str) -> anyhow::Result<Visitor> {
    let token = guest_token(http, base, project).await?;
    let jwt = token.strip_prefix("JWT ").unwrap_or(&token);
    let host = base.trim_start_matches("http://");
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("ws://{host}/?token=JWT%20{jwt}")).await?;
    let request = support_group_id(project, &uuid::Uuid::new_v4().to_string());
    let subscribe = Frame::subscribe(messages_topic(project, &request));
    socket
        .send(Message::text(serde_json::to_string(&subscribe)?))
        .await?;
    Ok(Visitor {
        token,
        request,
        socket,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = Options::parse();
    // Every visitor comes from the loopback: one address holds them all.
    let connections = (options.visitors + 100).to_string();
    let (spawned, base, demo) = spawn_server(&["--max-connections-per-address", &connections])?;
    let project = demo.project_id;
    let pid = spawned.child.id();
    let http = reqwest::Client::builder().no_proxy().build()?;
    let rss_before = rss_bytes(pid)?;

    let started = Instant::now();
    let mut visitors = Vec::with_capacity(options.visitors);
    let mut pending = futures_util::stream::iter(0..options.visitors)
        .map(|_| visitor(&http, &base, &project))
        .buffer_unordered(64);
    while let Some(visitor) = pending.next().await {
        visitors.push(visitor?);
    }
    drop(pending);
    let connect_secs = started.elapsed().as_secs_f64();
    // Let the server settle: every subscription handled, nothing in flight.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_held = rss_bytes(pid)?;

    // Each post goes to one visitor's conversation: the time until that visitor's socket has it.
    let mut latencies = Vec::with_capacity(options.posts);
    let step = (visitors.len() / options.posts.max(1)).max(1);
    for (n, at) in (0..visitors.len())
        .step_by(step)
        .take(options.posts)
        .enumerate()
    {
        let visitor = &mut visitors[at];
        let text = format!("fan-out {n}");
        let sent = Instant::now();
        let answer = http
            .post(format!(
                "{base}/{project}/requests/{}/messages",
                visitor.request
            ))
            .header("Authorization", &visitor.token)
            .json(&json!({ "text": text }))
            .send()
            .await?;
        anyhow::ensure!(answer.status().is_success(), "posting: {}", answer.status());
        let arrived = tokio::time::timeout(Duration::from_secs(10), async {
            while let Some(frame) = visitor.socket.next().await {
                if let Message::Text(body) = frame? {
                    if body.contains(&text) {
                        return anyhow::Ok(());
                    }
                }
            }
            anyhow::bail!("the socket closed")
        })
        .await;
        anyhow::ensure!(
            matches!(arrived, Ok(Ok(()))),
            "post {n} never reached its socket"
        );
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
    }
    let latency = summary(latencies);
    let visitors = visitors.len();
    let report = json!({
        "visitors": visitors,
        "connect_seconds": connect_secs,
        "rss_bytes": {"before": rss_before, "held": rss_held},
        "rss_per_socket_bytes": (rss_held.saturating_sub(rss_before)) / visitors.max(1) as u64,
        "post_to_frame_ms": latency,
    });
    println!(
        "{visitors} idle subscribed sockets (connected in {connect_secs:.1} s): server RSS {} MB \
         (from {} MB); post → frame p50 {:.1} ms, p99 {:.1} ms over {} posts",
        rss_held / 1_000_000,
        rss_before / 1_000_000,
        latency["p50"].as_f64().unwrap_or(f64::NAN),
        latency["p99"].as_f64().unwrap_or(f64::NAN),
        latency["samples"],
    );
    if let Some(out) = options.out {
        if let Some(dir) = out.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(out, serde_json::to_string_pretty(&report)? + "\n")?;
    }
    Ok(())
}
