//! The state shared by every handler.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::SqlitePool;

use crate::auth::jwt::JwtKeys;
use crate::auth::lockout::Lockout;
use crate::cache::Cache;
use crate::config::Signup;
use crate::demo::DemoCredentials;
use crate::previews::Previewer;
use crate::rate_limit::RateLimiter;
use crate::realtime::hub::Hub;
use crate::store::group_commit::GroupCommit;
use crate::webhooks::Wakeup;

/// Database, signing keys, the realtime hub, the webhook worker's wake-up and startup settings.
#[derive(Clone)]
pub struct AppState {
    /// Readers.
    pub db: SqlitePool,
    /// The single writer connection: every write goes through it.
    pub writer: SqlitePool,
    /// Grouped commits on the writer, for the hot write path (posting messages).
    pub commits: GroupCommit,
    /// Copies of projects, users, memberships and subscriptions.
    pub cache: Arc<Cache>,
    pub jwt: Arc<JwtKeys>,
    pub hub: Hub,
    /// The demo project and owner the demo page shows, when known.
    pub demo: Option<Arc<DemoCredentials>>,
    /// Time a request body has to arrive in full.
    pub body_timeout: Duration,
    /// Interval of WebSocket pings.
    pub ws_ping: Duration,
    /// Whether `GET /` shows the widget demo page (a widget folder is served).
    pub widget_page: bool,
    /// Wakes the webhook worker after a commit that queued deliveries.
    pub webhooks: Wakeup,
    /// Requests per minute per user or address.
    pub limiter: Arc<RateLimiter>,
    /// Delays after failed password checks.
    pub lockout: Arc<Lockout>,
    /// Whether subscriptions may target non-public addresses.
    pub allow_private_webhook_targets: bool,
    /// Whether `POST /auth/signup` is open.
    pub signup: Signup,
    /// The folder of uploaded files (`uploads` in the data folder).
    pub uploads_dir: Arc<Path>,
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    /// Link previews, fetched and kept.
    pub previews: Arc<Previewer>,
}
