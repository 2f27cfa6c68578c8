//! `POST /:project_id/project_users/invite` (admins): adds a registered user to the team with a role.

use axum::extract::State;
use axum::Json;
use tiledesk_protocol::{Invite, ProjectUser};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::account::Email;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::extract::{ApiJson, ProjectAccess};
use crate::state::AppState;
use crate::store::{members, users};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(invite))
}

/// Makes the registered user with `email` a member with `role` (`user`, `agent`, `supervisor` or
/// `admin`), or changes the role of a member; the owner's role cannot change.
#[utoipa::path(post, path = "/{pid}/project_users/invite", tag = "team",
    params(("pid" = String, Path, description = "Project id")),
    request_body = Invite,
    responses((status = 200, description = "The membership", body = ProjectUser)))]
async fn invite(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiJson(body): ApiJson<Invite>,
) -> Result<Json<ProjectUser>, ApiError> {
    access.require(Role::Admin)?;
    let role = match Role::try_from(body.role.trim().to_owned()) {
        Ok(role) if (Role::User..=Role::Admin).contains(&role) => role,
        _ => {
            return Err(ApiError::field(
                "role",
                "The role must be user, agent, supervisor or admin.",
            ))
        }
    };
    let email = Email::parse(&body.email).map_err(|msg| ApiError::field("email", msg))?;
    let user = users::find_by_email(&state.db, &email)
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "email",
                "No registered user has this email: they must sign up first.",
            )
        })?;
    let mut tx = crate::store::begin_write(&state.writer).await?;
    if let Some(existing) = members::find(&mut *tx, &access.project.id, &user.id).await? {
        if existing.role == Role::Owner {
            return Err(ApiError::Forbidden);
        }
    }
    let member = members::set_role(&mut *tx, &access.project.id, &user.id, role).await?;
    tx.commit().await?;
    state.cache.forget_member(&access.project.id, &user.id);
    Ok(Json(member.to_wire()))
}
