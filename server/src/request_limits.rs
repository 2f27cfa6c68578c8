//! Limits on a request, answered as JSON (with CORS, from the layers around): at most 100 headers
//! of 32 KiB in all (431), a URL of 8 KiB (414), a body of 500 KB (the upload limit and some room
//! for the form around it on the upload route) refused from its declared length before it is read
//! (413), and a body that must arrive in full within the body timeout (408).

use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::header::{CONNECTION, CONTENT_LENGTH};
use axum::http::{HeaderValue, Method};
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
/// Room for the multipart form around an uploaded file.
const FORM_OVERHEAD: usize = 64 * 1024;

/// The body limit of `request`, and the file limit behind it on the upload route
/// (`POST /<pid>/files/chat`), which takes a file of the upload limit.
fn body_limit(request: &Request, state: &AppState) -> (usize, Option<usize>) {
    let mut segments = request
        .uri()
        .path()
        .strip_prefix('/')
        .unwrap_or_default()
        .split('/');
    let upload = request.method() == Method::POST
        && segments.next().is_some_and(|pid| !pid.is_empty())
        && segments.next() == Some("files")
        && segments.next() == Some("chat")
        && segments.next().is_none();
    if upload {
        let file = state.max_upload_bytes;
        (file.saturating_add(FORM_OVERHEAD), Some(file))
    } else {
        (BODY_LIMIT, None)
    }
}

/// The 413 of a body over its limit: of the file limit when there is one.
fn too_large(file_limit: Option<usize>) -> ApiError {
    file_limit.map_or(ApiError::PayloadTooLarge, ApiError::FileTooLarge)
}

/// The problem with `request`'s head, if any (a body over `limit` bytes, of a file over `file_limit`).
fn check_head(request: &Request, limit: usize, file_limit: Option<usize>) -> Result<(), ApiError> {
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
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large(file_limit));
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
    let (limit, file_limit) = body_limit(&request, &state);
    if let Err(error) = check_head(&request, limit, file_limit) {
        return closing(error);
    }
    let (parts, body) = request.into_parts();
    let body = match tokio::time::timeout(state.body_timeout, to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) if is_over_limit(&error) => return closing(too_large(file_limit)),
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
