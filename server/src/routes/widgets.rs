//! `GET /:project_id/widgets` (public): what the widget needs to start for a project.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::routing::get;
use axum::{Json, Router};
use tiledesk_protocol::WidgetConfig;

use crate::error::ApiError;
use crate::extract::ProjectPath;
use crate::state::AppState;
use crate::store::members;

pub fn routes() -> Router<AppState> {
    Router::new().route("/{pid}/widgets", get(widget_config))
}

async fn widget_config(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ProjectPath { project, .. }: ProjectPath,
) -> Result<Json<WidgetConfig>, ApiError> {
    let user_available = members::available_agents(&state.db, &project.id).await?;
    Ok(Json(WidgetConfig {
        project: project.to_wire(),
        user_available,
        departments: Vec::new(),
        ip: Some(peer.ip().to_string()),
    }))
}
