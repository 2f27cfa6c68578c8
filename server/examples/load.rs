//! Load benchmark: message posts per second, post latency and webhook delivery latency.
//!
//! Starts a `tiledesk-local` (the binary built next to this example, over a temp data folder) or
//! uses one given with `--url` and `--demo`, subscribes a local receiver to `message.create`, then
//! runs keep-alive clients posting messages for a while. Writes a JSON report and prints a summary.
//!
//! `cargo run --release -p tiledesk-local --example load -- --clients 50 --seconds 10 --out load.json`

mod common;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use clap::Parser;
use common::{guest_token, spawn_server, summary, Demo};
use serde_json::{json, Value};

/// Options of the benchmark.
#[derive(Parser)]
struct Options {
    /// Concurrent keep-alive clients.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Seconds of posting.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Where to write the JSON report.
    #[arg(long)]
    out: Option<PathBuf>,
    /// A running server to use instead of starting one (its rate limit must allow the load, and it
    /// must run with `--allow-private-webhook-targets`: the webhook receiver is on the loopback).
    #[arg(long, requires = "demo")]
    url: Option<String>,
    /// The `demo.json` of the server given with `--url`.
    #[arg(long)]
    demo: Option<PathBuf>,
    /// Seconds to wait for the last webhooks after posting stops.
    #[arg(long, default_value_t = 15)]
    drain_seconds: u64,
}

/// What the receiver saw: message id → (receipt time in ms since the epoch).
type Received = Arc<Mutex<HashMap<String, f64>>>;

fn now_ms() -> f64 {
    chrono::Utc::now().timestamp_micros() as f64 / 1000.0
}

/// Starts the webhook receiver on the loopback: its URL.
async fn start_receiver(received: Received) -> anyhow::Result<String> {
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: axum::Json<Value>| {
            let at = now_ms();
            let received = received.clone();
            async move {
                if let Some(id) = body["payload"]["_id"].as_str() {
                    received.lock().unwrap().entry(id.to_owned()).or_insert(at);
                }
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/hook", listener.local_addr()?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(url)
}

/// One acknowledged post.
struct Posted {
    id: String,
    created_ms: f64,
    latency: Duration,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = Options::parse();
    let (_spawned, base, demo) = match (&options.url, &options.demo) {
        (Some(url), Some(demo)) => (
            None,
            url.trim_end_matches('/').to_owned(),
            serde_json::from_slice::<Demo>(&std::fs::read(demo)?)?,
        ),
        _ => {
            // The webhook receiver listens on the loopback, a target refused unless allowed.
            let (spawned, url, demo) = spawn_server(&["--allow-private-webhook-targets"])?;
            (Some(spawned), url, demo)
        }
    };
    let http = reqwest::Client::builder().no_proxy().build()?;
    let received: Received = Arc::default();
    let target = start_receiver(received.clone()).await?;
    let owner = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", demo.email, demo.password))
    );
    let subscribed = http
        .post(format!("{base}/{}/subscriptions", demo.project_id))
        .header("Authorization", &owner)
        .json(&json!({"event": "message.create", "target": target}))
        .send()
        .await?;
    anyhow::ensure!(
        subscribed.status().is_success(),
        "subscribing: {}",
        subscribed.status()
    );

    // Every client signs in as its own guest and talks in its own conversation.
    let mut guests = Vec::new();
    for _ in 0..options.clients {
        guests.push(guest_token(&http, &base, &demo.project_id).await?);
    }
    let errors = Arc::new(Mutex::new(HashMap::<String, u64>::new()));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let mut tasks = Vec::new();
    for token in guests {
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(1)
            .build()?;
        let url = format!(
            "{base}/{}/requests/support-group-{}/messages",
            demo.project_id,
            uuid::Uuid::new_v4().simple()
        );
        let errors = errors.clone();
        tasks.push(tokio::spawn(async move {
            let mut posted = Vec::new();
            let mut n = 0u64;
            while Instant::now() < deadline {
                n += 1;
                let sent_at = Instant::now();
                let answer = client
                    .post(&url)
                    .header("Authorization", &token)
                    .json(&json!({
                        "text": format!("load message {n}"),
                        "attributes": {"clientMessageId": uuid::Uuid::new_v4().to_string()},
                    }))
                    .send()
                    .await;
                let body = match answer {
                    Ok(response) if response.status().is_success() => {
                        response.json::<Value>().await.ok()
                    }
                    Ok(response) => {
                        *errors
                            .lock()
                            .unwrap()
                            .entry(response.status().to_string())
                            .or_default() += 1;
                        None
                    }
                    Err(error) => {
                        *errors.lock().unwrap().entry(error.to_string()).or_default() += 1;
                        None
                    }
                };
                let latency = sent_at.elapsed();
                if let Some(body) = body {
                    let created_ms = body["createdAt"]
                        .as_str()
                        .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
                        .map_or(f64::NAN, |at| at.timestamp_millis() as f64);
                    if let Some(id) = body["_id"].as_str() {
                        posted.push(Posted {
                            id: id.to_owned(),
                            created_ms,
                            latency,
                        });
                    }
                }
            }
            posted
        }));
    }
    let mut posted = Vec::new();
    for task in tasks {
        posted.extend(task.await?);
    }
    let elapsed = started.elapsed().as_secs_f64();

    // Wait for the webhooks of every acknowledged message.
    let ids: HashSet<&str> = posted.iter().map(|p| p.id.as_str()).collect();
    let drain_deadline = Instant::now() + Duration::from_secs(options.drain_seconds);
    loop {
        let missing = {
            let received = received.lock().unwrap();
            ids.iter().filter(|id| !received.contains_key(**id)).count()
        };
        if missing == 0 || Instant::now() >= drain_deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let received = received.lock().unwrap().clone();
    let lost = ids.iter().filter(|id| !received.contains_key(**id)).count();
    let webhook_ms: Vec<f64> = posted
        .iter()
        .filter_map(|p| received.get(&p.id).map(|at| at - p.created_ms))
        .filter(|ms| ms.is_finite())
        .collect();
    let post_ms: Vec<f64> = posted
        .iter()
        .map(|p| p.latency.as_secs_f64() * 1000.0)
        .collect();
    let report = json!({
        "clients": options.clients,
        "seconds": elapsed,
        "posts": posted.len(),
        "posts_per_second": posted.len() as f64 / elapsed,
        "post_latency_ms": summary(post_ms),
        "webhook_latency_ms": summary(webhook_ms),
        "webhooks_received": received.len(),
        "events_lost": lost,
        "errors": *errors.lock().unwrap(),
    });
    if let Some(out) = &options.out {
        std::fs::write(out, serde_json::to_vec_pretty(&report)?)?;
    }
    println!(
        "{} clients, {:.1} s: {} posts, {:.0} posts/s; post latency p50 {:.1} ms, p99 {:.1} ms; \
         webhook latency (createdAt to receipt) p50 {:.1} ms, p99 {:.1} ms; events lost {}; errors {}",
        options.clients,
        elapsed,
        report["posts"],
        report["posts_per_second"].as_f64().unwrap_or_default(),
        report["post_latency_ms"]["p50"].as_f64().unwrap_or(f64::NAN),
        report["post_latency_ms"]["p99"].as_f64().unwrap_or(f64::NAN),
        report["webhook_latency_ms"]["p50"].as_f64().unwrap_or(f64::NAN),
        report["webhook_latency_ms"]["p99"].as_f64().unwrap_or(f64::NAN),
        lost,
        report["errors"],
    );
    anyhow::ensure!(
        lost == 0,
        "{lost} acknowledged messages never reached the webhook receiver"
    );
    Ok(())
}
