//! Uploads as the Tiledesk widget makes them: `POST /:project_id/files/chat` (multipart `file`),
//! read back with `GET /files?path=` (images inline) and `GET /files/download?path=` (always a
//! download), each with headers that keep a file from running as part of the site.

use axum::body::{Body, Bytes};
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{
    AUTHORIZATION, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Authentication;
use crate::data_dir;
use crate::domain::upload::{self, UploadPath};
use crate::error::ApiError;
use crate::extract::{ApiQuery, ProjectAccess};
use crate::state::AppState;
use crate::store::uploads::{self, UploadRecord};

/// The multipart field carrying the file.
const FILE_FIELD: &str = "file";
/// Served with every file: nothing in it may run, load or be sniffed into something else.
const SANDBOX: &str = "default-src 'none'; sandbox";

pub fn routes() -> OpenApiRouter<AppState> {
    // The request limits middleware already bounded the upload's body by the upload limit.
    OpenApiRouter::new()
        .routes(routes!(upload))
        .layer(DefaultBodyLimit::disable())
        .merge(
            OpenApiRouter::new()
                .routes(routes!(show))
                .routes(routes!(download)),
        )
}

/// Answer of an upload (201), as Tiledesk words it.
#[derive(Serialize, ToSchema)]
struct Uploaded {
    /// `File uploaded successfully`.
    message: &'static str,
    /// The stored path (`uploads/<random id>/<name>`) to pass as `path` to `GET /files`.
    filename: String,
}

/// Uploads a file for the project's chat (any member, guests included): multipart/form-data with
/// the field `file`, at most the upload limit (10 MiB by default; 413 over it). Its type is read
/// from its bytes: PNG, JPEG, GIF and WebP images are shown inline, anything else (PDF, text,
/// office documents, audio, and SVG or HTML as opaque bytes) only ever downloaded. The answer's
/// `filename` holds 128 random bits: whoever has it can read the file (see SECURITY.md).
#[utoipa::path(post, path = "/{pid}/files/chat", tag = "files",
    params(("pid" = String, Path, description = "Project id")),
    request_body(content_type = "multipart/form-data", description = "The field `file`"),
    responses((status = 201, description = "The stored path", body = Uploaded)))]
async fn upload(
    State(state): State<AppState>,
    access: ProjectAccess,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<Uploaded>), ApiError> {
    let mut form = form.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let (name, bytes) = loop {
        let field = form
            .next_field()
            .await
            .map_err(|error| {
                ApiError::BadRequest(format!("Unreadable form: {}", error.body_text()))
            })?
            .ok_or_else(|| ApiError::field(FILE_FIELD, "The form has no `file` field."))?;
        if field.name() == Some(FILE_FIELD) {
            let name = upload::display_name(field.file_name().unwrap_or_default());
            let bytes = field.bytes().await.map_err(|error| {
                ApiError::BadRequest(format!("Unreadable file: {}", error.body_text()))
            })?;
            break (name, bytes);
        }
    };
    if bytes.len() > state.max_upload_bytes {
        return Err(ApiError::FileTooLarge(state.max_upload_bytes));
    }
    let kind = upload::sniff(&bytes, &name);
    let path = UploadPath::generate(&name);
    let file = state.uploads_dir.join(path.id());
    let written = file.clone();
    let contents = bytes.clone();
    tokio::task::spawn_blocking(move || data_dir::write_private(&written, &contents))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let record = UploadRecord {
        id: path.id().to_owned(),
        project_id: access.project.id.clone(),
        uploader_id: access.caller.user.id.clone(),
        path: path.as_str().to_owned(),
        name,
        content_type: kind.content_type.to_owned(),
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
    };
    if let Err(error) = uploads::insert(&state.writer, &record).await {
        let _ = tokio::fs::remove_file(&file).await;
        return Err(error.into());
    }
    Ok((
        StatusCode::CREATED,
        Json(Uploaded {
            message: "File uploaded successfully",
            filename: path.as_str().to_owned(),
        }),
    ))
}

/// `?path=` of a stored upload.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PathParams {
    /// The `filename` an upload answered.
    path: String,
}

/// An uploaded file: images inline, anything else as a download. Without `Authorization` the path
/// is the capability (an `<img>` cannot send a header); with one, only the project's agents and
/// up, the uploader and visitors of a conversation where a message referenced it may read it.
/// Anything else, and any path that is not an upload's, is 404.
#[utoipa::path(get, path = "/files", tag = "files", security(()),
    params(PathParams),
    responses((status = 200, description = "The file", content_type = "application/octet-stream")))]
async fn show(
    State(state): State<AppState>,
    Extension(authentication): Extension<Authentication>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<PathParams>,
) -> Result<Response, ApiError> {
    serve(&state, &authentication, &headers, &params.path, false).await
}

/// An uploaded file, always as a download (`Content-Disposition: attachment`); read as `GET /files`.
#[utoipa::path(get, path = "/files/download", tag = "files", security(()),
    params(PathParams),
    responses((status = 200, description = "The file", content_type = "application/octet-stream")))]
async fn download(
    State(state): State<AppState>,
    Extension(authentication): Extension<Authentication>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<PathParams>,
) -> Result<Response, ApiError> {
    serve(&state, &authentication, &headers, &params.path, true).await
}

/// The upload at `raw` for this caller, with its safe headers (an attachment when `attachment`).
async fn serve(
    state: &AppState,
    authentication: &Authentication,
    headers: &HeaderMap,
    raw: &str,
    attachment: bool,
) -> Result<Response, ApiError> {
    let path = UploadPath::parse(raw).ok_or(ApiError::NotFound)?;
    let record = uploads::find_by_path(&state.db, path.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    if headers.contains_key(AUTHORIZATION) {
        let caller = authentication.caller()?;
        if !may_read(state, &record, &caller.user.id).await? {
            return Err(ApiError::NotFound);
        }
    }
    let bytes = match tokio::fs::read(state.uploads_dir.join(path.id())).await {
        Ok(bytes) => Bytes::from(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(ApiError::NotFound)
        }
        Err(error) => {
            return Err(ApiError::internal(format_args!(
                "reading an upload: {error}"
            )))
        }
    };
    let kind = upload::sniff(&bytes, &record.name);
    let inline = kind.inline && !attachment;
    let content_type = if attachment && !kind.inline {
        "application/octet-stream"
    } else {
        kind.content_type
    };
    Ok((
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (CONTENT_SECURITY_POLICY, SANDBOX.to_owned()),
            (CACHE_CONTROL, "private".to_owned()),
            (
                CONTENT_DISPOSITION,
                upload::disposition(inline, &record.name),
            ),
        ],
        Body::from(bytes),
    )
        .into_response())
}

/// Whether `user_id` may read `upload`: an agent and up of its project, its uploader, or the
/// visitor of a conversation where a message referenced it.
async fn may_read(
    state: &AppState,
    upload: &UploadRecord,
    user_id: &str,
) -> Result<bool, ApiError> {
    if upload.uploader_id == user_id {
        return Ok(true);
    }
    let member = state
        .cache
        .member(&state.db, &upload.project_id, user_id)
        .await?;
    if member.is_some_and(|member| member.role.sees_all_requests()) {
        return Ok(true);
    }
    Ok(uploads::shared_with(&state.db, upload, user_id).await?)
}
