//! `POST /projects`: a signed-up user creates a project and becomes its owner.

use axum::extract::State;
use axum::Json;
use tiledesk_protocol::{NewProject, Project};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::store::users::UserKind;
use crate::store::{members, projects};

/// Longest accepted project name, in characters.
const MAX_NAME_CHARS: usize = 200;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}

/// Creates a project; the signed-up caller becomes its owner.
#[utoipa::path(post, path = "/projects", tag = "projects",
    request_body = NewProject,
    responses((status = 200, description = "The new project", body = Project)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewProject>,
) -> Result<Json<Project>, ApiError> {
    if caller.user.kind != UserKind::Registered {
        return Err(ApiError::Forbidden);
    }
    let name = body.name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::field(
            "name",
            "A project name of 1 to 200 characters is required.",
        ));
    }
    let mut tx = state.writer.begin().await?;
    let project = projects::insert(&mut *tx, name, &caller.user.id).await?;
    members::add(&mut *tx, &project.id, &caller.user.id, Role::Owner).await?;
    tx.commit().await?;
    Ok(Json(project.to_wire()))
}
