//! Limits on a request, answered as JSON (with CORS, from the layers around): at most 100 headers
//! of 32 KiB in all (431), a URL of 8 KiB (414), a body of 500 KB refused from its declared length
//! before it is read (413), and a body that must arrive in full within the body timeout (408).

use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::LengthLimitError;

use crate::error::ApiError;
use crate::state::AppState;

/// Most headers a request may have.
pub const MAX_HEADERS: usize = 100;
/// Most bytes of header names and values a request may have.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// Longest URL (path and query) a request may have.
pub const MAX_URL_BYTES: usize = 8 * 1024;
/// Largest accepted request body: 500 KB.
pub const BODY_LIMIT: usize = 500 * 1024;

/// The problem with `request`'s head, if any.
fn check_head(request: &Request) -> Result<(), ApiError> {
    let headers = request.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers.len() > MAX_HEADERS || header_bytes > MAX_HEADER_BYTES {
        return Err(ApiError::HeadersTooLarge);
    }
    let url = request
        .uri()
        .path_and_query()
        .map_or(0, |path| path.as_str().len());
    if url > MAX_URL_BYTES {
        return Err(ApiError::UriTooLong);
    }
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok())
        .and_then(|length| length.parse::<u64>().ok());
    if declared.is_some_and(|length| length > BODY_LIMIT as u64) {
        return Err(ApiError::PayloadTooLarge);
    }
    Ok(())
}

/// An error answer after which the connection is closed (its body was not read).
fn closing(error: ApiError) -> Response {
    let mut response = error.into_response();
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The middleware: checks the head, then reads the whole body within the body timeout.
pub async fn enforce(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Err(error) = check_head(&request) {
        return closing(error);
    }
    let (parts, body) = request.into_parts();
    let body = match tokio::time::timeout(state.body_timeout, to_bytes(body, BODY_LIMIT)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) if is_over_limit(&error) => return closing(ApiError::PayloadTooLarge),
        Ok(Err(_)) => {
            return closing(ApiError::BadRequest(
                "The request body could not be read in full.".to_owned(),
            ))
        }
        Err(_) => return closing(ApiError::RequestTimeout(timeout_secs(state.body_timeout))),
    };
    next.run(Request::from_parts(parts, Body::from(body))).await
}

/// Whether reading a body failed for its size.
fn is_over_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if error.is::<LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// `timeout` in whole seconds, for messages.
fn timeout_secs(timeout: Duration) -> u64 {
    timeout.as_secs().max(1)
}
