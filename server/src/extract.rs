//! Extractors that fail with JSON errors: body, path and query wrappers, the caller and project access.

use axum::extract::{FromRequest, FromRequestParts, RawPathParams};
use axum::http::request::Parts;

use crate::auth::{Authentication, Caller};
use crate::domain::ids::ProjectId;
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::members::MemberRecord;
use crate::store::projects::ProjectRecord;
use crate::store::requests::RequestRecord;

/// A JSON body; malformed JSON is 400, a wrong content type 415, too large 413, wrong shape 422.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// Path parameters, with JSON errors.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// Query parameters, with JSON errors.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    /// The caller the rate limiter's middleware authenticated (it runs before every API route).
    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, ApiError> {
        parts
            .extensions
            .get::<Authentication>()
            .ok_or_else(|| ApiError::internal("a route outside the authenticating middleware"))?
            .caller()
    }
}

/// The existing project named by the `{pid}` path segment (400 when malformed or unknown).
pub struct ProjectPath {
    pub id: ProjectId,
    pub project: ProjectRecord,
}

impl FromRequestParts<AppState> for ProjectPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
        let raw = params
            .iter()
            .find_map(|(key, value)| (key == "pid").then_some(value))
            .ok_or_else(|| ApiError::internal("route without a {pid} segment"))?;
        let id = ProjectId::parse(raw).ok_or_else(|| ApiError::InvalidProjectId(raw.to_owned()))?;
        let project = state
            .cache
            .project(&state.db, &id)
            .await?
            .ok_or_else(|| ApiError::ProjectNotFound(id.to_string()))?;
        Ok(Self { id, project })
    }
}

/// An authenticated member of the project in the path, with their role there
/// (400 for the project, then 401 without valid credentials, then 403 for non-members).
pub struct ProjectAccess {
    pub project_id: ProjectId,
    pub project: ProjectRecord,
    pub caller: Caller,
    pub role: Role,
    /// The caller's membership (its id is the "project user" id).
    pub member: MemberRecord,
}

impl ProjectAccess {
    /// 403 unless the caller's role is at least `minimum`.
    pub fn require(&self, minimum: Role) -> Result<(), ApiError> {
        if self.role >= minimum {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// Whether the caller may read `request`: agents and up see all, others only their own.
    pub fn can_see(&self, request: &RequestRecord) -> bool {
        self.role.sees_all_requests() || self.started(request)
    }

    /// Whether the caller started `request`.
    pub fn started(&self, request: &RequestRecord) -> bool {
        request.requester_id == self.caller.user.id
    }
}

impl FromRequestParts<AppState> for ProjectAccess {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ProjectPath { id, project } = ProjectPath::from_request_parts(parts, state).await?;
        let caller = Caller::from_request_parts(parts, state).await?;
        let member = state
            .cache
            .member(&state.db, &project.id, &caller.user.id)
            .await?
            .ok_or(ApiError::Forbidden)?;
        Ok(Self {
            project_id: id,
            project,
            caller,
            role: member.role,
            member,
        })
    }
}
