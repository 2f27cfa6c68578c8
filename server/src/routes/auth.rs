//! `/auth/*`: sign-up, sign-in with email and password, anonymous (guest) sign-in and sign-in
//! with a custom token signed with a project's secret.

use axum::extract::{FromRequestParts, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::Json;
use tiledesk_protocol::{AnonymousSignin, AuthResponse, ErrorBody, Signin, Signup, User};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::jwt::{self, CustomClaims};
use crate::auth::{self, password};
use crate::client_address::ClientAddress;
use crate::config::Signup as SignupPolicy;
use crate::domain::account::{parse_name, Email, Password};
use crate::domain::ids::{ExternalId, ObjectId, ProjectId};
use crate::domain::role::Role;
use crate::error::{ApiError, FieldError};
use crate::extract::ApiJson;
use crate::random;
use crate::state::AppState;
use crate::store::users::{self, NewUser, UserKind, UserRecord};
use crate::store::{self, members, projects};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(signin))
        .routes(routes!(signin_anonymously))
        .routes(routes!(signin_with_custom_token))
}

/// Answer of `POST /auth/signup`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct SignedUp {
    success: bool,
    msg: &'static str,
    user: User,
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

/// Passes when the operator left sign-up open (`--signup open`), else 403.
struct SignupOpen;

impl FromRequestParts<AppState> for SignupOpen {
    type Rejection = ApiError;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match state.signup {
            SignupPolicy::Open => Ok(Self),
            SignupPolicy::Closed => Err(ApiError::SignupClosed),
        }
    }
}

/// Registers a user with email and password (8 characters or more). An email that is already
/// registered gets the same answer, with an id that signs nothing in, and changes nothing: the
/// answer does not tell who has an account. 403 when the operator closed sign-up.
#[utoipa::path(post, path = "/auth/signup", tag = "auth", security(()),
    request_body = Signup,
    responses(
        (status = 200, description = "The new user (for an email already registered: a look-alike, and nothing changes)", body = SignedUp),
        (status = 403, description = "Sign-up is closed on this server (`--signup closed`)", body = ErrorBody)))]
async fn signup(
    State(state): State<AppState>,
    _open: SignupOpen,
    ApiJson(body): ApiJson<Signup>,
) -> Result<Json<SignedUp>, ApiError> {
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
    let new_user = NewUser {
        id: id.as_str(),
        kind: UserKind::Registered,
        email: Some(email.as_str()),
        password_hash: Some(&hash),
        firstname: &firstname,
        lastname: &lastname,
        external_project: None,
    };
    let user = match users::insert(&state.writer, &new_user).await {
        Ok(user) => user.to_wire(),
        Err(error) if store::is_unique_violation(&error) => new_user.to_wire(),
        Err(error) => return Err(error.into()),
    };
    Ok(Json(SignedUp {
        success: true,
        msg: "Successfully created new user.",
        user,
    }))
}

fn signed_in(state: &AppState, user: &UserRecord) -> Json<AuthResponse> {
    Json(AuthResponse {
        success: true,
        token: format!("JWT {}", state.jwt.sign(user.subject(), &user.id)),
        user: user.to_wire(),
    })
}

/// Signs in with email and password: a `JWT …` token. After a few failures for one account from
/// one address (or many from one address), further attempts wait longer each time: 429 with
/// `Retry-After`.
#[utoipa::path(post, path = "/auth/signin", tag = "auth", security(()),
    request_body = Signin,
    responses((status = 200, description = "A token and the user", body = AuthResponse)))]
async fn signin(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(body): ApiJson<Signin>,
) -> Result<Json<AuthResponse>, ApiError> {
    let user = auth::check_password(&state, &body.email, &body.password, &address).await?;
    Ok(signed_in(&state, &user))
}

/// Signs in a new anonymous visitor as a guest of the project.
#[utoipa::path(post, path = "/auth/signinAnonymously", tag = "auth", security(()),
    request_body = AnonymousSignin,
    responses((status = 200, description = "A token and the guest user", body = AuthResponse)))]
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
    let mut tx = state.writer.begin().await?;
    let user = users::insert(
        &mut *tx,
        &NewUser {
            id: &id,
            kind: UserKind::Guest,
            email: email.as_ref().map(Email::as_str),
            password_hash: None,
            firstname: &firstname,
            lastname: &lastname,
            external_project: None,
        },
    )
    .await?;
    members::add(&mut *tx, &project.id, &user.id, Role::Guest, false).await?;
    tx.commit().await?;
    Ok(signed_in(&state, &user))
}

