//! Test harness: runs the real `tiledesk-local` binary on 127.0.0.1:0 over a temp data folder and talks HTTP/WebSocket to it.

#![allow(dead_code)] // each test binary uses a different part of the harness

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The credentials `demo.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Demo {
    pub project_id: String,
    pub email: String,
    pub password: String,
}

/// A running server process, killed on drop.
pub struct TestServer {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    pub addr: SocketAddr,
    pub base: String,
    /// The lines printed before the listening line.
    pub banner: Vec<String>,
    pub demo: Demo,
    pub client: reqwest::Client,
}

/// Starts the server on a free port over `data`, with extra command-line arguments.
pub fn start_with(data: &Path, args: &[&str]) -> TestServer {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tiledesk-local"))
        .arg("--addr")
        .arg("127.0.0.1:0")
        .arg("--data")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tiledesk-local");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut banner = Vec::new();
    let addr = loop {
        let mut line = String::new();
        let read = stdout.read_line(&mut line).expect("read stdout");
        assert!(
            read > 0,
            "server exited before listening; printed {banner:?}"
        );
        let line = line.trim_end().to_owned();
        if let Some(addr) = line.strip_prefix("tiledesk-local listening on http://") {
            break addr.parse::<SocketAddr>().expect("a socket address");
        }
        banner.push(line);
    };
    let demo = read_demo(data);
    TestServer {
        child,
        _stdout: stdout,
        addr,
        base: format!("http://{addr}"),
        banner,
        demo,
        client: reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("http client"),
    }
}

/// Starts the server over `data` with the default options.
pub fn start(data: &Path) -> TestServer {
    start_with(data, &[])
}

/// The parsed `demo.json` of a data folder.
pub fn read_demo(data: &Path) -> Demo {
    let text = std::fs::read_to_string(data.join("demo.json")).expect("demo.json exists");
    serde_json::from_str(&text).expect("demo.json is valid")
}

impl TestServer {
    /// Asks the server to stop (SIGTERM) and waits for it: its exit status.
    #[cfg(unix)]
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success());
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the server ignored SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, headers and body (JSON, or a string for anything else).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// `Authorization: Basic …` for an email and password.
pub fn basic(email: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}:{password}"))
    )
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Basic credentials of the demo owner.
    pub fn owner(&self) -> String {
        basic(&self.demo.email, &self.demo.password)
    }

    /// Sends a request with an optional `Authorization` and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = self.client.request(method, self.url(path));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        into_answer(request.send().await.expect("request sent")).await
    }

    pub async fn get(&self, path: &str, auth: Option<&str>) -> Answer {
        self.call(Method::GET, path, auth, None).await
    }

    pub async fn post(&self, path: &str, auth: Option<&str>, body: Value) -> Answer {
        self.call(Method::POST, path, auth, Some(body)).await
    }

    /// Signs in anonymously to `project`: the `Authorization` value (`JWT …`) and the guest id.
    pub async fn guest(&self, project: &str) -> (String, String) {
        let answer = self
            .post(
                "/auth/signinAnonymously",
                None,
                json!({ "id_project": project }),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        let token = answer.body["token"].as_str().expect("token").to_owned();
        let id = answer.body["user"]["_id"]
            .as_str()
            .expect("user id")
            .to_owned();
        (token, id)
    }

    /// Signs up `email` and signs in: the `Authorization` value (`JWT …`) and the user id.
    pub async fn user(&self, email: &str) -> (String, String) {
        let password = "a long password";
        let signup = self
            .post(
                "/auth/signup",
                None,
                json!({"email": email, "password": password, "firstname": "Ann", "lastname": "Lee"}),
            )
            .await;
        assert_eq!(signup.status, StatusCode::OK, "{:?}", signup.body);
        let signin = self
            .post(
                "/auth/signin",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(signin.status, StatusCode::OK, "{:?}", signin.body);
        (
            signin.body["token"].as_str().expect("token").to_owned(),
            signin.body["user"]["_id"].as_str().expect("id").to_owned(),
        )
    }

    /// Opens the WebSocket with `token` (`JWT …`).
    pub async fn socket(&self, token: &str) -> Socket {
        let jwt = token.strip_prefix("JWT ").expect("JWT prefix");
        let url = format!("ws://{}/?token=JWT%20{jwt}", self.addr);
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("websocket handshake");
        socket
    }
}

async fn into_answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Answer {
        status,
        headers,
        body,
    }
}

/// A fresh conversation id of the widget's form for `project`.
pub fn new_request_id(project: &str) -> String {
    tiledesk_protocol::request::support_group_id(project, &uuid::Uuid::new_v4().to_string())
}

/// Sends a frame to the socket.
pub async fn send_frame(socket: &mut Socket, frame: &tiledesk_protocol::Frame) {
    let text = serde_json::to_string(frame).expect("frame");
    socket
        .send(WsMessage::Text(text.into()))
        .await
        .expect("frame sent");
}

/// The next text frame within `wait`, parsed; `None` on timeout or close.
pub async fn next_frame(socket: &mut Socket, wait: Duration) -> Option<tiledesk_protocol::Frame> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let message = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()??;
        match message.ok()? {
            WsMessage::Text(text) => {
                return Some(serde_json::from_str(text.as_str()).expect("a protocol frame"))
            }
            WsMessage::Close(_) => return None,
            _ => continue,
        }
    }
}

/// A temp data folder.
pub fn data_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}
