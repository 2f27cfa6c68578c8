//! Who is calling: `Basic` and `JWT` authentication of requests and WebSocket handshakes.

pub mod jwt;
pub mod password;

use axum::http::HeaderValue;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::domain::account::Email;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::users::{self, UserRecord};

/// The authenticated user of a request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: UserRecord,
}

const MISSING: &str = "Authentication required: send an Authorization header (Basic or JWT).";
const BAD_CREDENTIALS: &str = "Invalid email or password.";
const BAD_TOKEN: &str = "Invalid or expired token.";

/// Authenticates an `Authorization` header: `Basic base64(email:password)` or `JWT <token>`
/// (scheme case-insensitive).
pub async fn from_authorization(
    state: &AppState,
    header: Option<&HeaderValue>,
) -> Result<Caller, ApiError> {
    let value = header
        .ok_or(ApiError::Unauthorized(MISSING))?
        .to_str()
        .map_err(|_| ApiError::Unauthorized(MISSING))?
        .trim();
    let (scheme, credentials) = value.split_once(' ').unwrap_or((value, ""));
    let credentials = credentials.trim();
    if scheme.eq_ignore_ascii_case("basic") {
        basic(state, credentials).await
    } else if scheme.eq_ignore_ascii_case("jwt") {
        from_token(state, credentials).await
    } else {
        Err(ApiError::Unauthorized(
            "Unsupported authorization scheme: use Basic or JWT.",
        ))
    }
}

async fn basic(state: &AppState, credentials: &str) -> Result<Caller, ApiError> {
    let decoded = STANDARD
        .decode(credentials)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or(ApiError::Unauthorized(BAD_CREDENTIALS))?;
    let (email, password) = decoded
        .split_once(':')
        .ok_or(ApiError::Unauthorized(BAD_CREDENTIALS))?;
    let user = check_password(state, email, password).await?;
    Ok(Caller { user })
}

/// The registered user with this email and password, else 401.
pub async fn check_password(
    state: &AppState,
    email: &str,
    password: &str,
) -> Result<UserRecord, ApiError> {
    let user = match Email::parse(email) {
        Ok(email) => users::find_by_email(&state.db, &email).await?,
        Err(_) => None,
    };
    let stored = user.as_ref().and_then(|user| user.password_hash.clone());
    // Always hashed (against a dummy for an unknown email), so the time does not tell which exist.
    let verified = password::verify(password.to_owned(), stored).await;
    match user {
        Some(user) if verified => Ok(user),
        _ => Err(ApiError::Unauthorized(BAD_CREDENTIALS)),
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