const BAD_CUSTOM_TOKEN: &str = "Invalid custom token: sign it (HS256) with the project secret, \
with aud https://tiledesk.com/projects/<project_id>, sub userexternal and an _id.";
const BAD_EXTERNAL_ID: &str = "Invalid _id in the custom token: use 1 to 128 characters among \
letters, digits, '.', '_', '@', ':' and '-'.";
const TAKEN_EXTERNAL_ID: &str = "The _id of the custom token names, in this project, a user made \
before ids were given per project: use another _id.";

/// Signs in the user of a custom token (`Authorization: JWT <token>`) signed with a project's
/// secret from `POST /:project_id/keys/generate`. The user's id is `<project_id>:<_id>`, so each
/// project names its own users: the first sign-in makes it a member with role `user`, later ones
/// take the names and email of the token.
#[utoipa::path(post, path = "/auth/signinWithCustomToken", tag = "auth",
    responses((status = 200, description = "A token and the user", body = AuthResponse)))]
async fn signin_with_custom_token(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<AuthResponse>, ApiError> {
    let header = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .ok_or(ApiError::Unauthorized(BAD_CUSTOM_TOKEN))?
        .trim();
    let token = match header.split_once(' ') {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("jwt") || scheme.eq_ignore_ascii_case("bearer") =>
        {
            rest.trim()
        }
        _ => header,
    };
    let project_id = jwt::claimed_project(token)
        .and_then(|raw| ProjectId::parse(&raw))
        .ok_or(ApiError::Unauthorized(BAD_CUSTOM_TOKEN))?;
    let project = projects::find(&state.db, &project_id)
        .await?
        .ok_or(ApiError::Unauthorized(BAD_CUSTOM_TOKEN))?;
    let secret = projects::secret(&state.db, &project.id)
        .await?
        .ok_or(ApiError::Unauthorized(BAD_CUSTOM_TOKEN))?;
    let claims = jwt::verify_custom(secret.as_bytes(), token, &project.id)
        .ok_or(ApiError::Unauthorized(BAD_CUSTOM_TOKEN))?;
    let user = external_user(&state, &project_id, &claims).await?;
    Ok(signed_in(&state, &user))
}

/// The user a custom token of `project` names, with the names and email the token carries
/// (invalid ones are ignored): made the first time, with id `<project>:<_id>` and its membership.
async fn external_user(
    state: &AppState,
    project: &ProjectId,
    claims: &CustomClaims,
) -> Result<UserRecord, ApiError> {
    let external = ExternalId::parse(&claims.external_id)
        .ok_or_else(|| ApiError::BadRequest(BAD_EXTERNAL_ID.to_owned()))?;
    let name = |raw: &Option<String>| raw.as_deref().and_then(|raw| parse_name(raw).ok());
    let firstname = name(&claims.firstname);
    let lastname = name(&claims.lastname);
    let email = claims
        .email
        .as_deref()
        .and_then(|raw| Email::parse(raw).ok());
    let project = project.as_str();
    let mut tx = store::begin_write(&state.writer).await?;
    let user = match users::find_external(&mut *tx, project, external.as_str()).await? {
        Some(user) => {
            users::update_profile(
                &mut *tx,
                &user.id,
                firstname.as_deref().unwrap_or(&user.firstname),
                lastname.as_deref().unwrap_or(&user.lastname),
                email.as_ref().map(Email::as_str).or(user.email.as_deref()),
            )
            .await?
        }
        None => {
            let id = external.user_id(project);
            let inserted = users::insert(
                &mut *tx,
                &NewUser {
                    id: &id,
                    kind: UserKind::Guest,
                    email: email.as_ref().map(Email::as_str),
                    password_hash: None,
                    firstname: firstname.as_deref().unwrap_or_default(),
                    lastname: lastname.as_deref().unwrap_or_default(),
                    external_project: Some(project),
                },
            )
            .await;
            let user = match inserted {
                Ok(user) => user,
                Err(error) if store::is_unique_violation(&error) => {
                    return Err(ApiError::Unauthorized(TAKEN_EXTERNAL_ID));
                }
                Err(error) => return Err(error.into()),
            };
            users::link_external(&mut *tx, project, external.as_str(), &user.id).await?;
            members::add(&mut *tx, project, &user.id, Role::User, false).await?;
            user
        }
    };
    tx.commit().await?;
    state.cache.forget_user(&user.id);
    Ok(user)
}
