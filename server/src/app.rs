//! The application router: routes, JSON fallbacks and the middleware stack.

use std::any::Any;
use std::path::Path;

use axum::extract::DefaultBodyLimit;
use axum::http::header::{
    ACCEPT, ACCESS_CONTROL_ALLOW_METHODS, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
};
use axum::http::{HeaderName, Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{Any as AnyOrigin, CorsLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::msg_response;
use crate::request_limits::{self, BODY_LIMIT};
use crate::state::AppState;
use crate::{rate_limit, routes};

/// The whole HTTP application, ready to serve (with the widget's and the console's files when
/// their folders are given).
pub fn build(state: AppState, widget_dir: Option<&Path>, console_dir: Option<&Path>) -> Router {
    // The API is rate limited; the widget's static files are not (a page load fetches several,
    // and in production a CDN serves them).
    let mut router = routes::api()
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit,
        ));
    if let Some(dir) = widget_dir {
        router = router.merge(routes::widget(dir));
    }
    if let Some(dir) = console_dir {
        router = router.merge(routes::console(dir));
    }
    router
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            request_limits::enforce,
        ))
        .layer(middleware::map_response(json_errors))
        .layer(cors())
        .layer(middleware::map_response(preflight_no_content))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// The log span of a request: method and path, never the query (it may carry a token).
fn request_span(request: &axum::extract::Request) -> tracing::Span {
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
}

/// Any origin, the methods and headers Tiledesk clients use.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AnyOrigin)
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::PATCH,
            Method::POST,
            Method::DELETE,
        ])
        .allow_headers([
            AUTHORIZATION,
            CONTENT_TYPE,
            ACCEPT,
            HeaderName::from_static("x-requested-with"),
        ])
}

async fn not_found() -> Response {
    msg_response(StatusCode::NOT_FOUND, "Object not found.")
}

async fn method_not_allowed() -> Response {
    msg_response(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.")
}

/// Last resort: a handler that panicked answers 500 JSON and the server carries on.
fn panic_response(_panic: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    msg_response(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.")
}

/// Turns any error answer that is not JSON yet (from a layer or the file server) into JSON.
async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, _body) = response.into_parts();
    parts.headers.remove(CONTENT_TYPE);
    parts.headers.remove(CONTENT_LENGTH);
    let mut json = msg_response(status, status.canonical_reason().unwrap_or("Error"));
    json.headers_mut().extend(parts.headers);
    json.into_response()
}

/// CORS preflight answers are 204 No Content.
async fn preflight_no_content(mut response: Response) -> Response {
    if response.status() == StatusCode::OK
        && response
            .headers()
            .contains_key(ACCESS_CONTROL_ALLOW_METHODS)
    {
        *response.status_mut() = StatusCode::NO_CONTENT;
    }
    response
}
