//! `POST /:project_id/url-preview`: what linked pages say about themselves, for the widget's
//! link previews.

use axum::extract::State;
use axum::Json;
use tiledesk_protocol::preview::{UrlPreview, UrlPreviewRequest, MAX_URLS};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ProjectAccess};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(url_preview))
}

/// The previews of up to 10 addresses (any member of the project, guests included), in the order
/// asked: `{url, success: true, data: {url, title, description, image, siteName}}` or
/// `{url, success: false, error}`. Only public `http(s)` addresses are fetched (unless the server
/// allows private ones), at most 3 redirects, HTML only, and each answer is kept 10 minutes.
/// Tiledesk's route is public; this one wants the caller's token, so it cannot be used to make
/// the server fetch pages for anyone.
#[utoipa::path(post, path = "/{pid}/url-preview", tag = "messages",
    params(("pid" = String, Path, description = "Project id")),
    request_body = UrlPreviewRequest,
    responses((status = 200, description = "One preview per address", body = Vec<UrlPreview>)))]
async fn url_preview(
    State(state): State<AppState>,
    _access: ProjectAccess,
    ApiJson(body): ApiJson<UrlPreviewRequest>,
) -> Result<Json<Vec<UrlPreview>>, ApiError> {
    if body.urls.is_empty() {
        return Err(ApiError::field("urls", "urls must be a non-empty array"));
    }
    if body.urls.len() > MAX_URLS {
        return Err(ApiError::field(
            "urls",
            format!("urls must contain at most {MAX_URLS} items"),
        ));
    }
    Ok(Json(state.previews.previews(&body.urls).await))
}
