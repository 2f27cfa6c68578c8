//! `cargo xtask demo`: builds everything, then serves the widget, a demo page and the API with tiledesk-local until Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crate::build::{self, SERVER_BIN};
use crate::proc::{banner, Result};
use crate::setup::{self, read_json};

const DEFAULT_ADDR: &str = "127.0.0.1:3000";
const START_TIMEOUT: Duration = Duration::from_secs(30);

pub fn run(root: &Path) -> Result {
    setup::run(root)?;
    build::run(root)?;
    banner("demo: starting tiledesk-local");
    let addr = std::env::var("TILEDESK_ADDR").unwrap_or_else(|_| DEFAULT_ADDR.to_string());
    let args = [
        "--addr",
        &addr,
        "--data",
        "./data",
        "--widget-dir",
        "dist",
        "--signup",
        "open",
        "--allow-private-webhook-targets",
    ];
    let mut cmd = Command::new(root.join(SERVER_BIN));
    cmd.args(args).stdout(Stdio::piped());
    println!("$ {SERVER_BIN} {}", args.join(" "));
    println!(
        "(a local demo: anyone may sign up, and webhooks may target this machine and its network, \
         e.g. a receiver on 127.0.0.1; a public server leaves --allow-private-webhook-targets out)"
    );
    let mut child = cmd
        .spawn()
        .map_err(|err| format!("could not start {SERVER_BIN}: {err}"))?;
    match announce(root, &mut child) {
        Ok(()) => {}
        Err(err) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(err);
        }
    }
    let status = child
        .wait()
        .map_err(|err| format!("lost tiledesk-local: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("tiledesk-local stopped ({status})"))
    }
}

/// Waits for the server to listen and answer /health, then prints how to use the demo.
fn announce(root: &Path, child: &mut Child) -> Result {
    let stdout = child.stdout.take().ok_or("no stdout from tiledesk-local")?;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(|line| line.ok()) {
            println!("{line}");
            if let Some((_, rest)) = line.split_once("listening on ") {
                let url = rest.split_whitespace().next().unwrap_or_default();
                let _ = tx.send(url.trim_end_matches('/').to_string());
            }
        }
    });
    let base = rx.recv_timeout(START_TIMEOUT).map_err(|_| {
        format!(
            "tiledesk-local did not print `tiledesk-local listening on http://...` within {}s \
             (is the address already in use? set TILEDESK_ADDR)",
            START_TIMEOUT.as_secs()
        )
    })?;
    wait_healthy(&base)?;
    let demo = read_json(&root.join("data/demo.json"))?;
    let field = |name: &str| demo[name].as_str().unwrap_or("?").to_string();
    let (project, email, password) = (field("project_id"), field("email"), field("password"));
    println!(
        "
==> demo is running

  Demo page (a host page with the widget):  {base}/
  Agent console (answer the visitors):     {base}/console/
  Owner (agent) login:                     {email} / {password}   (from data/demo.json)
  Widget loader for your own page:         {base}/widget/launch.js
  Project id:                              {project}

Open the demo page and start a chat; open the agent console in another window, sign in with the
owner's login above and answer it there. Or reply as the agent from another terminal:

  # list the conversations and pick a request_id
  curl -s -u '{email}:{password}' {base}/{project}/requests

  # reply in that conversation (replace REQUEST_ID)
  curl -s -u '{email}:{password}' -H 'Content-Type: application/json' \\
    -d '{{\"text\":\"Hello from the agent\"}}' {base}/{project}/requests/REQUEST_ID/messages

Press Ctrl-C to stop."
    );
    Ok(())
}

/// Polls `GET {base}/health` until it answers 200.
fn wait_healthy(base: &str) -> Result {
    let host = base
        .strip_prefix("http://")
        .ok_or_else(|| format!("unexpected server URL {base}"))?;
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if health(host).unwrap_or(false) {
            println!("ok: {base}/health answers 200");
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{base}/health did not answer 200 within {}s",
                START_TIMEOUT.as_secs()
            ));
        }
        thread::sleep(Duration::from_millis(200));
    }
}

/// One plain HTTP/1.1 `GET /health`; whether the status is 200.
fn health(host: &str) -> std::io::Result<bool> {
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(
        stream,
        "GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head)?;
    Ok(head.ends_with(b" 200"))
}
