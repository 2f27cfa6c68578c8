//! Webhook subscriptions, the deliveries they receive and the delivery log (`/:project_id/subscriptions`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Header carrying the subscription's secret on every delivery.
pub const SECRET_HEADER: &str = "x-hook-secret";
/// `User-Agent` of every delivery.
pub const USER_AGENT: &str = "tiledesk-webhooks";

/// Body of `POST` and `PUT /:project_id/subscriptions[/:id]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSubscription {
    /// The event, such as `message.create` or `event.emit.<name>`.
    pub event: String,
    /// The URL each delivery is POSTed to.
    pub target: String,
}

/// A subscription; `secret` is only shown when it is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscription {
    #[serde(rename = "_id")]
    pub id: String,
    pub event: String,
    pub target: String,
    pub id_project: String,
    #[serde(rename = "createdBy")]
    pub created_by: String,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    #[serde(rename = "__v", default)]
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// What a webhook target receives: `{timestamp, payload, hook}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    /// When the event happened, in milliseconds since the Unix epoch.
    pub timestamp: i64,
    /// The changed document: for `message.create` the message with its `request`.
    pub payload: Value,
    /// The subscription, without its secret.
    pub hook: Subscription,
}

/// One delivery attempt in `GET /:project_id/subscriptions/history`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryLog {
    #[serde(rename = "_id")]
    pub id: String,
    pub event: String,
    pub target: String,
    /// The target's answer as JSON text `{"statusCode":…,"body":…}`; absent when none came.
    #[serde(default)]
    pub response: Option<String>,
    /// The answer's body as JSON text.
    #[serde(default)]
    pub body: Option<String>,
    /// Why the attempt failed, if it did.
    #[serde(default)]
    pub err: Option<String>,
    pub id_project: String,
    #[serde(rename = "createdAt")]
    pub created_at: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    #[serde(rename = "__v", default)]
    pub version: i64,
}

/// Size of a page of `GET /:project_id/subscriptions/history`.
pub const HISTORY_PAGE_SIZE: u32 = 40;
