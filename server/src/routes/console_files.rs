//! The built agent console under `/console/` (precompressed gzip and brotli copies when the browser
//! accepts them), any other path under it answered with its `index.html` (a single-page app).

use std::path::Path;

use axum::middleware;
use axum::response::Redirect;
use axum::routing::get;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use super::widget_files::cache_headers;
use crate::state::AppState;

pub fn routes(dir: &Path) -> Router<AppState> {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(index);
    let served = Router::new()
        .nest_service("/console/", files)
        .layer(middleware::from_fn(cache_headers));
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .merge(served)
}
