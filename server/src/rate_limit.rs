//! Per-client rate limiting: a fixed one-minute window per credential (the `Authorization` header
//! or WebSocket token), or per IP address for anonymous calls; over the limit, 429 with `Retry-After`.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

/// Length of a window.
const WINDOW: Duration = Duration::from_secs(60);
/// Clients remembered before expired windows are swept.
const SWEEP_ABOVE: usize = 10_000;

/// Counts requests per client in one-minute windows.
pub struct RateLimiter {
    per_minute: u32,
    hasher: RandomState,
    windows: Mutex<HashMap<u64, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            hasher: RandomState::new(),
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of `client` at `now`: `Err(wait)` when it is over the limit.
    fn check(&self, client: &[u8], now: Instant) -> Result<(), Duration> {
        let key = self.hasher.hash_one(client);
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let (start, count) = windows.entry(key).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            *start = now;
            *count = 0;
        }
        if *count >= self.per_minute {
            return Err(WINDOW.saturating_sub(now.duration_since(*start)));
        }
        *count += 1;
        Ok(())
    }
}

/// Who a request counts against: its credential, else its address.
fn client_key(request: &Request) -> Vec<u8> {
    if let Some(auth) = request.headers().get(AUTHORIZATION) {
        return [b"auth:".as_slice(), auth.as_bytes()].concat();
    }
    if let Some(token) = request
        .uri()
        .query()
        .and_then(|query| query.split('&').find(|pair| pair.starts_with("token=")))
    {
        return [b"token:".as_slice(), token.as_bytes()].concat();
    }
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip().to_string())
        .unwrap_or_default();
    format!("ip:{ip}").into_bytes()
}

/// The middleware: CORS preflights are not counted.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    match state.limiter.check(&client_key(&request), Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(wait) => ApiError::TooManyRequests {
            per_minute: state.limiter.per_minute,
            retry_after_secs: wait.as_secs().max(1),
        }
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_gets_its_own_window() {
        let limiter = RateLimiter::new(3);
        let now = Instant::now();
        for _ in 0..3 {
            assert!(limiter.check(b"a", now).is_ok());
        }
        let wait = limiter
            .check(b"a", now + Duration::from_secs(20))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(40));
        assert!(limiter.check(b"b", now).is_ok());
        assert!(limiter.check(b"a", now + WINDOW).is_ok());
    }
}
