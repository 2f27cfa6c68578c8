//! Accepting and serving HTTP/1.1 connections: TCP_NODELAY, a cap on connections per client
//! address, a deadline for a new connection's first request head, an idle timeout between
//! requests, hyper's own head limits set above the server's (which answer JSON), and graceful
//! shutdown.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

use crate::client_address::ClientAddress;
use crate::request_limits::{MAX_HEADERS, MAX_HEADER_BYTES, MAX_URL_BYTES};

/// Headers hyper reads before answering 431 itself: above [`MAX_HEADERS`], so the server answers
/// JSON for counts in between.
const HYPER_MAX_HEADERS: usize = 2 * MAX_HEADERS;
/// Bytes of a request head hyper buffers before answering 431 itself: above the server's limits.
const HYPER_MAX_HEAD_BYTES: usize = 2 * (MAX_HEADER_BYTES + MAX_URL_BYTES);
/// Pause after a failed accept that is not about one connection (such as too many open files).
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// How connections are treated.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Time a new connection has to send its first request head.
    pub header_timeout: Duration,
    /// Time a kept-alive connection may wait for (and take to send) its next request head.
    pub idle_timeout: Duration,
    /// Connections open at once from one client address.
    pub max_per_address: usize,
}

/// Open connections per client address.
#[derive(Clone, Default)]
struct Tracker(Arc<Mutex<HashMap<ClientAddress, usize>>>);

impl Tracker {
    /// A slot for one more connection from `address`, unless it has `max` already.
    fn admit(&self, address: ClientAddress, max: usize) -> Option<Slot> {
        let mut open = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(address).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Slot {
            tracker: self.clone(),
            address,
        })
    }
}

/// One open connection of an address; given back when dropped.
struct Slot {
    tracker: Tracker,
    address: ClientAddress,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .tracker
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// A connection holding its slot for as long as it is open, WebSocket upgrades included.
struct Tracked {
    stream: TcpStream,
    _slot: Slot,
}

impl AsyncRead for Tracked {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }
}

/// Whether an accept error concerns only the connection being accepted.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    settings: Settings,
    shutdown: impl Future<Output = ()>,
) {
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.idle_timeout)
        .max_headers(HYPER_MAX_HEADERS)
        .max_buf_size(HYPER_MAX_HEAD_BYTES);
    let tracker = Tracker::default();
    // `stop` tells the connections to finish; `done` is closed when the last one has.
    let (stop, stopping) = watch::channel(false);
    let (done, open) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) if is_connection_error(&error) => continue,
                Err(error) => {
                    tracing::error!(%error, "accepting a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        let address = ClientAddress::of(peer.ip());
        let Some(slot) = tracker.admit(address, settings.max_per_address) else {
            tracing::debug!(%address, "refusing a connection over the per-address cap");
            continue;
        };
        // Small answers go out at once: without TCP_NODELAY a response written in two parts
        // (headers, then a file's body) can wait ~40 ms for the client's delayed ACK.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::warn!(%error, "TCP_NODELAY not set");
        }
        let io = TokioIo::new(Tracked {
            stream,
            _slot: slot,
        });
        let connection = serve_connection(
            http.clone(),
            io,
            router.clone(),
            peer,
            settings.header_timeout,
            stopping.clone(),
        );
        let open = open.clone();
        tokio::spawn(async move {
            connection.await;
            drop(open);
        });
    }
    drop(listener);
    let _ = stop.send(true);
    drop(open);
    done.closed().await;
}

/// Serves one connection: closed if no request head arrived within `header_timeout`.
async fn serve_connection(
    http: http1::Builder,
    io: TokioIo<Tracked>,
    router: Router,
    peer: SocketAddr,
    header_timeout: Duration,
    mut stopping: watch::Receiver<bool>,
) {
    let requested = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&requested);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        seen.store(true, Ordering::Relaxed);
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(request.map(Body::new))
    });
    let connection = http.serve_connection(io, service).with_upgrades();
    tokio::pin!(connection);
    let first_head = tokio::time::sleep(header_timeout);
    tokio::pin!(first_head);
    let (mut waiting_first, mut shutting_down) = (true, false);
    loop {
        tokio::select! {
            served = connection.as_mut() => {
                if let Err(error) = served {
                    tracing::debug!(%error, "connection ended with an error");
                }
                return;
            }
            () = &mut first_head, if waiting_first => {
                waiting_first = false;
                if !requested.load(Ordering::Relaxed) {
                    tracing::debug!(%peer, "closing a connection that sent no request in time");
                    return;
                }
            }
            _ = stopping.changed(), if !shutting_down => {
                shutting_down = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_has_its_own_cap_and_slots_are_given_back() {
        let tracker = Tracker::default();
        let (one, two) = (
            ClientAddress::of("192.0.2.1".parse().unwrap()),
            ClientAddress::of("192.0.2.2".parse().unwrap()),
        );
        let first = tracker.admit(one, 2).expect("first");
        let second = tracker.admit(one, 2).expect("second");
        assert!(tracker.admit(one, 2).is_none());
        assert!(tracker.admit(two, 2).is_some());
        drop(first);
        let third = tracker.admit(one, 2).expect("a slot was given back");
        drop((second, third));
        assert!(
            tracker.0.lock().unwrap().is_empty(),
            "no address is kept once gone"
        );
    }
}
