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
    start_env(data, args, None)
}

/// Starts the server on a free port over `data`, with extra arguments and an environment variable.
pub fn start_env(data: &Path, args: &[&str], env: Option<(&str, &str)>) -> TestServer {
    spawn(
        Command::new(env!("CARGO_BIN_EXE_tiledesk-local")),
        data,
        args,
        env,
    )
}

/// Starts the server with at most `files` open files (`ulimit -n`), as on a small host.
#[cfg(unix)]
pub fn start_limited(data: &Path, args: &[&str], files: u32) -> TestServer {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_tiledesk-local"));
    spawn(command, data, args, None)
}

fn spawn(
    mut command: Command,
    data: &Path,
    args: &[&str],
    env: Option<(&str, &str)>,
) -> TestServer {
    if let Some((name, value)) = env {
        command.env(name, value);
    }
    let mut child = command
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

/// Starts the server for tests whose webhook targets are on the loopback (receivers, or a closed
/// port): tiledesk-local refuses loopback and private webhook targets unless started with
/// `--allow-private-webhook-targets`, which this passes.
pub fn start_receiving(data: &Path, args: &[&str]) -> TestServer {
    let mut all = vec!["--allow-private-webhook-targets"];
    all.extend_from_slice(args);
    start_with(data, &all)
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
    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// An HTTP client whose connections come from `local` (any 127.x.y.z address reaches the
    /// server), so it counts as another client address.
    pub fn client_from(&self, local: &str) -> reqwest::Client {
        reqwest::Client::builder()
            .no_proxy()
            .local_address(local.parse::<std::net::IpAddr>().expect("an IP address"))
            .build()
            .expect("http client")
    }

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
        self.call_with(&self.client, method, path, auth, body).await
    }

    /// [`TestServer::call`] through `client`.
    pub async fn call_with(
        &self,
        client: &reqwest::Client,
        method: Method,
        path: &str,
        auth: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut request = client.request(method, self.url(path));
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

/// A temp data folder, private as the server wants it (so it logs no tightening).
pub fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .expect("private temp dir");
    }
    dir
}

impl TestServer {
    /// Kills the server at once (SIGKILL): nothing is flushed or closed.
    pub fn kill(mut self) {
        self.child.kill().expect("kill the server");
        self.child.wait().expect("wait for the server");
    }

    pub async fn put(&self, path: &str, auth: Option<&str>, body: Option<Value>) -> Answer {
        self.call(Method::PUT, path, auth, body).await
    }

    /// Makes `email` a member of `project` with `role` as the demo owner: the member's `JWT …` and user id.
    pub async fn teammate(&self, project: &str, email: &str, role: &str) -> (String, String) {
        let (token, id) = self.user(email).await;
        let invited = self
            .post(
                &format!("/{project}/project_users/invite"),
                Some(&self.owner()),
                json!({"email": email, "role": role}),
            )
            .await;
        assert_eq!(invited.status, StatusCode::OK, "{:?}", invited.body);
        (token, id)
    }

    /// Subscribes `target` to `event` in `project` as the demo owner: the subscription.
    pub async fn subscribe(&self, project: &str, event: &str, target: &str) -> Value {
        let answer = self
            .post(
                &format!("/{project}/subscriptions"),
                Some(&self.owner()),
                json!({"event": event, "target": target}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        answer.body
    }

    /// The delivery log of `project`, page `page`.
    pub async fn history(&self, project: &str, page: u32) -> Vec<Value> {
        let answer = self
            .get(
                &format!("/{project}/subscriptions/history?page={page}"),
                Some(&self.owner()),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{:?}", answer.body);
        answer.body.as_array().expect("an array").clone()
    }
}

/// One delivery a [`Receiver`] got.
#[derive(Debug, Clone)]
pub struct Hit {
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    /// The status the receiver answered.
    pub answered: u16,
}

impl Hit {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Default)]
struct ReceiverState {
    hits: std::sync::Mutex<Vec<Hit>>,
    /// Deliveries still to refuse with 503.
    fail_next: std::sync::atomic::AtomicUsize,
    /// Refuse everything with 503 while set.
    down: std::sync::atomic::AtomicBool,
}

/// A local webhook target on 127.0.0.1 recording every delivery.
pub struct Receiver {
    pub url: String,
    state: std::sync::Arc<ReceiverState>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts a receiver that refuses the first `fail_first` deliveries with 503.
    pub async fn start(fail_first: usize) -> Self {
        use std::sync::atomic::Ordering;
        let state = std::sync::Arc::new(ReceiverState::default());
        state.fail_next.store(fail_first, Ordering::SeqCst);
        let shared = state.clone();
        let app = axum::Router::new().route(
            "/hook",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let state = shared.clone();
                    async move {
                        let failing = state.down.load(Ordering::SeqCst)
                            || state
                                .fail_next
                                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                                    n.checked_sub(1)
                                })
                                .is_ok();
                        let answered = if failing { 503 } else { 200 };
                        let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
                        state.hits.lock().unwrap().push(Hit {
                            headers,
                            body,
                            answered,
                        });
                        (
                            axum::http::StatusCode::from_u16(answered).unwrap(),
                            if failing {
                                "try later"
                            } else {
                                "request caught"
                            },
                        )
                    }
                },
            ),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the receiver");
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("receiver serves");
        });
        Self { url, state, task }
    }

    /// Refuse (`true`) or accept every delivery from now on.
    pub fn set_down(&self, down: bool) {
        self.state
            .down
            .store(down, std::sync::atomic::Ordering::SeqCst);
    }

    /// Waits until no delivery has come for `quiet`: requests a killed server had already sent are
    /// answered before the receiver changes its mind.
    pub async fn wait_quiet(&self, quiet: Duration) {
        let mut seen = self.hits().len();
        loop {
            tokio::time::sleep(quiet).await;
            let now = self.hits().len();
            if now == seen {
                return;
            }
            seen = now;
        }
    }

    /// Every delivery so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.state.hits.lock().unwrap().clone()
    }

    /// Waits until `done` holds for the deliveries so far (panics after `wait`).
    pub async fn wait_until(&self, wait: Duration, done: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let hits = self.hits();
            if done(&hits) {
                return hits;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the receiver did not get the expected deliveries; got {} of them: {:#?}",
                hits.len(),
                hits.iter()
                    .map(|h| (&h.body["hook"]["event"], h.answered))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The history once it has at least `count` entries.
pub async fn wait_for_history(server: &TestServer, project: &str, count: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let history = server.history(project, 0).await;
        if history.len() >= count {
            return history;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "history: {history:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

impl TestServer {
    /// Uploads `bytes` as the multipart field `file` named `name` to `POST /<project>/files/chat`.
    pub async fn upload(
        &self,
        project: &str,
        auth: Option<&str>,
        name: &str,
        bytes: &[u8],
    ) -> Answer {
        let boundary = "----tiledesk-local-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n",
            name.replace('"', "%22")
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut request = self
            .client
            .post(self.url(&format!("/{project}/files/chat")))
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        into_answer(request.send().await.expect("request sent")).await
    }

    /// `GET <path>` with an optional `Authorization`: status, headers and the raw body.
    pub async fn fetch_raw(
        &self,
        path: &str,
        auth: Option<&str>,
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut request = self.client.get(self.url(path));
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("body").to_vec();
        (status, headers, body)
    }
}
