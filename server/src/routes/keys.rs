//! `POST /:project_id/keys/generate` (admins): a new project secret for signing custom tokens.

use axum::extract::State;
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use tiledesk_protocol::ProjectKeys;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::role::Role;
use crate::error::ApiError;
use crate::extract::ProjectAccess;
use crate::random;
use crate::state::AppState;
use crate::store::projects;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(generate))
}

/// Makes (replacing any earlier one) the secret that `POST /auth/signinWithCustomToken` checks
/// tokens of this project with (HS256, `aud` `https://tiledesk.com/projects/<project_id>`, `sub` `userexternal`).
#[utoipa::path(post, path = "/{pid}/keys/generate", tag = "team",
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The project secret", body = ProjectKeys)))]
async fn generate(
    State(state): State<AppState>,
    access: ProjectAccess,
) -> Result<Json<ProjectKeys>, ApiError> {
    access.require(Role::Admin)?;
    let secret = URL_SAFE_NO_PAD.encode(random::bytes::<32>());
    projects::set_secret(&state.writer, &access.project.id, &secret).await?;
    Ok(Json(ProjectKeys { jwt_secret: secret }))
}
