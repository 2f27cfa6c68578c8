//! Webhooks: deliveries queued in the transaction of the change that causes them, and the worker sending them.

pub mod address;
pub mod worker;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use sqlx::SqliteConnection;
use tokio::sync::Notify;

use crate::cache::Cache;
use crate::clock;
use crate::store::webhooks;

/// How deliveries are made.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Time a target has to answer.
    pub timeout: Duration,
    /// Wait before the first retry; doubled for each further one.
    pub retry_base: Duration,
    /// Attempts before a delivery is given up.
    pub max_attempts: u32,
    /// Whether deliveries may reach loopback, private and other non-public addresses.
    pub allow_private: bool,
}

/// Wakes the worker when deliveries were queued.
#[derive(Clone, Default)]
pub struct Wakeup(Arc<Notify>);

impl Wakeup {
    /// Tells the worker new deliveries are due (call after the commit).
    pub fn wake(&self) {
        self.0.notify_one();
    }

    async fn wait(&self) {
        self.0.notified().await;
    }
}

/// Event names of the webhooks this server fires, as Tiledesk names them. Every change of a
/// request fires `request.update` too (except closing, which fires `request.close`).
pub mod events {
    pub const MESSAGE_CREATE: &str = "message.create";
    pub const REQUEST_CREATE: &str = "request.create";
    pub const REQUEST_UPDATE: &str = "request.update";
    pub const REQUEST_CLOSE: &str = "request.close";
    pub const REQUEST_REOPEN: &str = "request.reopen";
    pub const REQUEST_PARTICIPANTS_UPDATE: &str = "request.participants.update";
    pub const REQUEST_ATTRIBUTES_UPDATE: &str = "request.attributes.update";
    pub const REQUEST_DEPARTMENT_UPDATE: &str = "request.department.update";
    pub const LEAD_CREATE: &str = "lead.create";
    pub const LEAD_UPDATE: &str = "lead.update";
    pub const PROJECT_USER_UPDATE: &str = "project_user.update";
    pub const DEPARTMENT_CREATE: &str = "department.create";
    pub const DEPARTMENT_UPDATE: &str = "department.update";
    pub const DEPARTMENT_DELETE: &str = "department.delete";
}

/// Queues, inside the caller's transaction, a delivery of `payload` to every subscription of
/// `project` to one of `events`. Whether anything was queued (then wake the worker after the commit).
pub async fn enqueue(
    tx: &mut SqliteConnection,
    cache: &Cache,
    project: &str,
    events: &[&str],
    payload: &Value,
) -> sqlx::Result<bool> {
    let now = clock::unix_millis();
    let mut queued = false;
    for subscription in cache.subscriptions(&mut *tx, project).await? {
        if events.contains(&subscription.event.as_str()) {
            webhooks::enqueue(&mut *tx, &subscription, &subscription.event, payload, now).await?;
            queued = true;
        }
    }
    Ok(queued)
}
