//! `/:project_id/publicanalytics` (public): what the Tiledesk widget shows visitors about how soon
//! they are answered.

use axum::extract::State;
use axum::Json;
use chrono::TimeDelta;
use tiledesk_protocol::WaitingTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::clock;
use crate::error::ApiError;
use crate::extract::ProjectPath;
use crate::state::AppState;
use crate::store::requests;

/// Hours of conversations the current waiting time is averaged over, as on Tiledesk.
const CURRENT_HOURS: i64 = 4;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(waiting_current))
}

/// The project's current waiting time (public): the average, in milliseconds, of how long the
/// conversations started in the last 4 hours waited for their first message from an agent or bot
/// (private notes and info notices do not count, nor conversations not answered yet). One line
/// `{"_id": <pid>, "waiting_time_avg": <ms>}`, or an empty list when none was answered.
#[utoipa::path(get, path = "/{pid}/publicanalytics/waiting/current", tag = "analytics",
    security(()),
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The current average waiting time", body = Vec<WaitingTime>)))]
async fn waiting_current(
    State(state): State<AppState>,
    ProjectPath { project, .. }: ProjectPath,
) -> Result<Json<Vec<WaitingTime>>, ApiError> {
    let since = clock::iso_ago(TimeDelta::hours(CURRENT_HOURS));
    let average = requests::average_waiting_millis(&state.db, &project.id, &since).await?;
    Ok(Json(
        average
            .map(|waiting_time_avg| WaitingTime {
                id: project.id.clone(),
                waiting_time_avg,
            })
            .into_iter()
            .collect(),
    ))
}
