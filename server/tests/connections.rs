//! The connection layer: timeouts for silent, slow and idle clients, the per-address connection
//! cap, and the limits on the request head and body, answered as JSON with CORS.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use common::{data_dir, start_limited, start_with, TestServer};

/// Short timeouts so the tests are quick: heads in 1 s, bodies in 1 s, 3 s of keep-alive idling.
const QUICK: [&str; 6] = [
    "--header-timeout-secs",
    "1",
    "--body-timeout-secs",
    "1",
    "--idle-timeout-secs",
    "3",
];

/// A raw connection to `server` from the local address `from`.
async fn connect_from(server: &TestServer, from: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket
        .bind(SocketAddr::new(from.parse().unwrap(), 0))
        .unwrap();
    socket.connect(server.addr).await.expect("connect")
}

async fn connect(server: &TestServer) -> TcpStream {
    connect_from(server, "127.0.0.1").await
}

/// Reads until the server closes the connection: how long that took (`None` if it was still
/// open after `wait`) and what it sent.
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> (Option<Duration>, Vec<u8>) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let left = wait.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Err(_) => return (None, received),
            Ok(Ok(0) | Err(_)) => return (Some(started.elapsed()), received),
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
        }
    }
}

/// One HTTP/1.1 answer read off a raw connection.
#[derive(Debug)]
struct Raw {
    status: u16,
    head: String,
    body: Value,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then_some(value.trim())
        })
    }

    /// Checks the answer is `status` with a JSON body and CORS.
    fn assert_json(&self, status: u16) {
        assert_eq!(self.status, status, "{self:?}");
        assert!(
            self.header("content-type")
                .is_some_and(|ct| ct.starts_with("application/json")),
            "{self:?}"
        );
        assert_eq!(
            self.header("access-control-allow-origin"),
            Some("*"),
            "{self:?}"
        );
        assert_eq!(self.body["success"], false, "{self:?}");
        assert!(self.body["msg"].is_string(), "{self:?}");
    }
}

/// Parses the first answer in `bytes`.
fn parse(bytes: &[u8]) -> Option<Raw> {
    let text = String::from_utf8_lossy(bytes);
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let mut raw = Raw {
        status,
        head: head.to_owned(),
        body: Value::Null,
    };
    let length: usize = raw
        .header("content-length")
        .map_or(0, |l| l.parse().unwrap());
    if rest.len() < length {
        return None;
    }
    raw.body =
        serde_json::from_str(&rest[..length]).unwrap_or(Value::String(rest[..length].to_owned()));
    Some(raw)
}

/// Writes `request` and reads one answer (within 5 s), leaving the connection open.
async fn exchange(stream: &mut TcpStream, request: &[u8]) -> Raw {
    stream.write_all(request).await.expect("request written");
    let mut received = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(raw) = parse(&received) {
            return raw;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let n = tokio::time::timeout(left, stream.read(&mut buffer))
            .await
            .expect("an answer within 5 s")
            .expect("read");
        assert!(
            n > 0,
            "closed without an answer: {:?}",
            String::from_utf8_lossy(&received)
        );
        received.extend_from_slice(&buffer[..n]);
    }
}

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: test\r\n\r\n";

