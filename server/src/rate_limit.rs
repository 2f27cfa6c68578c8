//! Per-client rate limiting: a fixed one-minute window per user with valid credentials (however
//! they are spelled), and per client address for everything else, failed authentication
//! included; over the limit, 429 with `Retry-After`. The middleware authenticates the request once
//! and leaves the outcome for the handlers.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{Query, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::{self, Authentication};
use crate::client_address::ClientAddress;
use crate::error::ApiError;
use crate::state::AppState;

/// Length of a window.
const WINDOW: Duration = Duration::from_secs(60);
/// Clients remembered before expired windows are swept.
const SWEEP_ABOVE: usize = 10_000;

/// Who a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Client<'a> {
    /// The user of valid credentials.
    User(&'a str),
    /// Anyone else, by address.
    Address(ClientAddress),
}

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
    fn check(&self, client: impl Hash, now: Instant) -> Result<(), Duration> {
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

/// `?token=` of a WebSocket handshake.
#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// The user of the `?token=` of a WebSocket handshake, when valid.
async fn query_token_user(state: &AppState, uri: &Uri) -> Option<String> {
    let Query(TokenQuery { token }) = Query::try_from_uri(uri).ok()?;
    let caller = auth::from_token(state, &token?).await.ok()?;
    Some(caller.user.id)
}

/// The middleware: authenticates the request, counts it against its client, and leaves the
/// [`Authentication`] for the handlers. CORS preflights are not counted.
pub async fn limit(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let Some(address) = ClientAddress::of_request(request.extensions()) else {
        return ApiError::internal("a request without its connection's address").into_response();
    };
    let header = request.headers().get(AUTHORIZATION);
    let user = if header.is_some() {
        let authentication = match auth::authenticate(&state, header, &address).await {
            Ok(authentication) => authentication,
            Err(error) => return error.into_response(),
        };
        let user = match &authentication {
            Authentication::Valid(caller) => Some(caller.user.id.clone()),
            Authentication::Refused(_) => None,
        };
        request.extensions_mut().insert(authentication);
        user
    } else {
        request
            .extensions_mut()
            .insert(Authentication::Refused(auth::MISSING));
        let uri = request.uri().clone();
        query_token_user(&state, &uri).await
    };
    let client = match &user {
        Some(id) => Client::User(id),
        None => Client::Address(address),
    };
    match state.limiter.check(client, Instant::now()) {
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
        let address = Client::Address(ClientAddress::of("192.0.2.1".parse().unwrap()));
        for _ in 0..3 {
            assert!(limiter.check(address, now).is_ok());
        }
        let wait = limiter
            .check(address, now + Duration::from_secs(20))
            .unwrap_err();
        assert_eq!(wait, Duration::from_secs(40));
        assert!(limiter.check(Client::User("u1"), now).is_ok());
        assert!(limiter.check(address, now + WINDOW).is_ok());
    }
}
