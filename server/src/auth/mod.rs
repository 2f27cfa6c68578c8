//! Who is calling: `Basic` and `JWT` authentication of requests and WebSocket handshakes, with
//! growing delays after failed password checks.

pub mod jwt;
pub mod lockout;
pub mod password;

use std::time::Instant;

use axum::http::HeaderValue;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::client_address::ClientAddress;
use crate::domain::account::Email;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::users::{self, UserRecord};

/// The authenticated user of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: UserRecord,
}

pub const MISSING: &str = "Authentication required: send an Authorization header (Basic or JWT).";
const BAD_CREDENTIALS: &str = "Invalid email or password.";
const BAD_TOKEN: &str = "Invalid or expired token.";

/// What the `Authorization` header of a request came to: found once, before the rate limit
/// (which counts a valid caller by its user and anyone else by address), and kept in the
/// request for the handlers.
#[derive(Debug, Clone)]
pub enum Authentication {
    /// Valid credentials.
    Valid(Caller),
    /// No header, or invalid credentials: why, as the 401 says it.
    Refused(&'static str),
}

impl Authentication {
    /// The caller, else 401.
    pub fn caller(&self) -> Result<Caller, ApiError> {
        match self {
            Authentication::Valid(caller) => Ok(caller.clone()),
            Authentication::Refused(msg) => Err(ApiError::Unauthorized(msg)),
        }
    }
}

/// Authenticates an `Authorization` header from `address`: `Basic base64(email:password)` or
/// `JWT <token>` (scheme case-insensitive). Errors are what is not a 401: a 429 for a password
/// check that must wait (see [`lockout`]), or a 500.
pub async fn authenticate(
    state: &AppState,
    header: Option<&HeaderValue>,
    address: &ClientAddress,
) -> Result<Authentication, ApiError> {
    match from_authorization(state, header, address).await {
        Ok(caller) => Ok(Authentication::Valid(caller)),
        Err(ApiError::Unauthorized(msg)) => Ok(Authentication::Refused(msg)),
        Err(error) => Err(error),
    }
}

async fn from_authorization(
    state: &AppState,
    header: Option<&HeaderValue>,
    address: &ClientAddress,
) -> Result<Caller, ApiError> {
    let value = header
        .ok_or(ApiError::Unauthorized(MISSING))?
        .to_str()
        .map_err(|_| ApiError::Unauthorized(MISSING))?
        .trim();
    let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
    let credentials = credentials.trim();
    if scheme.eq_ignore_ascii_case("basic") {
        basic(state, credentials, address).await
    } else if scheme.eq_ignore_ascii_case("jwt") {
        from_token(state, credentials).await
    } else {
        Err(ApiError::Unauthorized(
            "Unsupported authorization scheme: use Basic or JWT.",
        ))
    }
}

async fn basic(
    state: &AppState,
    credentials: &str,
    address: &ClientAddress,
) -> Result<Caller, ApiError> {
    let decoded = STANDARD
        .decode(credentials)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or(ApiError::Unauthorized(BAD_CREDENTIALS))?;
    let (email, password) = decoded
        .split_once(':')
        .ok_or(ApiError::Unauthorized(BAD_CREDENTIALS))?;
    let user = check_password(state, email, password, address).await?;
    Ok(Caller { user })
}

/// The registered user with this email and password, checked from `address`, else 401; 429 while
/// failed checks of this account or address must wait (see [`lockout`]).
pub async fn check_password(
    state: &AppState,
    email: &str,
    password: &str,
    address: &ClientAddress,
) -> Result<UserRecord, ApiError> {
    let email = Email::parse(email).ok();
    let account = email.as_ref().map(Email::as_str);
    state
        .lockout
        .check(account, address, Instant::now())
        .map_err(|wait| ApiError::TooManyFailedSignins {
            retry_after_secs: wait.as_secs_f64().ceil() as u64,
        })?;
    let user = match &email {
        Some(email) => users::find_by_email(&state.db, email).await?,
        None => None,
    };
    let stored = user.as_ref().and_then(|user| user.password_hash.clone());
    // Always hashed (against a dummy for an unknown email), so the time does not tell which exist.
    let verified = password::verify(password.to_owned(), stored).await;
    match (user, account) {
        (Some(user), Some(account)) if verified => {
            state.lockout.succeeded(account, address);
            Ok(user)
        }
        _ => {
            state.lockout.failed(account, address, Instant::now());
            Err(ApiError::Unauthorized(BAD_CREDENTIALS))
        }
    }
}

/// Authenticates a token, with or without its `JWT ` prefix.
pub async fn from_token(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let token = token.trim();
    let token = match token.split_once(' ') {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("jwt") => rest.trim(),
        _ => token,
    };
    let claims = state
        .jwt
        .verify(token)
        .ok_or(ApiError::Unauthorized(BAD_TOKEN))?;
    match state.cache.user(&state.db, &claims.user_id).await? {
        Some(user) if user.subject() == claims.sub => Ok(Caller { user }),
        _ => Err(ApiError::Unauthorized(BAD_TOKEN)),
    }
}
