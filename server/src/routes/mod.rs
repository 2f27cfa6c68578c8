//! HTTP routes, one module per resource.

mod auth;
mod health;
mod messages;
mod projects;
mod requests;
mod root;
mod widget_files;
mod widgets;

use std::path::Path;

use axum::http::{header, HeaderMap};
use axum::Router;

use crate::error::ApiError;
use crate::state::AppState;

/// Every API route.
pub fn api() -> Router<AppState> {
    Router::new()
        .merge(root::routes())
        .merge(health::routes())
        .merge(auth::routes())
        .merge(projects::routes())
        .merge(widgets::routes())
        .merge(requests::routes())
        .merge(messages::routes())
}

/// The widget files of `dir` under `/widget/`, and its dynamic configuration.
pub fn widget(dir: &Path) -> Router<AppState> {
    widget_files::routes(dir)
}

/// The base URL the client reached us at: scheme (from `X-Forwarded-Proto`, else http) and
/// `Host`, with a trailing slash.
fn public_base_url(headers: &HeaderMap) -> Result<String, ApiError> {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
        })
        .ok_or_else(|| ApiError::BadRequest("Missing or invalid Host header.".to_owned()))?;
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    let scheme = if https { "https" } else { "http" };
    Ok(format!("{scheme}://{host}/"))
}
