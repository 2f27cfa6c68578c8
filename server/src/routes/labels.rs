//! `/:project_id/labels`: the widget translations a project saved, read publicly as the Tiledesk
//! widget fetches them (`GET <api>/<project_id>/labels/<LANG>`, reading `data`), saved by admins.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::Value;
use tiledesk_protocol::{LabelEntry, Labels, NewLabels};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::role::Role;
use crate::error::{echo, ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, ProjectAccess, ProjectPath};
use crate::state::AppState;
use crate::store::{self, labels};

/// The language served when neither the one asked for nor a default is saved.
const FALLBACK_LANGUAGE: &str = "EN";
/// Longest language code.
const MAX_LANG_LEN: usize = 10;
/// Largest translations object of one language, serialized, in bytes.
const MAX_DATA_BYTES: usize = 128 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, save))
        .routes(routes!(language))
}

/// A language code such as `en`, `pt-BR` or `zh_CN`, upper-cased as Tiledesk keeps them.
fn parse_lang(raw: &str) -> Option<String> {
    let lang = raw.trim();
    let valid = (2..=MAX_LANG_LEN).contains(&lang.len())
        && lang
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'));
    valid.then(|| lang.to_ascii_uppercase())
}

/// Every language the project saved (public); `data` is empty when none.
#[utoipa::path(get, path = "/{pid}/labels", tag = "labels", security(()),
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The project's translations", body = Labels)))]
async fn list(
    State(state): State<AppState>,
    ProjectPath { project, .. }: ProjectPath,
) -> Result<Json<Labels>, ApiError> {
    let records = labels::list(&state.db, &project.id).await?;
    Ok(Json(Labels {
        id_project: project.id.clone(),
        data: records.iter().map(|l| l.to_wire()).collect(),
    }))
}

/// The `{lang}` path segment.
#[derive(Deserialize)]
struct LangPath {
    lang: String,
}

/// The translations of one language (public), as the real server picks them: that language, else
/// the project's default one, else its `EN`; 404 when the project saved none, so the widget keeps
/// its own built-in translations.
#[utoipa::path(get, path = "/{pid}/labels/{lang}", tag = "labels", security(()),
    params(("pid" = String, Path, description = "Project id"), ("lang" = String, Path, description = "Language, such as EN or IT")),
    responses((status = 200, description = "The translations", body = LabelEntry)))]
async fn language(
    State(state): State<AppState>,
    ProjectPath { project, .. }: ProjectPath,
    ApiPath(path): ApiPath<LangPath>,
) -> Result<Json<LabelEntry>, ApiError> {
    let lang = parse_lang(&path.lang)
        .ok_or_else(|| ApiError::BadRequest(format!("Invalid language: {}", echo(&path.lang))))?;
    let records = labels::list(&state.db, &project.id).await?;
    let picked = records
        .iter()
        .find(|l| l.lang == lang)
        .or_else(|| records.iter().find(|l| l.is_default))
        .or_else(|| records.iter().find(|l| l.lang == FALLBACK_LANGUAGE))
        .ok_or(ApiError::NotFound)?;
    Ok(Json(picked.to_wire()))
}

/// Saves the translations of a language, replacing earlier ones (admins): `data` maps label keys
/// to texts; `default` makes it the language served for others (the first saved always is).
#[utoipa::path(post, path = "/{pid}/labels", tag = "labels", operation_id = "saveLabels",
    params(("pid" = String, Path, description = "Project id")),
    request_body = NewLabels,
    responses((status = 200, description = "The saved language", body = LabelEntry)))]
async fn save(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiJson(body): ApiJson<NewLabels>,
) -> Result<Json<LabelEntry>, ApiError> {
    access.require(Role::Admin)?;
    let mut errors = Vec::new();
    let lang = parse_lang(&body.lang);
    if lang.is_none() {
        errors.push(FieldError::field(
            "lang",
            "A language code of 2 to 10 letters, digits, - or _ is required.",
        ));
    }
    let data_ok = match &body.data {
        Value::Object(map) => {
            map.values().all(Value::is_string) && body.data.to_string().len() <= MAX_DATA_BYTES
        }
        _ => false,
    };
    if !data_ok {
        errors.push(FieldError::field(
            "data",
            "The data must be an object of label texts (strings), of at most 128 KB.",
        ));
    }
    let (Some(lang), true) = (lang, data_ok) else {
        return Err(ApiError::Validation(errors));
    };
    let mut tx = store::begin_write(&state.writer).await?;
    let saved = labels::save(
        &mut tx,
        &access.project.id,
        &lang,
        &body.data,
        body.default.unwrap_or(false),
        &access.caller.user.id,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(saved.to_wire()))
}
