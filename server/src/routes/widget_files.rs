//! The built widget under `/widget/` (with cache headers; brotli or gzip when a `.br` or `.gz` is
//! beside a file and the browser accepts it) and its `widget-config.json`.

use std::path::Path;

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tower_http::services::ServeDir;

use super::public_base_url;
use crate::error::ApiError;
use crate::state::AppState;

/// For files whose name carries a content hash: they never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For everything else (`index.html`, `launch.js`, …): always revalidate.
const NO_CACHE: &str = "no-cache";

pub fn routes(dir: &Path) -> Router<AppState> {
    let files = Router::new()
        .nest_service(
            "/widget",
            ServeDir::new(dir).precompressed_br().precompressed_gzip(),
        )
        .layer(middleware::from_fn(cache_headers));
    Router::new()
        .route("/widget/widget-config.json", get(widget_config))
        .merge(files)
}

/// `{"apiUrl":"http://<host>/"}`: tells the widget where this server is, as the browser reached it.
async fn widget_config(headers: HeaderMap) -> Result<(HeaderMap, Json<Value>), ApiError> {
    let api_url = public_base_url(&headers)?;
    let mut answer = HeaderMap::new();
    answer.insert(CACHE_CONTROL, HeaderValue::from_static(NO_CACHE));
    Ok((answer, Json(json!({ "apiUrl": api_url }))))
}

/// Caching by name (see [`cache_policy`]) and `Vary: accept-encoding` on every file answer.
pub(super) async fn cache_headers(request: Request, next: Next) -> Response {
    let policy = cache_policy(request.uri().path());
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(policy));
        // The same URL is sent gzipped or not depending on the browser: caches must tell them apart.
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Content-hashed names (a part of 8+ hex digits with a digit, as in `widget-1a2b3c4d5e6f7a8b_bg.wasm`)
/// are cached for good; all other files are revalidated.
fn cache_policy(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or_default();
    let hashed = name.split(['-', '_', '.']).any(|part| {
        part.len() >= 8
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
    });
    if hashed {
        IMMUTABLE
    } else {
        NO_CACHE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_files_are_immutable_and_entry_points_are_not() {
        assert_eq!(cache_policy("/index.html"), NO_CACHE);
        assert_eq!(cache_policy("/launch.js"), NO_CACHE);
        assert_eq!(cache_policy("/"), NO_CACHE);
        assert_eq!(
            cache_policy("/tiledesk-widget-6c0b7e2f9d1a3c4e_bg.wasm"),
            IMMUTABLE
        );
        assert_eq!(cache_policy("/style-0123abcd.css"), IMMUTABLE);
        assert_eq!(cache_policy("/deadbeef.css"), NO_CACHE);
    }
}
