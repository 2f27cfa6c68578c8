//! `/auth/*`: sign-up, sign-in with email and password, and anonymous (guest) sign-in.

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use tiledesk_protocol::{AnonymousSignin, AuthResponse, Signin, Signup};

use crate::auth::{self, password};
use crate::domain::account::{parse_name, Email, Password};
use crate::domain::ids::{ObjectId, ProjectId};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError};
use crate::extract::ApiJson;
use crate::random;
use crate::state::AppState;
use crate::store::users::{self, NewUser, UserKind, UserRecord};
use crate::store::{self, members, projects};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/signup", post(signup))
        .route("/auth/signin", post(signin))
        .route("/auth/signinAnonymously", post(signin_anonymously))
}

/// Keeps the value of `parsed`, or records its error against `param`.
fn check<T>(
    errors: &mut Vec<FieldError>,
    param: &'static str,
    parsed: Result<T, &'static str>,
) -> Option<T> {
    parsed
        .map_err(|msg| errors.push(FieldError::field(param, msg)))
        .ok()
}

async fn signup(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Signup>,
) -> Result<Json<Value>, ApiError> {
    let mut errors = Vec::new();
    let email = check(&mut errors, "email", Email::parse(&body.email));
    let password = check(&mut errors, "password", Password::parse(&body.password));
    let firstname = check(&mut errors, "firstname", parse_name(&body.firstname));
    let lastname = check(&mut errors, "lastname", parse_name(&body.lastname));
    let (Some(email), Some(password), Some(firstname), Some(lastname)) =
        (email, password, firstname, lastname)
    else {
        return Err(ApiError::Validation(errors));
    };
    let hash = password::hash(password.as_str().to_owned()).await?;
    let id = ObjectId::generate();
    let inserted = users::insert(
        &state.db,
        &NewUser {
            id: id.as_str(),
            kind: UserKind::Registered,
            email: Some(email.as_str()),
            password_hash: Some(&hash),
            firstname: &firstname,
            lastname: &lastname,
        },
    )
    .await;
    match inserted {
        Ok(user) => Ok(Json(json!({
            "success": true,
            "msg": "Successfully created new user.",
            "user": user.to_wire(),
        }))),
        Err(error) if store::is_unique_violation(&error) => Err(ApiError::Conflict(
            "An account with this email already exists.",
        )),
        Err(error) => Err(error.into()),
    }
}

fn signed_in(state: &AppState, user: &UserRecord) -> Json<AuthResponse> {
    Json(AuthResponse {
        success: true,
        token: format!("JWT {}", state.jwt.sign(user.kind.subject(), &user.id)),
        user: user.to_wire(),
    })
}

async fn signin(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Signin>,
) -> Result<Json<AuthResponse>, ApiError> {
    let user = auth::check_password(&state, &body.email, &body.password).await?;
    Ok(signed_in(&state, &user))
}

async fn signin_anonymously(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<AnonymousSignin>,
) -> Result<Json<AuthResponse>, ApiError> {
    let raw_project = body.id_project.trim();
    if raw_project.is_empty() {
        return Err(ApiError::field("id_project", "Invalid value"));
    }
    let project_id = ProjectId::parse(raw_project)
        .ok_or_else(|| ApiError::InvalidProjectId(raw_project.to_owned()))?;
    let project = projects::find(&state.db, &project_id)
        .await?
        .ok_or_else(|| ApiError::ProjectNotFound(project_id.to_string()))?;

    let mut errors = Vec::new();
    let firstname = check(
        &mut errors,
        "firstname",
        parse_name(body.firstname.as_deref().unwrap_or_default()),
    );
    let lastname = check(
        &mut errors,
        "lastname",
        parse_name(body.lastname.as_deref().unwrap_or_default()),
    );
    let email = match body.email.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(raw) => check(&mut errors, "email", Email::parse(raw)).map(Some),
    };
    let (Some(firstname), Some(lastname), Some(email)) = (firstname, lastname, email) else {
        return Err(ApiError::Validation(errors));
    };
    let firstname = if firstname.is_empty() {
        format!("guest#{}", random::hex(&random::bytes::<2>()))
    } else {
        firstname
    };

    let id = uuid::Uuid::new_v4().to_string();
    let mut tx = state.db.begin().await?;
    let user = users::insert(
        &mut *tx,
        &NewUser {
            id: &id,
            kind: UserKind::Guest,
            email: email.as_ref().map(Email::as_str),
            password_hash: None,
            firstname: &firstname,
            lastname: &lastname,
        },
    )
    .await?;
    members::add(&mut *tx, &project.id, &user.id, Role::Guest).await?;
    tx.commit().await?;
    Ok(signed_in(&state, &user))
}
