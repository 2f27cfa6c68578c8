//! What the benchmarks share: a `tiledesk-local` of their own over a temp data folder, its demo
//! project, guests signing in, and latency summaries.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

/// The demo project and its owner.
#[derive(serde::Deserialize)]
#[allow(
    dead_code,
    reason = "each benchmark is its own crate: the socket one needs only the project"
)]
pub struct Demo {
    pub project_id: String,
    pub email: String,
    pub password: String,
}

/// A server a benchmark started; killed on drop.
pub struct Spawned {
    pub child: Child,
    _data: tempfile::TempDir,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the `tiledesk-local` built next to the benchmark on a free loopback port, with no rate
/// limit worth the name and `args`: the server, its base URL (no trailing slash) and its demo.
pub fn spawn_server(args: &[&str]) -> anyhow::Result<(Spawned, String, Demo)> {
    let exe = std::env::current_exe()?;
    let binary = exe
        .parent()
        .and_then(|examples| examples.parent())
        .map(|dir| dir.join("tiledesk-local"))
        .filter(|path| path.exists())
        .ok_or_else(|| {
            anyhow::anyhow!("build the server first: cargo build --release -p tiledesk-local")
        })?;
    let data = tempfile::tempdir()?;
    let mut child = Command::new(binary)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--rate-limit-per-minute",
            "1000000000",
        ])
        .args(args)
        .arg("--data")
        .arg(data.path().join("data"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines
            .next()
            .ok_or_else(|| anyhow::anyhow!("the server exited"))??;
        if let Some(addr) = line.strip_prefix("tiledesk-local listening on ") {
            break addr.trim_end_matches('/').to_owned();
        }
    };
    let demo: Demo = serde_json::from_slice(&std::fs::read(data.path().join("data/demo.json"))?)?;
    Ok((Spawned { child, _data: data }, url, demo))
}

/// Signs a new guest into `project` at `base`: its token (`JWT …`).
pub async fn guest_token(
    http: &reqwest::Client,
    base: &str,
    project: &str,
) -> anyhow::Result<String> {
    let answer: Value = http
        .post(format!("{base}/auth/signinAnonymously"))
        .json(&json!({"id_project": project}))
        .send()
        .await?
        .json()
        .await?;
    answer["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no token: {answer}"))
}

/// The `q`-quantile of sorted `values`.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

/// `{p50, p99, max, samples}` of `values`.
pub fn summary(mut values: Vec<f64>) -> Value {
    values.sort_by(f64::total_cmp);
    json!({
        "p50": quantile(&values, 0.50),
        "p99": quantile(&values, 0.99),
        "max": values.last().copied().unwrap_or(f64::NAN),
        "samples": values.len(),
    })
}
