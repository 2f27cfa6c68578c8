//! `GET /:project_id/widgets` (public): what the widget needs to start for a project.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::Json;
use tiledesk_protocol::WidgetConfig;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::ProjectPath;
use crate::state::AppState;
use crate::store::{departments, members};

/// Status of the departments the widget shows.
pub const VISIBLE: i32 = 1;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(widget_config))
}

/// What the widget needs to start: the project with its widget settings, the agents available
/// now (none outside the operating hours), the departments shown to visitors and the project's
/// proactive bot rules as `botsRules` (public).
#[utoipa::path(get, path = "/{pid}/widgets", tag = "widget", security(()),
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The widget configuration", body = WidgetConfig)))]
async fn widget_config(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ProjectPath { project, .. }: ProjectPath,
) -> Result<Json<WidgetConfig>, ApiError> {
    let user_available = if project.is_open() {
        members::available_agents(&state.db, &project.id, None).await?
    } else {
        Vec::new()
    };
    let departments = departments::list(&state.db, &project.id, VISIBLE).await?;
    let mut wire = project.to_wire();
    // Beside the project, not in it, as Tiledesk gives them.
    let bots_rules = std::mem::take(&mut wire.bots_rules);
    Ok(Json(WidgetConfig {
        project: wire,
        user_available: user_available.iter().map(|a| a.to_widget()).collect(),
        departments: departments.iter().map(|d| d.to_wire()).collect(),
        ip: Some(peer.ip().to_string()),
        bots_rules,
    }))
}
