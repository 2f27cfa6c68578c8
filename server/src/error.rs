//! API errors and the JSON answer (with its status) each one becomes.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::json;
use tiledesk_protocol::ErrorBody;

/// Longest piece of client input echoed back in an error message.
const MAX_ECHO_CHARS: usize = 100;

/// One entry of a 422 validation answer, in the express-validator shape Tiledesk uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub msg: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<&'static str>,
    pub location: &'static str,
}

impl FieldError {
    /// A problem with the body field `param`.
    pub fn field(param: &'static str, msg: impl Into<String>) -> Self {
        Self {
            msg: msg.into(),
            param: Some(param),
            location: "body",
        }
    }

    /// A problem with the body as a whole.
    fn body(msg: impl Into<String>) -> Self {
        Self {
            msg: msg.into(),
            param: None,
            location: "body",
        }
    }
}

/// Everything a handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// 422 `{"errors":[{msg,param,location}]}`.
    Validation(Vec<FieldError>),
    /// 422 `{"errors":["text field is required"]}` for a conversation's first message.
    TextRequired,
    /// 400 `{"success":false,"msg":…}`.
    BadRequest(String),
    /// 400 `{"error":"Invalid project id: X"}`.
    InvalidProjectId(String),
    /// 400 `{"error":"Project not found with id: X"}`.
    ProjectNotFound(String),
    /// 401 `{"success":false,"msg":…}`.
    Unauthorized(&'static str),
    /// 403 `{"success":false,"msg":"you dont have the required role."}`.
    Forbidden,
    /// 404 `{"success":false,"msg":"Object not found."}`.
    NotFound,
    /// 409 `{"success":false,"msg":…}`: the object is not in a state that allows this.
    Conflict(&'static str),
    /// 403: the operator closed sign-up.
    SignupClosed,
    /// 413: the body is over the limit.
    PayloadTooLarge,
    /// 413: an uploaded file is over this many bytes.
    FileTooLarge(usize),
    /// 408: the body did not arrive within this many seconds.
    RequestTimeout(u64),
    /// 414: the URL is over the limit.
    UriTooLong,
    /// 431: too many headers, or too large.
    HeadersTooLarge,
    /// 415: the body is not declared as JSON.
    UnsupportedMediaType,
    /// 429 with `Retry-After`: the client is over its requests per minute.
    TooManyRequests {
        per_minute: u32,
        retry_after_secs: u64,
    },
    /// 429 with `Retry-After`: failed password checks of this account or address must wait.
    TooManyFailedSignins { retry_after_secs: u64 },
    /// 500; the cause has been logged where it happened.
    Internal,
}

impl ApiError {
    /// A 422 about one body field.
    pub fn field(param: &'static str, msg: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::field(param, msg)])
    }

    /// A 500 for `cause`, which is logged (never shown to the client).
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::Internal
    }
}

/// `raw`, cut to a length safe to echo back.
pub fn echo(raw: &str) -> String {
    raw.chars().take(MAX_ECHO_CHARS).collect()
}

/// The `{"success":false,"msg":…}` answer for `status`.
pub fn msg_response(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, Json(ErrorBody::msg(msg))).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Validation(errors) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "errors": errors })),
            )
                .into_response(),
            ApiError::TextRequired => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "errors": ["text field is required"] })),
            )
                .into_response(),
            ApiError::BadRequest(msg) => msg_response(StatusCode::BAD_REQUEST, msg),
            ApiError::InvalidProjectId(raw) => (
                StatusCode::BAD_REQUEST,
                Json(ErrorBody::error(format!(
                    "Invalid project id: {}",
                    echo(&raw)
                ))),
            )
                .into_response(),
            ApiError::ProjectNotFound(id) => (
                StatusCode::BAD_REQUEST,
                Json(ErrorBody::error(format!("Project not found with id: {id}"))),
            )
                .into_response(),
            ApiError::Unauthorized(msg) => msg_response(StatusCode::UNAUTHORIZED, msg),
            ApiError::Forbidden => {
                msg_response(StatusCode::FORBIDDEN, "you dont have the required role.")
            }
            ApiError::NotFound => msg_response(StatusCode::NOT_FOUND, "Object not found."),
            ApiError::Conflict(msg) => msg_response(StatusCode::CONFLICT, msg),
            ApiError::SignupClosed => msg_response(
                StatusCode::FORBIDDEN,
                "Sign-up is closed on this server: ask its operator for an account.",
            ),
            ApiError::PayloadTooLarge => msg_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Request body too large: the limit is 500 KB.",
            ),
            ApiError::FileTooLarge(limit) => msg_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The file is too large: the limit is {limit} bytes."),
            ),
            ApiError::RequestTimeout(secs) => msg_response(
                StatusCode::REQUEST_TIMEOUT,
                format!("The request body did not arrive within {secs} s."),
            ),
            ApiError::UriTooLong => msg_response(
                StatusCode::URI_TOO_LONG,
                "The URL is too long: the limit is 8 KiB.",
            ),
            ApiError::HeadersTooLarge => msg_response(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "Too many or too large headers: the limits are 100 headers and 32 KiB in all.",
            ),
            ApiError::UnsupportedMediaType => msg_response(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expected a JSON body with the header `Content-Type: application/json`.",
            ),
            ApiError::TooManyRequests {
                per_minute,
                retry_after_secs,
            } => {
                let mut response = msg_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Too many requests: the limit is {per_minute} per minute. Retry in {retry_after_secs} s."
                    ),
                );
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
                response
            }
            ApiError::TooManyFailedSignins { retry_after_secs } => {
                let retry_after_secs = retry_after_secs.max(1);
                let mut response = msg_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "Too many failed sign-ins for this account or address: retry in \
                         {retry_after_secs} s."
                    ),
                );
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(retry_after_secs));
                response
            }
            ApiError::Internal => {
                msg_response(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error.")
            }
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::internal(format_args!("database: {error}"))
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::JsonDataError(error) => {
                ApiError::Validation(vec![FieldError::body(error.body_text())])
            }
            JsonRejection::JsonSyntaxError(error) => {
                ApiError::BadRequest(format!("Malformed JSON body: {}", error.body_text()))
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
            other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
            other => ApiError::BadRequest(other.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        if rejection.status().is_server_error() {
            ApiError::internal(rejection.body_text())
        } else {
            ApiError::BadRequest(rejection.body_text())
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::BadRequest(rejection.body_text())
    }
}
