//! HTTP routes, one module per resource.

mod analytics;
mod auth;
mod console_files;
mod departments;
mod events;
mod files;
mod health;
mod keys;
mod labels;
mod leads;
mod messages;
mod openapi;
mod project_users;
mod projects;
mod requests;
mod root;
mod subscriptions;
mod url_preview;
mod widget_files;
mod widgets;

use std::path::Path;

use axum::http::{header, HeaderMap};
use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::state::AppState;

/// Every API route, and `GET /openapi.json` describing them (collected from the handlers).
pub fn api() -> Router<AppState> {
    let (router, description) = OpenApiRouter::new()
        .merge(root::routes())
        .merge(health::routes())
        .merge(auth::routes())
        .merge(projects::routes())
        .merge(widgets::routes())
        .merge(analytics::routes())
        .merge(departments::routes())
        .merge(keys::routes())
        .merge(project_users::routes())
        .merge(leads::routes())
        .merge(labels::routes())
        .merge(requests::routes())
        .merge(messages::routes())
        .merge(events::routes())
        .merge(files::routes())
        .merge(url_preview::routes())
        .merge(subscriptions::routes())
        .split_for_parts();
    router.merge(openapi::routes(description))
}

/// The widget files of `dir` under `/widget/`, and its dynamic configuration.
pub fn widget(dir: &Path) -> Router<AppState> {
    widget_files::routes(dir)
}

/// The agent console's files of `dir` under `/console/`.
pub fn console(dir: &Path) -> Router<AppState> {
    console_files::routes(dir)
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