#[tokio::test]
async fn silent_half_sent_and_idle_connections_are_dropped() {
    let dir = data_dir();
    let server = start_with(dir.path(), &QUICK);
    let wait = Duration::from_secs(10);

    let mut silent = connect(&server).await;
    let (closed, sent) = read_until_closed(&mut silent, wait).await;
    let closed = closed.expect("a silent connection is dropped");
    assert!(closed < Duration::from_millis(2500), "{closed:?}");
    assert!(sent.is_empty());

    let mut half_head = connect(&server).await;
    half_head
        .write_all(b"GET /health HTTP/1.1\r\nHost: test\r\n")
        .await
        .unwrap();
    let (closed, _) = read_until_closed(&mut half_head, wait).await;
    assert!(closed.expect("a half-sent head is dropped") < Duration::from_millis(2500));

    let mut half_body = connect(&server).await;
    half_body
        .write_all(
            b"POST /auth/signin HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
              Origin: https://shop.example\r\nContent-Length: 100\r\n\r\n{\"email\"",
        )
        .await
        .unwrap();
    let (closed, sent) = read_until_closed(&mut half_body, wait).await;
    assert!(closed.expect("a half-sent body is dropped") < Duration::from_millis(2500));
    let answer = parse(&sent).expect("an answer before closing");
    answer.assert_json(408);

    // Between requests a connection may idle for the keep-alive timeout, longer than a head may take.
    let mut idle = connect(&server).await;
    assert_eq!(exchange(&mut idle, HEALTH).await.status, 200);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(exchange(&mut idle, HEALTH).await.status, 200);
    let (closed, _) = read_until_closed(&mut idle, wait).await;
    let closed = closed.expect("an idle keep-alive connection is dropped");
    assert!(
        (Duration::from_millis(2000)..Duration::from_millis(4500)).contains(&closed),
        "{closed:?}"
    );
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_refused_before_it_is_sent() {
    let dir = data_dir();
    let server = start_with(dir.path(), &[]);
    let mut stream = connect(&server).await;
    let started = Instant::now();
    let answer = exchange(
        &mut stream,
        b"POST /auth/signin HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
          Content-Length: 10000000\r\n\r\n",
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    answer.assert_json(413);
    assert!(answer.body["msg"].as_str().unwrap().contains("500 KB"));
    let (closed, _) = read_until_closed(&mut stream, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "the unread body ends the connection");
}

#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let dir = data_dir();
    // A low file limit, as on many hosts: 300 connections would exhaust it.
    let server = start_limited(dir.path(), &["--max-connections-per-address", "50"], 200);
    let mut held = Vec::new();
    for _ in 0..300 {
        held.push(connect(&server).await);
    }
    // Connections over the cap are closed at once.
    let (closed, _) = read_until_closed(held.last_mut().unwrap(), Duration::from_secs(5)).await;
    assert!(closed.is_some(), "the 300th connection was kept");

    // Other addresses are still served, and so is this one once it lets go.
    let mut other = connect_from(&server, "127.0.0.2").await;
    assert_eq!(exchange(&mut other, HEALTH).await.status, 200);
    held.clear();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let mut again = connect(&server).await;
        let (_, sent) = tokio::time::timeout(Duration::from_secs(1), async {
            again.write_all(HEALTH).await.ok();
            read_until_closed(&mut again, Duration::from_millis(300)).await
        })
        .await
        .unwrap_or((None, Vec::new()));
        if parse(&sent).is_some_and(|raw| raw.status == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "the address stays blocked");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn oversized_heads_are_answered_json_with_cors_where_the_server_reads_them() {
    let dir = data_dir();
    let server = start_with(dir.path(), &[]);
    let many: String = (0..150).map(|n| format!("X-Header-{n}: v\r\n")).collect();
    let cases = [
        (
            format!("GET /health HTTP/1.1\r\nHost: test\r\n{many}\r\n"),
            431,
        ),
        (
            format!(
                "GET /health HTTP/1.1\r\nHost: test\r\nX-Big: {}\r\n\r\n",
                "a".repeat(40 * 1024)
            ),
            431,
        ),
        (
            format!(
                "GET /{} HTTP/1.1\r\nHost: test\r\n\r\n",
                "a".repeat(10 * 1024)
            ),
            414,
        ),
    ];
    for (request, status) in cases {
        let mut stream = connect(&server).await;
        let answer = exchange(&mut stream, request.as_bytes()).await;
        answer.assert_json(status);
    }
    // Within the limits, the same requests pass.
    let few: String = (0..50).map(|n| format!("X-Header-{n}: v\r\n")).collect();
    let mut stream = connect(&server).await;
    let request = format!(
        "GET /health HTTP/1.1\r\nHost: test\r\nX-Big: {}\r\n{few}\r\n",
        "a".repeat(8 * 1024)
    );
    assert_eq!(exchange(&mut stream, request.as_bytes()).await.status, 200);

    // What is not HTTP at all gets the HTTP layer's own bare 400, and the connection ends.
    let mut garbage = connect(&server).await;
    garbage
        .write_all(b"\x16\x03\x01 hello\r\n\r\n")
        .await
        .unwrap();
    let (closed, sent) = read_until_closed(&mut garbage, Duration::from_secs(5)).await;
    assert!(closed.is_some());
    assert_eq!(parse(&sent).map(|raw| raw.status), Some(400));
}
