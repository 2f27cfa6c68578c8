//! `/:project_id/subscriptions` (admins): webhook subscriptions and the log of delivery attempts.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use tiledesk_protocol::webhook::HISTORY_PAGE_SIZE;
use tiledesk_protocol::{DeliveryLog, NewSubscription, Subscription};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::event_name::{HookEvent, KNOWN_EVENTS};
use crate::domain::ids::ObjectId;
use crate::domain::role::Role;
use crate::domain::webhook_target::{TargetProblem, WebhookTarget};
use crate::error::{echo, ApiError, FieldError};
use crate::extract::{ApiJson, ApiPath, ApiQuery, ProjectAccess};
use crate::state::AppState;
use crate::store::{subscriptions, webhooks};
use crate::webhooks::address;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(history))
        .routes(routes!(show, update, delete))
}

/// A checked subscription body: a known event and a target it may be delivered to.
struct Checked {
    event: HookEvent,
    target: WebhookTarget,
}

/// Checks `body`: unless the operator allows private targets, one whose host is (or resolves to)
/// a non-public address is refused.
async fn check(state: &AppState, body: &NewSubscription) -> Result<Checked, ApiError> {
    let allow_private = state.allow_private_webhook_targets;
    let mut errors = Vec::new();
    let event = HookEvent::parse(body.event.trim());
    if event.is_none() {
        errors.push(FieldError::field(
            "event",
            format!(
                "Unknown event: use {} or event.emit.<name>.",
                KNOWN_EVENTS.join(", ")
            ),
        ));
    }
    let target = match WebhookTarget::parse(&body.target, allow_private) {
        Ok(target) if !allow_private && address::resolves_privately(&target).await => {
            Err(TargetProblem::NotPublic)
        }
        checked => checked,
    };
    let target = target
        .map_err(|problem| errors.push(FieldError::field("target", problem.message())))
        .ok();
    match (event, target) {
        (Some(event), Some(target)) => Ok(Checked { event, target }),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// The `{id}` path segment.
#[derive(Deserialize)]
struct SubscriptionPath {
    id: String,
}

impl SubscriptionPath {
    fn parse(&self) -> Result<ObjectId, ApiError> {
        ObjectId::parse(&self.id).ok_or_else(|| {
            ApiError::BadRequest(format!("Invalid subscription id: {}", echo(&self.id)))
        })
    }
}

/// Subscribes `target` to `event`; the answer shows the subscription's own secret, sent as
/// `x-hook-secret` with every delivery. A target that is (or whose name resolves to) a loopback,
/// private, link-local or other non-public address is refused with 422, unless the server runs
/// with `--allow-private-webhook-targets`; each delivery checks the address again.
#[utoipa::path(post, path = "/{pid}/subscriptions", tag = "webhooks", operation_id = "createSubscription",
    params(("pid" = String, Path, description = "Project id")),
    request_body = NewSubscription,
    responses((status = 200, description = "The subscription with its secret", body = Subscription)))]
async fn create(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiJson(body): ApiJson<NewSubscription>,
) -> Result<Json<Subscription>, ApiError> {
    access.require(Role::Admin)?;
    let checked = check(&state, &body).await?;
    let secret = uuid::Uuid::new_v4().to_string();
    let record = subscriptions::insert(
        &state.writer,
        &access.project.id,
        checked.event.as_str(),
        checked.target.as_str(),
        &secret,
        &access.caller.user.id,
    )
    .await?;
    state.cache.forget_subscriptions(&access.project.id);
    Ok(Json(record.to_wire(true)))
}

/// Every subscription of the project.
#[utoipa::path(get, path = "/{pid}/subscriptions", tag = "webhooks",
    params(("pid" = String, Path, description = "Project id")),
    responses((status = 200, description = "The subscriptions", body = Vec<Subscription>)))]
async fn list(
    State(state): State<AppState>,
    access: ProjectAccess,
) -> Result<Json<Vec<Subscription>>, ApiError> {
    access.require(Role::Admin)?;
    let records = subscriptions::list(&state.db, &access.project.id).await?;
    Ok(Json(records.iter().map(|r| r.to_wire(false)).collect()))
}

/// One subscription.
#[utoipa::path(get, path = "/{pid}/subscriptions/{id}", tag = "webhooks",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "The subscription", body = Subscription)))]
async fn show(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<SubscriptionPath>,
) -> Result<Json<Subscription>, ApiError> {
    access.require(Role::Admin)?;
    let id = path.parse()?;
    let record = subscriptions::find(&state.db, &access.project.id, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(record.to_wire(false)))
}

/// Changes the event and target of a subscription (its secret stays); targets are checked as on
/// creation.
#[utoipa::path(put, path = "/{pid}/subscriptions/{id}", tag = "webhooks", operation_id = "updateSubscription",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Subscription id")),
    request_body = NewSubscription,
    responses((status = 200, description = "The changed subscription", body = Subscription)))]
async fn update(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<SubscriptionPath>,
    ApiJson(body): ApiJson<NewSubscription>,
) -> Result<Json<Subscription>, ApiError> {
    access.require(Role::Admin)?;
    let id = path.parse()?;
    let checked = check(&state, &body).await?;
    let record = subscriptions::update(
        &state.writer,
        &access.project.id,
        id.as_str(),
        checked.event.as_str(),
        checked.target.as_str(),
    )
    .await?
    .ok_or(ApiError::NotFound)?;
    state.cache.forget_subscriptions(&access.project.id);
    Ok(Json(record.to_wire(false)))
}

/// Deletes a subscription and its pending deliveries.
#[utoipa::path(delete, path = "/{pid}/subscriptions/{id}", tag = "webhooks",
    params(("pid" = String, Path, description = "Project id"), ("id" = String, Path, description = "Subscription id")),
    responses((status = 200, description = "The deleted subscription", body = Subscription)))]
async fn delete(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiPath(path): ApiPath<SubscriptionPath>,
) -> Result<Json<Subscription>, ApiError> {
    access.require(Role::Admin)?;
    let id = path.parse()?;
    let record = subscriptions::delete(&state.writer, &access.project.id, id.as_str())
        .await?
        .ok_or(ApiError::NotFound)?;
    state.cache.forget_subscriptions(&access.project.id);
    Ok(Json(record.to_wire(false)))
}

/// Paging of the delivery log.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct HistoryParams {
    /// Page number, from 0; 40 attempts per page.
    #[param(minimum = 0)]
    page: Option<u32>,
}

/// Every delivery attempt, newest first, 40 per page.
#[utoipa::path(get, path = "/{pid}/subscriptions/history", tag = "webhooks",
    params(("pid" = String, Path, description = "Project id"), HistoryParams),
    responses((status = 200, description = "Delivery attempts, newest first", body = Vec<DeliveryLog>)))]
async fn history(
    State(state): State<AppState>,
    access: ProjectAccess,
    ApiQuery(params): ApiQuery<HistoryParams>,
) -> Result<Json<Vec<DeliveryLog>>, ApiError> {
    access.require(Role::Admin)?;
    let offset = u64::from(params.page.unwrap_or(0)) * u64::from(HISTORY_PAGE_SIZE);
    let records =
        webhooks::history(&state.db, &access.project.id, HISTORY_PAGE_SIZE, offset).await?;
    Ok(Json(records.iter().map(|r| r.to_wire()).collect()))
}
